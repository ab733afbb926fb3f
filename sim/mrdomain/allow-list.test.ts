/** The MrDomain simulator's allow-list mode (User Manual §1.1), from two client addresses of 127/8. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom, setAllowList } from '../shared/request-from';
import type { RunningSimulator } from '../types';
import { STRANGER_REFUSED } from './logic';
import { startMrdomainSimulator } from './start';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startMrdomainSimulator({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());

const hello = async (from: string) => {
  const reply = await requestFrom(from, `${sim.env.MRDOMAIN_BASE_URL}/tool/hello/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      apiuser: sim.env.MRDOMAIN_API_USER as string,
      apipasswd: sim.env.MRDOMAIN_API_PASSWORD as string,
    }).toString(),
  });
  return { status: reply.status, json: JSON.parse(reply.text) };
};

describe("MrDomain simulator: the account's registered IPs", () => {
  it('refuses a caller outside them with 1007 "Account filtered", serves one inside them', async () => {
    const stranger = await hello('127.0.0.1');
    expect(stranger.status).toBe(200);
    expect(stranger.json).toEqual({
      success: false,
      errorCode: STRANGER_REFUSED,
      errorCodeMsg: 'Account filtered',
      action: 'tool/hello',
      version: '1.0.20',
      responseData: [],
    });
    const allowed = await hello('127.0.0.2');
    expect(allowed.json.success).toBe(true);
    expect(allowed.json.responseData.ip).toBe('127.0.0.2');
  });

  it('is switched off and on at run time; the control API answers every address', async () => {
    await setAllowList(sim.controlUrl, []);
    expect((await hello('127.0.0.1')).json.success).toBe(true);
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    expect((await hello('127.0.0.1')).json.errorCode).toBe(STRANGER_REFUSED);
  });
});
