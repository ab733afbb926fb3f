/**
 * A bridge with two 35.com accounts, over real sockets: two simulator instances are two
 * independent registrars (each with its own members, domains, balance and counters), and the
 * bridge keeps a session pool per account and sends each command to the pool its body names.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { silentLogger } from '../core/log';
import { UNKNOWN_ACCOUNT } from '../providers/com35/bridge-protocol';
import { type RunningBridge, startBridge } from './server';
import { accountOf, BALANCE, call, com35Of, renewCommand, SECRET, waitFor } from './test-harness';

let simA: RunningCom35Simulator;
let simB: RunningCom35Simulator;
let bridge: RunningBridge;

const reset = (sim: RunningCom35Simulator) => fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
const control = (sim: RunningCom35Simulator, name: string, body: unknown) =>
  fetch(`${sim.controlUrl}/__sim/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const health = async () =>
  (await (await fetch(`${bridge.url}/health`)).json()) as {
    status: string;
    sessionsUp: number;
    poolSize: number;
    accounts: Record<string, { sessionsUp: number }>;
  };
const info = (domain: string) => ({
  category: 'domain',
  action: 'InfoDomain',
  params: { domaintype: '0', domain },
});

beforeAll(async () => {
  [simA, simB] = await Promise.all([startCom35Simulator(), startCom35Simulator()]);
});
afterAll(async () => {
  await Promise.all([simA.close(), simB.close()]);
});
beforeEach(async () => {
  await Promise.all([reset(simA), reset(simB)]);
  bridge = await startBridge({
    accounts: { com35: com35Of(simA), 'com35-b': com35Of(simB) },
    secret: SECRET,
    logger: silentLogger,
    poolSize: 2,
    reconnectBaseMs: 20,
    reconnectMaxMs: 200,
  });
  await waitFor(async () => (await health()).sessionsUp === 4);
});
afterEach(async () => {
  await bridge.close();
});

describe('a bridge with two 35.com accounts', () => {
  it('logs each account in with sessions of its own, at its own registrar, and reports each', async () => {
    expect(simA.registrar.counters.logins).toBe(2);
    expect(simB.registrar.counters.logins).toBe(2);
    const report = await health();
    expect(report).toMatchObject({ status: 'ok', sessionsUp: 4, poolSize: 4 });
    expect(report.accounts.com35?.sessionsUp).toBe(2);
    expect(report.accounts['com35-b']?.sessionsUp).toBe(2);
    await bridge.close();
    expect(simA.registrar.counters.logouts).toBe(2);
    expect(simB.registrar.counters.logouts).toBe(2);
  });

  it('runs each command at the account its body names, and a body without one at com35', async () => {
    await control(simB, 'domains', { name: 'only-at-b.com' });
    await control(simB, 'balance', { amount: '123.45' });

    const atB = await call(bridge, { account: 'com35-b', ...info('only-at-b.com') });
    expect(atB.body).toMatchObject({ code: 1000 });
    const atA = await call(bridge, { account: 'com35', ...info('only-at-b.com') });
    expect(atA.body).toMatchObject({ code: 2303 });
    const unnamed = await call(bridge, info('only-at-b.com'));
    expect(unnamed.body).toMatchObject({ code: 2303 });

    expect((await call(bridge, { account: 'com35-b', ...BALANCE })).body.data).toEqual([
      { name: 'balance', value: '123.45' },
    ]);
    expect((await call(bridge, BALANCE)).body.data).toEqual([{ name: 'balance', value: '1000.00' }]);
    expect(simA.registrar.counters.commands).toMatchObject({ InfoDomain: 2, GetAccountBalance: 1 });
    expect(simB.registrar.counters.commands).toMatchObject({ InfoDomain: 1, GetAccountBalance: 1 });
    expect(accountOf(bridge, 'com35-b').metrics.commands.get('InfoDomain|1000')).toBe(1);

    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).toContain('com35_logins_total{account="com35"} 2');
    expect(metrics).toContain('com35_logins_total{account="com35-b"} 2');
    expect(metrics).toContain('com35_commands_total{account="com35-b",action="InfoDomain",code="1000"} 1');
  });

  it('refuses an account it does not have, before anything is sent', async () => {
    const before = { a: { ...simA.registrar.counters.commands }, b: { ...simB.registrar.counters.commands } };
    const r = await call(bridge, { account: 'com35-c', ...BALANCE });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({
      kind: 'authentication',
      upstreamCode: UNKNOWN_ACCOUNT,
      retryable: false,
      notSent: true,
    });
    expect((r.body.error as { message: string }).message).toContain('"com35-c"');
    expect(simA.registrar.counters.commands).toEqual(before.a);
    expect(simB.registrar.counters.commands).toEqual(before.b);
    expect(bridge.metrics.render()).toContain('com35_bridge_refusals_total{reason="unknown_account"} 1');
    // Not a name at all: refused by the body's schema.
    expect((await call(bridge, { account: 'Not A Name', ...BALANCE })).status).toBe(400);
  });

  it('remembers each account’s sent renewals apart: one account’s record never refuses another’s', async () => {
    const renew = await renewCommand('expiring-soon.com', 'rnw_two_accounts');
    expect((await call(bridge, { account: 'com35', ...renew })).body.code).toBe(1000);
    // The same cltrid at the other account is another member's command: sent.
    expect((await call(bridge, { account: 'com35-b', ...renew })).body.code).toBe(1000);
    const again = await call(bridge, { account: 'com35-b', ...renew });
    expect(again.status).toBe(409);
    expect(simA.registrar.renewals).toHaveLength(1);
    expect(simB.registrar.renewals).toHaveLength(1);
  });
});
