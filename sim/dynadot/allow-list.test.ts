/** The Dynadot simulator's allow-list mode, from two client addresses of 127/8. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom, setAllowList } from '../shared/request-from';
import type { RunningSimulator } from '../types';
import { SIM_DYNADOT_KEY, STRANGER_REFUSED } from './logic';
import { startDynadotSimulator } from './start';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startDynadotSimulator({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());

const accountInfo = (from: string, format = 'xml') =>
  requestFrom(from, `${sim.controlUrl}/api3.${format}?key=${SIM_DYNADOT_KEY}&command=account_info`);

describe("Dynadot simulator: the key's IP allow-list", () => {
  it('refuses a caller outside it with the generic envelope, serves one inside it', async () => {
    const stranger = await accountInfo('127.0.0.1');
    expect(stranger.status).toBe(200);
    expect(stranger.text.replace(/>\s+</g, '><')).toContain(
      `<Response><ResponseHeader><ResponseCode>-1</ResponseCode><Error>${STRANGER_REFUSED}</Error></ResponseHeader></Response>`,
    );
    const json = JSON.parse((await accountInfo('127.0.0.1', 'json')).text);
    expect(json.Response).toEqual({ ResponseCode: '-1', Error: STRANGER_REFUSED });
    const allowed = await accountInfo('127.0.0.2');
    expect(allowed.text).toContain('<AccountInfoResponse>');
  });

  it('is switched off and on at run time; the control API answers every address', async () => {
    await setAllowList(sim.controlUrl, []);
    expect((await accountInfo('127.0.0.1')).text).toContain('<AccountInfoResponse>');
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    expect((await accountInfo('127.0.0.1')).text).toContain(STRANGER_REFUSED);
  });
});
