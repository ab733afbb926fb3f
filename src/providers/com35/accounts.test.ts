/**
 * Several 35.com accounts from the worker's side, in Node: the worker's configuration
 * (`loadConfig` with ACCOUNTS) → each account's provider, built as the worker builds it with the
 * real fetch → one in-process bridge with two accounts → two 35.com simulators (two independent
 * registrars). Proves the worker names its account in every bridge request. (Inside workerd the
 * tests share one bridge with one account, started by their global setup.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCom35Simulator, startCom35Simulator } from '../../../sim/com35/start';
import { silentLogger } from '../../core/log';
import { loadConfig } from '../../env';
import { type RunningBridge, startBridge } from '../../tcp-bridge/server';
import { com35Of, failure } from '../../tcp-bridge/test-harness';
import { UNKNOWN_ACCOUNT } from './bridge-protocol';

const SECRET = 'accounts-test-secret-0123456789';
let simA: RunningCom35Simulator;
let simB: RunningCom35Simulator;
let bridge: RunningBridge;

beforeAll(async () => {
  [simA, simB] = await Promise.all([startCom35Simulator(), startCom35Simulator()]);
  bridge = await startBridge({
    accounts: { com35: com35Of(simA), 'com35-b': com35Of(simB) },
    secret: SECRET,
    logger: silentLogger,
    poolSize: 1,
  });
});
afterAll(async () => {
  await bridge.close();
  await Promise.all([simA.close(), simB.close()]);
});
beforeEach(async () => {
  for (const sim of [simA, simB]) await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
});

/** The worker's providers, one per account of its ACCOUNTS, by account name. */
function providers(accounts: string) {
  const config = loadConfig({ ACCOUNTS: accounts, BRIDGE_URL: bridge.url, BRIDGE_SECRET: SECRET });
  return Object.fromEntries(
    config.accounts.map((a) => [
      a.name,
      a.definition.create(a.name, a.config, { fetch: globalThis.fetch, logger: silentLogger }),
    ]),
  );
}

describe('the worker’s 35.com accounts through one bridge', () => {
  it('reads and renews at the account it was built for only', async () => {
    simB.registrar.addDomain({ name: 'only-at-b.com', exDate: '2031-01-15' });
    simB.registrar.accounts.get(simB.env.COM35_CLID!)!.balanceFen = 12_345;
    const { com35, 'com35-b': b } = providers('com35=com35,com35-b=com35');

    expect((await b!.getDomain('only-at-b.com', {})).expiresAt).toBe('2031-01-15T00:00:00.000Z');
    expect((await failure(com35!.getDomain('only-at-b.com', {}))).kind).toBe('not_found');
    expect((await b!.getBalance!({})).available.amount).toBe('123.45');
    expect((await com35!.getBalance!({})).available.amount).toBe('1000');

    const renewed = await b!.renew(
      'only-at-b.com',
      { years: 1, expectedExpiry: '2031-01-15T00:00:00.000Z' },
      { idempotencyKey: 'renewal-at-b' },
    );
    expect(renewed.outcome).toBe('confirmed');
    expect(simB.registrar.renewals.map((r) => r.domain)).toEqual(['only-at-b.com']);
    expect(simA.registrar.renewals).toEqual([]);
    expect(simA.registrar.counters.commands.RenewDomain).toBeUndefined();
  });

  it('turns an account the bridge does not have into refused gateway credentials, not "no such domain"', async () => {
    const { 'com35-c': c } = providers('com35=com35,com35-b=com35,com35-c=com35');
    const e = await failure(c!.getDomain('sim-example.com', {}));
    expect(e).toMatchObject({
      kind: 'authentication',
      provider: 'com35',
      upstreamCode: UNKNOWN_ACCOUNT,
      retryable: false,
      notSent: true,
    });
    expect(e.message).toContain('"com35-c"');
    expect(simA.registrar.counters.commands.InfoDomain).toBeUndefined();
    expect(simB.registrar.counters.commands.InfoDomain).toBeUndefined();
  });
});
