/** The Alibaba simulator's allow-list mode (a RAM policy's source IPs), from two client addresses of 127/8. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSigned, sign } from '../../src/providers/alibaba/signature';
import { requestFrom, setAllowList } from '../shared/request-from';
import type { RunningSimulator } from '../types';
import { SIM_ACCESS_KEY_ID, SIM_ACCESS_KEY_SECRET, STRANGER_REFUSED } from './logic';
import { startAlibabaSimulator } from './start';

let sim: RunningSimulator;
let nonce = 0;
beforeAll(async () => {
  sim = await startAlibabaSimulator({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());

async function checkDomain(from: string) {
  const wire: Record<string, string> = {
    Format: 'JSON',
    Version: '2018-01-29',
    AccessKeyId: SIM_ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: `allow-list-${Date.now()}-${nonce++}`,
    Timestamp: `${new Date().toISOString().slice(0, 19)}Z`,
    Action: 'CheckDomain',
    DomainName: 'brand-new-name.com',
  };
  const reply = await requestFrom(from, `${sim.controlUrl}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeSigned(wire, await sign('POST', wire, SIM_ACCESS_KEY_SECRET)),
  });
  return { status: reply.status, json: JSON.parse(reply.text) as Record<string, unknown> };
}

describe("Alibaba simulator: the AccessKey's allowed source IPs", () => {
  it('refuses a caller outside them with 403 Forbidden.RAM, serves one inside them', async () => {
    const stranger = await checkDomain('127.0.0.1');
    expect(stranger.status).toBe(403);
    expect(stranger.json).toMatchObject({ Code: STRANGER_REFUSED.code, Message: STRANGER_REFUSED.message });
    const allowed = await checkDomain('127.0.0.2');
    expect(allowed.status).toBe(200);
    expect(allowed.json).toHaveProperty('Avail');
  });

  it('is switched off and on at run time; the control API answers every address', async () => {
    await setAllowList(sim.controlUrl, []);
    expect((await checkDomain('127.0.0.1')).status).toBe(200);
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    expect((await checkDomain('127.0.0.1')).status).toBe(403);
  });
});
