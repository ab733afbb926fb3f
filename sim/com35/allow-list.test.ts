/** The 35.com simulator's allow-list mode: enforced at Login on the TCP port, switched on the control port. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setAllowList } from '../shared/request-from';
import { SIM_ACCOUNT, STRANGER_REFUSED } from './logic';
import { RawCom35Client, replyVerifies } from './raw-client';
import { type RunningCom35Simulator, startCom35Simulator } from './start';

let sim: RunningCom35Simulator;
const clients: RawCom35Client[] = [];
beforeAll(async () => {
  sim = await startCom35Simulator({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

async function loginFrom(localAddress: string) {
  const c = await RawCom35Client.connect(
    sim.tcpPort,
    SIM_ACCOUNT.clid,
    SIM_ACCOUNT.password,
    '127.0.0.1',
    localAddress,
  );
  clients.push(c);
  const greeting = await c.read();
  return { c, greeting, login: await c.login() };
}

describe("35.com simulator: the account's IP allow-list", () => {
  it('greets a caller outside it, refuses its Login with 2500 and closes; logs one inside it in', async () => {
    const stranger = await loginFrom('127.0.0.1');
    expect(stranger.greeting.code).toBe(1000);
    expect(stranger.login.code).toBe(2500);
    expect(stranger.login.value).toBe(`${STRANGER_REFUSED}: 127.0.0.1`);
    expect(replyVerifies(stranger.login, stranger.c.creds)).toBe(true);
    expect(await stranger.c.closed()).toBe(true);
    expect((await loginFrom('127.0.0.2')).login.code).toBe(1000);
  });

  it('is switched off and on at run time on the control port', async () => {
    await setAllowList(sim.controlUrl, []);
    expect((await loginFrom('127.0.0.1')).login.code).toBe(1000);
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    expect((await loginFrom('127.0.0.1')).login.code).toBe(2500);
  });
});
