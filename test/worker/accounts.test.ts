/**
 * Several accounts per registrar (issue #20), over real sockets: two Dynadot accounts and two
 * LogicBoxes accounts, each account a simulator instance of its own with its own key, domains and
 * balance (test/setup/stack.ts). Every call is counted at the instance that received it. The global
 * bindings keep one account per registrar; these tests run the worker entry and the engine's
 * queue jobs with an env that adds ACCOUNTS and the extra accounts' variables.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { requestRenewal } from '../../src/core/renewals';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { ADMIN_KEY, BASE } from './api-support';
import { gateStats, sim, waitUntil } from './helpers';
import { clearRenewalTables, engine, pump, upstreamRenewals, waitForState } from './renewals-support';

/** ACCOUNTS listing every registrar the global env configures, plus `dynadot-bulk` and `lb-two`. */
const ACCOUNTS_VARS: Record<string, string> = {
  ACCOUNTS: [
    'com35=com35',
    'dynadot=dynadot',
    'dynadot-bulk=dynadot',
    'logicboxes=logicboxes',
    'lb-two=logicboxes',
    'alibaba=alibaba',
    'mrdomain=mrdomain',
  ].join(','),
  ...(JSON.parse(env.EXTRA_ACCOUNTS_ENV) as Record<string, string>),
};

const accountsEnv = { ...env, ...ACCOUNTS_VARS };

/** The simulator instances of this test, by account name. */
const INSTANCES = ['dynadot', 'dynadot-bulk', 'logicboxes', 'lb-two'] as const;

/** A request to the worker entry, as the admin, with `bindings` as its env. */
async function call(
  path: string,
  init: { method?: string; body?: unknown } = {},
  bindings: object = accountsEnv,
): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers({ authorization: `Bearer ${ADMIN_KEY}` });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    bindings as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A one-year renewal asked of the engine without naming the account: the holder is resolved. */
function renewWithoutAccount(bindings: Env, domain: string) {
  return requestRenewal(engine(bindings), { domain, years: 1, source: 'api', actor: 'test' });
}

async function ok<T>(res: Response): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
  return JSON.parse(text) as T;
}

/** Every upstream call an instance received, all commands together. */
async function callsAt(account: string): Promise<number> {
  const state = await sim(account).state<{ calls: Record<string, number> }>();
  return Object.values(state.calls).reduce((sum, n) => sum + n, 0);
}

async function callCounts(): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(INSTANCES.map(async (a) => [a, await callsAt(a)] as const)));
}

/** The balance each instance's own state shows (Dynadot: `balance.amount`; LogicBoxes: `reseller.balance`). */
async function simBalance(account: string): Promise<number> {
  const state = await sim(account).state<{ balance?: { amount: string }; reseller?: { balance: string } }>();
  return Number(state.balance?.amount ?? state.reseller?.balance);
}

/** The instance's seeded domains (Dynadot: `name`; LogicBoxes: orders' `domain`). */
async function simDomains(account: string): Promise<string[]> {
  const state = await sim(account).state<{
    domains?: Array<{ name: string }>;
    orders?: Array<{ domain: string }>;
  }>();
  return (state.domains?.map((d) => d.name) ?? state.orders?.map((o) => o.domain) ?? []).sort();
}

beforeEach(async () => {
  await clearRenewalTables();
  for (const account of INSTANCES) await sim(account).reset();
});

describe('two accounts of one registrar are two accounts', () => {
  it('each has its own key, domains and balance at its own instance', async () => {
    const extra = JSON.parse(env.EXTRA_ACCOUNTS_ENV) as Record<string, string>;
    const global = env as unknown as Record<string, string>;
    expect(extra.DYNADOT_BULK_API_KEY).toBeDefined();
    expect(extra.DYNADOT_BULK_API_KEY).not.toBe(global.DYNADOT_API_KEY);
    expect(extra.LB_TWO_API_KEY).not.toBe(global.LOGICBOXES_API_KEY);
    expect(extra.LB_TWO_AUTH_USERID).not.toBe(global.LOGICBOXES_AUTH_USERID);
    expect(extra.DYNADOT_BULK_BASE_URL).not.toBe(global.DYNADOT_BASE_URL);
    expect(extra.LB_TWO_BASE_URL).not.toBe(global.LOGICBOXES_BASE_URL);
    const [dynadot, bulk] = [await simDomains('dynadot'), await simDomains('dynadot-bulk')];
    expect(bulk.filter((d) => dynadot.includes(d))).toEqual([]);
    expect(await simBalance('dynadot-bulk')).not.toBe(await simBalance('dynadot'));
    expect(await simBalance('lb-two')).not.toBe(await simBalance('logicboxes'));
  });

  it('GET /v1/accounts lists both accounts of each registrar', async () => {
    const { accounts } = await ok<{ accounts: Array<{ key: string; provider: string }> }>(
      await call('/v1/accounts?health=false'),
    );
    expect(accounts.map((a) => [a.key, a.provider])).toEqual(
      expect.arrayContaining([
        ['dynadot', 'dynadot'],
        ['dynadot-bulk', 'dynadot'],
        ['logicboxes', 'logicboxes'],
        ['lb-two', 'logicboxes'],
      ]),
    );
  });

  it.each([
    ['dynadot-bulk', 'dynadot', 'dynadot-bulk-renew-me.net'],
    ['lb-two', 'logicboxes', 'lb-two-expiring-soon.net'],
  ])(
    'domain info for %s lands at its instance only; its sibling %s does not hold the domain',
    async (account, sibling, domain) => {
      const info = await ok<{ domain: string; account: string; provider: string }>(
        await call(`/v1/domains/${domain}?account=${account}`),
      );
      expect(info).toMatchObject({ domain, account, provider: sibling });
      const counts = await callCounts();
      expect(counts[account]).toBeGreaterThan(0);
      for (const other of INSTANCES.filter((a) => a !== account)) expect(counts[other], other).toBe(0);

      const elsewhere = await call(`/v1/domains/${domain}?account=${sibling}`);
      expect(elsewhere.status).toBe(404);
      expect(await callsAt(sibling)).toBeGreaterThan(0);
      expect(await callsAt(account)).toBe(counts[account]);
    },
  );

  it('balances are per account, each read from its own instance', async () => {
    for (const account of INSTANCES) {
      const balance = await ok<{ account: string; available: { amount: string } }>(
        await call(`/v1/accounts/${account}/balance`),
      );
      expect(balance.account).toBe(account);
      expect(Number(balance.available.amount)).toBe(await simBalance(account));
    }
    const amounts = await Promise.all(INSTANCES.map(simBalance));
    expect(new Set(amounts).size).toBe(INSTANCES.length);
  });

  it('inventory sync reads each account and files its domains under it', async () => {
    const sync = await ok<{ accounts: Array<{ account: string; added: number; error?: unknown }> }>(
      await call('/v1/sync', { method: 'POST' }),
    );
    for (const account of INSTANCES) {
      const mine = sync.accounts.find((a) => a.account === account);
      expect(mine, account).toBeDefined();
      expect(mine?.error, account).toBeUndefined();
    }
    for (const account of INSTANCES) {
      const page = await ok<{ items: Array<{ domain: string; account: string }> }>(
        await call(`/v1/domains?account=${account}&limit=500`),
      );
      const listed = page.items.map((d) => d.domain).sort();
      // What the instance holds in its inventory listing (LogicBoxes lists active orders only).
      expect(listed.length, account).toBeGreaterThan(0);
      for (const domain of listed) expect(await simDomains(account), account).toContain(domain);
    }

    // One account's sync reads that account's instance alone.
    const before = await callCounts();
    await ok(await call('/v1/sync?account=lb-two', { method: 'POST' }));
    const after = await callCounts();
    expect(after['lb-two']).toBeGreaterThan(before['lb-two'] ?? 0);
    for (const other of ['dynadot', 'dynadot-bulk', 'logicboxes']) expect(after[other]).toBe(before[other]);
  });
});

describe('the account gate serializes each Dynadot account on its own', () => {
  it('two accounts’ calls overlap at their registrar; one account’s second call waits for its first', async () => {
    // Parked inside the registrar's thread (counted in flight) until `hold` is lifted.
    for (const account of ['dynadot', 'dynadot-bulk']) await sim(account).call('processing', { hold: true });
    const started = ['dynadot', 'dynadot', 'dynadot-bulk', 'dynadot-bulk'].map((account) =>
      call(`/v1/accounts/${account}/balance`),
    );
    try {
      await waitUntil(async () => {
        const [a, b] = await Promise.all(
          ['dynadot', 'dynadot-bulk'].map((x) => sim(x).state<{ parked: number }>()),
        );
        const [ga, gb] = await Promise.all(['dynadot', 'dynadot-bulk'].map(gateStats));
        return a?.parked === 1 && b?.parked === 1 && ga?.queued === 1 && gb?.queued === 1;
      }, "one call of each account at its registrar and each account's second call at its gate");
      // Both accounts are at their registrar at once, each with one call only.
      for (const account of ['dynadot', 'dynadot-bulk']) {
        const state = await sim(account).state<{ inFlight: number }>();
        expect(state.inFlight, account).toBe(1);
      }
    } finally {
      for (const account of ['dynadot', 'dynadot-bulk'])
        await sim(account).call('processing', { hold: false });
    }
    for (const res of await Promise.all(started)) expect(res.status).toBe(200);
    for (const account of ['dynadot', 'dynadot-bulk']) {
      const state = await sim(account).state<{
        maxConcurrent: number;
        concurrentRejections: number;
        calls: Record<string, number>;
      }>();
      expect(state.maxConcurrent, account).toBe(1);
      expect(state.concurrentRejections, account).toBe(0);
      expect(state.calls.get_account_balance, account).toBe(2);
    }
  });
});

describe('renewals through the engine land at the right account', () => {
  it.each([
    ['dynadot-bulk', 'dynadot', 'dynadot-bulk-renew-me.net'],
    ['lb-two', 'logicboxes', 'lb-two-expiring-soon.net'],
  ])(
    'a renewal for %s renews at its instance only (the REST door, the queue jobs)',
    async (account, sibling, domain) => {
      const p = pump(ACCOUNTS_VARS);
      const res = await call(
        `/v1/domains/${domain}/renew`,
        { method: 'POST', body: { years: 1, account } },
        p.env,
      );
      const { id } = await ok<{ id: string }>(res);
      await p.drain();
      expect(await waitForState(id)).toBe('confirmed');
      expect(await upstreamRenewals(account, domain)).toHaveLength(1);
      expect(await upstreamRenewals(sibling)).toEqual([]);
      const row = await env.DB.prepare('SELECT account FROM renewals WHERE id = ?')
        .bind(id)
        .first<{ account: string }>();
      expect(row?.account).toBe(account);
    },
  );

  it('without `account`, the inventory names the holder among two accounts of one registrar', async () => {
    const p = pump(ACCOUNTS_VARS);
    await ok(await call('/v1/sync?account=dynadot-bulk', { method: 'POST' }));
    const { renewal } = await renewWithoutAccount(p.env, 'dynadot-bulk-renew-me.net');
    expect(renewal.account).toBe('dynadot-bulk');
    await p.drain();
    expect(await waitForState(renewal.id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot-bulk')).toHaveLength(1);
    expect(await upstreamRenewals('dynadot')).toEqual([]);
  });
});

describe('moving from one account per registrar to ACCOUNTS keeps existing data', () => {
  it('rows filed under `dynadot` before ACCOUNTS are found and renewed under `dynadot` after', async () => {
    // Before: no ACCOUNTS (the global env). The inventory and one queued renewal are filed under `dynadot`.
    const before = pump();
    expect(before.env.ACCOUNTS).toBeUndefined();
    await ok(await call('/v1/sync?account=dynadot', { method: 'POST' }, before.env));
    const { renewal: queued } = await renewWithoutAccount(before.env, 'renew-me.net');
    expect(queued.account).toBe('dynadot');

    // After: ACCOUNTS adds `dynadot-bulk` beside `dynadot`. The queued job survives the change.
    const after = pump(ACCOUNTS_VARS);
    after.sent.push(...before.sent.splice(0));
    const info = await ok<{ account: string }>(await call('/v1/domains/sim-dynadot.com'));
    expect(info.account).toBe('dynadot');
    const resync = await ok<{ accounts: Array<{ account: string; added: number; vanished: number }> }>(
      await call('/v1/sync?account=dynadot', { method: 'POST' }),
    );
    expect(resync.accounts).toEqual([expect.objectContaining({ account: 'dynadot', added: 0, vanished: 0 })]);

    const { renewal: later } = await renewWithoutAccount(after.env, 'sim-dynadot.com');
    expect(later.account).toBe('dynadot');
    await after.drain();
    expect(await waitForState(queued.id)).toBe('confirmed');
    expect(await waitForState(later.id)).toBe('confirmed');
    expect((await upstreamRenewals('dynadot')).map((r) => r.domain).sort()).toEqual([
      'renew-me.net',
      'sim-dynadot.com',
    ]);
    expect(await upstreamRenewals('dynadot-bulk')).toEqual([]);
  });
});
