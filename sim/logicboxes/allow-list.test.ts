/** The LogicBoxes simulator's allow-list mode, from two client addresses of 127/8. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom, setAllowList } from '../shared/request-from';
import type { RunningSimulator } from '../types';
import { ACCESS_DENIED } from './logic';
import { SIM_API_KEY, SIM_AUTH_USERID, startLogicboxesSim } from './start';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startLogicboxesSim({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());

const balance = (from: string) =>
  requestFrom(
    from,
    `${sim.controlUrl}/api/billing/reseller-balance.json?auth-userid=${SIM_AUTH_USERID}&api-key=${SIM_API_KEY}&reseller-id=${SIM_AUTH_USERID}`,
  );

describe('LogicBoxes simulator: the reseller API allow-list', () => {
  it('refuses a caller outside it with the ERROR envelope and HTTP 500, serves one inside it', async () => {
    const stranger = await balance('127.0.0.1');
    expect(stranger.status).toBe(500);
    expect(JSON.parse(stranger.text)).toEqual({ status: 'ERROR', message: ACCESS_DENIED });
    const allowed = await balance('127.0.0.2');
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.text)).toHaveProperty('sellingcurrencybalance');
  });

  it('is switched off and on at run time; the control API answers every address', async () => {
    await setAllowList(sim.controlUrl, []);
    expect((await balance('127.0.0.1')).status).toBe(200);
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    expect((await balance('127.0.0.1')).status).toBe(500);
  });
});
