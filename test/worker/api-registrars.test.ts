/**
 * Every REST route that reaches a registrar, run in workerd against each simulator in this stack
 * (whichever registrars have landed): the worker calls the simulators over real sockets, through
 * the AccountGate, and each assertion compares the API's answer with the simulator's own state.
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AVAILABILITY_PREFERENCE } from '../../src/core/availability';
import { requireDomainName } from '../../src/core/domain-name';
import { loadConfig } from '../../src/env';
import type { Capability } from '../../src/providers/types';
import {
  api,
  auditOf,
  configuredAccounts,
  freshRegistrarState,
  json,
  type ProblemBody,
  seedInventory,
} from './api-support';
import { providerFor, sim, workerEnv } from './helpers';

const ACCOUNTS = configuredAccounts();
if (ACCOUNTS.length === 0) {
  console.warn(
    '\n!!! No registrar simulator is registered in sim/registry.ts: the registrar-backed API tests are skipped. !!!\n',
  );
}

function capabilities(account: string): ReadonlySet<Capability> {
  return providerFor(account).capabilities;
}

interface SimDomain {
  name: string;
  expiresAt?: string;
  nameservers?: string[];
}

/**
 * The domains a simulator holds, read from its `/__sim/state`: the first array of records that
 * carry a domain name (`domain` or `name`), preferring `domains`, then `orders`.
 */
async function simDomains(account: string): Promise<SimDomain[]> {
  const state = (await sim(account).state()) as Record<string, unknown>;
  const keys = ['domains', 'orders', ...Object.keys(state)];
  for (const key of keys) {
    const value = state[key];
    const list = Array.isArray(value)
      ? value
      : value && typeof value === 'object'
        ? Object.values(value)
        : [];
    const records = list.filter(
      (r): r is Record<string, unknown> =>
        !!r &&
        typeof r === 'object' &&
        typeof (r.domain ?? r.name) === 'string' &&
        String(r.domain ?? r.name).includes('.'),
    );
    if (records.length > 0 && records.length === list.length) {
      return records.map((r) => {
        const nameservers = r.nameservers ?? r.ns ?? r.dns;
        return {
          // Simulators keep the registrar's own spelling (35.com: native script for .cn/.中国).
          name: requireDomainName(String(r.domain ?? r.name)),
          expiresAt: typeof r.expiresAt === 'string' ? r.expiresAt : undefined,
          nameservers: Array.isArray(nameservers) ? (nameservers as string[]) : undefined,
        };
      });
    }
  }
  throw new Error(`cannot find the domains in the ${account} simulator's state`);
}

interface Page {
  items: { domain: string; account: string; expiresAt?: string; vanishedAt?: string }[];
  nextCursor?: string;
}

async function allInventory(query: string): Promise<Page['items']> {
  const items: Page['items'] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const res = await api(`/v1/domains?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

interface SyncReply {
  added: number;
  updated: number;
  vanished: number;
  accounts: {
    account: string;
    method: string;
    added: number;
    updated: number;
    unchanged: number;
    vanished: number;
    error?: unknown;
  }[];
}

async function sync(account?: string): Promise<SyncReply> {
  const res = await api(`/v1/sync${account ? `?account=${account}` : ''}`, { method: 'POST' });
  expect(res.status).toBe(200);
  return json<SyncReply>(res);
}

const sameDay = (a?: string, b?: string) => a?.slice(0, 10) === b?.slice(0, 10);

beforeEach(async () => {
  // No account has a TLD list until a test syncs.
  await freshRegistrarState(ACCOUNTS);
});

afterEach(async () => {
  for (const account of ACCOUNTS) await sim(account).clearFaults();
});

describe.skipIf(ACCOUNTS.length === 0).each(ACCOUNTS)('account %s', (account) => {
  it('GET /v1/accounts lists it with its capabilities and a healthy check', async () => {
    const res = await api('/v1/accounts');
    expect(res.status).toBe(200);
    const body = await json<{
      accounts: { key: string; capabilities: string[]; health: { status: string } }[];
    }>(res);
    const entry = body.accounts.find((a) => a.key === account);
    expect(entry).toBeDefined();
    expect(new Set(entry!.capabilities)).toEqual(new Set(capabilities(account)));
    expect(entry!.health.status).not.toBe('error');
  });

  it('POST /v1/sync adds what the registrar holds, changes nothing the second time, marks a departed domain vanished', async () => {
    const held = await simDomains(account);
    const method = capabilities(account).has('listDomains') ? 'listDomains' : 'getDomain';
    if (method === 'getDomain') {
      // Without a listing, a sync can only re-read the domains already known.
      await seedInventory(held.map((d) => ({ domain: d.name, account })));
    }
    await seedInventory([{ domain: 'transferred-away-example.com', account }]);

    const first = await sync(account);
    const mine = first.accounts.find((a) => a.account === account)!;
    expect(mine).toMatchObject({ method, vanished: 1 });
    expect(mine.error).toBeUndefined();
    if (method === 'listDomains') expect(mine.added).toBe(held.length);
    else expect(mine.added + mine.updated + mine.unchanged).toBe(held.length);

    const listed = await allInventory(`&account=${account}`);
    expect(listed.map((d) => d.domain).sort()).toEqual(held.map((d) => d.name).sort());
    for (const d of held) {
      const row = listed.find((r) => r.domain === d.name)!;
      if (d.expiresAt) expect(sameDay(row.expiresAt, d.expiresAt), d.name).toBe(true);
    }

    const second = await sync(account);
    expect(second.accounts[0]).toMatchObject({ added: 0, updated: 0, vanished: 0, unchanged: held.length });
    const gone = await api(`/v1/domains/transferred-away-example.com`);
    expect(gone.status).toBe(404);

    if (method === 'listDomains') {
      // A domain that comes back (transferred in again) is added again.
      await env.DB.prepare('UPDATE domains SET vanished_at = ? WHERE domain = ? AND account = ?')
        .bind(new Date().toISOString(), held[0]!.name, account)
        .run();
      const third = await sync(account);
      expect(third.accounts[0]).toMatchObject({ added: 1, vanished: 0 });
    }
  });

  it('a sync that cannot read the registrar reports the error and marks nothing vanished', async () => {
    const held = await simDomains(account);
    await seedInventory(held.map((d) => ({ domain: d.name, account })));
    await sim(account).faults({ fault: { kind: 'garbage' }, times: 0 });
    const reply = await sync(account);
    expect(reply.accounts[0]!.error).toMatchObject({
      kind: expect.stringMatching(/protocol|transport|upstream/),
    });
    expect(reply.vanished).toBe(0);
    const { results } = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM domains WHERE account = ? AND vanished_at IS NULL',
    )
      .bind(account)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(held.length);
  });

  it('GET /v1/domains/{domain} finds the holder through the inventory and returns live data', async () => {
    const [first] = await simDomains(account);
    await seedInventory([{ domain: first!.name, account }]);
    const res = await api(`/v1/domains/${first!.name.toUpperCase()}.`);
    expect(res.status).toBe(200);
    const info = await json<{ domain: string; account: string; expiresAt: string; nameservers: string[] }>(
      res,
    );
    expect(info).toMatchObject({ domain: first!.name, account });
    if (first!.expiresAt) expect(sameDay(info.expiresAt, first!.expiresAt)).toBe(true);

    const direct = await api(`/v1/domains/${first!.name}?account=${account}`);
    expect(direct.status).toBe(200);
    const notHeld = await api(`/v1/domains/not-held-by-anyone-example.com?account=${account}`);
    expect(notHeld.status).toBe(404);
    expect(await json<ProblemBody>(notHeld)).toMatchObject({ kind: 'not_found' });
  });

  it('an unreadable registrar reply becomes a 502 problem naming the registrar, never a crash', async () => {
    const [first] = await simDomains(account);
    await sim(account).faults({ fault: { kind: 'garbage' }, times: 0 });
    const res = await api(`/v1/domains/${first!.name}?account=${account}`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await json<ProblemBody & { provider?: string }>(res);
    expect(body.kind).toMatch(/^(protocol|transport)$/);
    expect(body.provider).toBe(providerFor(account).key);
  });

  it('PUT /v1/domains/{domain} imports a held domain (201), refreshes it (200) and refuses one not held (404)', async () => {
    const [first] = await simDomains(account);
    const added = await api(`/v1/domains/${first!.name}`, { method: 'PUT', body: { account } });
    expect(added.status).toBe(201);
    expect(await json(added)).toMatchObject({ domain: first!.name, account });
    const again = await api(`/v1/domains/${first!.name}`, { method: 'PUT', body: { account } });
    expect(again.status).toBe(200);
    const missing = await api('/v1/domains/not-held-by-anyone-example.com', {
      method: 'PUT',
      body: { account },
    });
    expect(missing.status).toBe(404);
    const rows = await allInventory(`&account=${account}`);
    expect(rows.map((r) => r.domain)).toEqual([first!.name]);
  });

  it('availability through this account: a held name is taken, a bad name has its own reason', async () => {
    if (!capabilities(account).has('checkAvailability')) {
      const res = await api(`/v1/availability?domain=example.com&account=${account}`);
      expect(res.status).toBe(501);
      return;
    }
    const [first] = await simDomains(account);
    const res = await api(`/v1/availability?domain=${first!.name}&domain=bad_name.com&account=${account}`);
    expect(res.status).toBe(200);
    const { results } = await json<{
      results: {
        domain: string;
        available: boolean | null;
        account?: string;
        reason?: string;
        detail?: string;
      }[];
    }>(res);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ domain: first!.name, available: false, account });
    expect(results[1]).toMatchObject({ domain: 'bad_name.com', available: null, reason: 'invalid_name' });
    expect(results[1]!.detail).toMatch(/characters/);
  });

  it('GET /v1/accounts/{account}/balance reports the registrar balance, or 501 where there is none', async () => {
    const res = await api(`/v1/accounts/${account}/balance`);
    if (!capabilities(account).has('getBalance')) {
      expect(res.status).toBe(501);
      expect(await json<ProblemBody>(res)).toMatchObject({ kind: 'unsupported' });
      return;
    }
    expect(res.status).toBe(200);
    const body = await json<{ account: string; available: { amount: string; currency: string } }>(res);
    expect(body.account).toBe(account);
    expect(body.available.amount).toMatch(/^-?\d+(\.\d+)?$/);
    expect(body.available.currency).toMatch(/^[A-Z]{3}$/);
    // The simulator's balance, wherever its state keeps it, is the same amount.
    const state = JSON.stringify(await sim(account).state());
    const amounts = [...state.matchAll(/"(?:balance|amount)":"?(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
    expect(amounts).toContain(Number(body.available.amount));
  });

  it('PUT nameservers / lock / auto-renew change the registrar where it can, 501 where it cannot', async () => {
    const [first] = await simDomains(account);
    const caps = capabilities(account);
    const domain = first!.name;

    const ns = ['ns1.gateway-test.net', 'ns2.gateway-test.net'];
    const nsRes = await api(`/v1/domains/${domain}/nameservers?account=${account}`, {
      method: 'PUT',
      body: { nameservers: ns },
    });
    if (caps.has('setNameservers')) {
      expect(nsRes.status).toBe(200);
      const after = (await simDomains(account)).find((d) => d.name === domain);
      if (after?.nameservers) expect(after.nameservers.map((n) => n.toLowerCase())).toEqual(ns);
    } else {
      expect(nsRes.status).toBe(501);
    }

    // Lock first (every registrar with the capability can), then unlock: some registrars only lock
    // through the API (Dynadot), which must be an honest 501, never a silent success.
    for (const locked of [true, false]) {
      const res = await api(`/v1/domains/${domain}/lock?account=${account}`, {
        method: 'PUT',
        body: { locked },
      });
      if (!caps.has('setLock') || (!locked && res.status === 501)) {
        expect(res.status).toBe(501);
        expect(await json<ProblemBody>(res)).toMatchObject({ kind: 'unsupported' });
        break;
      }
      expect(res.status).toBe(200);
      const live = await json<{ locked?: boolean }>(await api(`/v1/domains/${domain}?account=${account}`));
      if (live.locked !== undefined) expect(live.locked).toBe(locked);
    }

    const actions = (await auditOf('domain', domain)).map((r) => r.action);
    if (caps.has('setNameservers')) expect(actions).toContain('set_nameservers');
    if (caps.has('setLock')) expect(actions).toContain('set_lock');

    const auto = await api(`/v1/domains/${domain}/auto-renew?account=${account}`, {
      method: 'PUT',
      body: { enabled: true },
    });
    if (caps.has('setAutoRenew')) {
      expect(auto.status).toBe(200);
      const live = await json<{ autoRenew?: boolean }>(await api(`/v1/domains/${domain}?account=${account}`));
      if (live.autoRenew !== undefined) expect(live.autoRenew).toBe(true);
    } else {
      expect(auto.status).toBe(501);
      expect(await json<ProblemBody>(auto)).toMatchObject({ kind: 'unsupported' });
    }
  });

  it('GET /v1/prices?account= quotes this account or says why not', async () => {
    const res = await api(`/v1/prices?tld=com&operation=renew&years=1&account=${account}`);
    expect(res.status).toBe(200);
    const body = await json<{
      prices: { account: string; price: { amount: string } }[];
      unavailable: { account: string; kind: string }[];
    }>(res);
    expect(body.prices.length + body.unavailable.length).toBe(1);
    if (!capabilities(account).has('getPrices'))
      expect(body.unavailable[0]).toMatchObject({ account, kind: 'unsupported' });
    for (const p of body.prices) expect(p.price.amount).toMatch(/^\d+(\.\d+)?$/);
  });
});

const CHECKERS = ACCOUNTS.filter((a) => capabilities(a).has('checkAvailability'));
/** The checker that answers first when no account has a TLD list (AVAILABILITY_PREFERENCE). */
const PREFERRED_CHECKER =
  AVAILABILITY_PREFERENCE.map(String).find((key) => CHECKERS.includes(key)) ?? CHECKERS[0];

describe.skipIf(CHECKERS.length === 0)('availability across accounts', () => {
  it('answers every name of a larger list, each through an account, within each registrar’s call rules', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `gateway-fanout-${i}.com`);
    const res = await api('/v1/availability', {
      method: 'POST',
      body: { domains: [...names, 'bad_name.com'] },
    });
    expect(res.status).toBe(200);
    const { results } = await json<{ results: { domain: string; account?: string; reason?: string }[] }>(res);
    expect(results.map((r) => r.domain)).toEqual([...names, 'bad_name.com']);
    // No account has a TLD list here (no sync): the most preferred checker answers every name.
    const preferred = PREFERRED_CHECKER;
    for (const r of results.slice(0, -1)) {
      expect(r.reason, r.domain).toBeUndefined();
      expect(r.account, r.domain).toBe(preferred);
    }
    // Where the simulator records its peak concurrency, the registrar's limit held.
    for (const account of CHECKERS) {
      const state = (await sim(account).state()) as { maxConcurrent?: number };
      const limit = loadConfig(workerEnv).accounts.find((a) => a.name === account)!;
      if (state.maxConcurrent !== undefined) {
        expect(state.maxConcurrent).toBeLessThanOrEqual(limit.definition.gate(limit.config).concurrency);
      }
    }
  });

  it('streams NDJSON as results arrive: the invalid name (known at once) comes first', async () => {
    const res = await api(
      '/v1/availability?domain=gateway-stream-a.com&domain=gateway-stream-b.net&domain=x..com',
      {
        headers: { accept: 'application/x-ndjson' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { domain: string; reason?: string });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ domain: 'x..com', available: null, reason: 'invalid_name' });
    expect(
      lines
        .slice(1)
        .map((l) => l.domain)
        .sort(),
    ).toEqual(['gateway-stream-a.com', 'gateway-stream-b.net']);
  });

  it.skipIf(CHECKERS.length < 2)('moves names to another account when one registrar fails', async () => {
    const [survivor, ...failing] = CHECKERS;
    for (const account of failing) await sim(account).faults({ fault: { kind: 'garbage' }, times: 0 });
    const names = Array.from({ length: 8 }, (_, i) => `gateway-failover-${i}.com`);
    const res = await api('/v1/availability', { method: 'POST', body: names });
    expect(res.status).toBe(200);
    const { results } = await json<{ results: { account?: string; reason?: string }[] }>(res);
    expect(results).toHaveLength(8);
    for (const r of results) expect(r).toMatchObject({ account: survivor });
    for (const r of results) expect(r.reason).toBeUndefined();
  });

  it('gives each name its own reason when every account fails, not a failed request', async () => {
    for (const account of CHECKERS) await sim(account).faults({ fault: { kind: 'garbage' }, times: 0 });
    const res = await api('/v1/availability?domain=gateway-all-fail.com&domain=gateway-all-fail-2.com');
    expect(res.status).toBe(200);
    const { results } = await json<{
      results: { available: boolean | null; reason?: string; detail?: string; account?: string }[];
    }>(res);
    expect(results).toHaveLength(2);
    for (const r of results) {
      // Unknown, never "taken".
      expect(r.available).toBeNull();
      expect(r.reason).toBe('check_failed');
      expect(r.account).toBeUndefined();
      expect(r.detail).toMatch(/protocol|transport|upstream/);
    }
  });
});

describe.skipIf(ACCOUNTS.length === 0)('prices and sync across accounts', () => {
  it('GET /v1/prices puts every account side by side, cheapest first within a currency', async () => {
    const res = await api('/v1/prices?tld=com');
    expect(res.status).toBe(200);
    const body = await json<{
      prices: { account: string; price: { amount: string; currency: string } }[];
      unavailable: { account: string }[];
      comparable: boolean;
    }>(res);
    expect([...body.prices.map((p) => p.account), ...body.unavailable.map((u) => u.account)].sort()).toEqual(
      [...ACCOUNTS].sort(),
    );
    for (let i = 1; i < body.prices.length; i++) {
      const [a, b] = [body.prices[i - 1]!, body.prices[i]!];
      if (a.price.currency === b.price.currency)
        expect(Number(a.price.amount)).toBeLessThanOrEqual(Number(b.price.amount));
    }
  });

  it('POST /v1/sync without account syncs every account and totals the counts', async () => {
    const reply = await sync();
    expect(reply.accounts.map((a) => a.account).sort()).toEqual([...ACCOUNTS].sort());
    expect(reply.added).toBe(reply.accounts.reduce((n, a) => n + a.added, 0));
    const total = (await allInventory('')).length;
    expect(total).toBe(reply.added);
  });

  it('POST /v1/sync?account= refuses an unknown account with 404', async () => {
    const res = await api('/v1/sync?account=no-such-account', { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it('the hourly cron runs the same sync, TLD lists included', async () => {
    const { runScheduled } = await import('../../src/core/scheduled');
    const { notifier } = await import('../../src/index');
    const waits: Promise<unknown>[] = [];
    await runScheduled(
      { cron: '0 * * * *', scheduledTime: Date.now(), noRetry() {} } as ScheduledController,
      workerEnv,
      {
        waitUntil: (p: Promise<unknown>) => waits.push(p),
        passThroughOnException() {},
        props: {},
      } as unknown as ExecutionContext,
      notifier,
    );
    await Promise.all(waits);
    const { results } = await env.DB.prepare('SELECT DISTINCT account FROM domains').all<{
      account: string;
    }>();
    const listing = ACCOUNTS.filter((a) => capabilities(a).has('listDomains'));
    expect(results.map((r) => r.account).sort()).toEqual(listing.sort());
    // Every account with a price list now has its TLD list (availability routes by it).
    const lists = await env.DB.prepare('SELECT DISTINCT account FROM account_tlds').all<{
      account: string;
    }>();
    const pricing = ACCOUNTS.filter((a) => capabilities(a).has('getPrices'));
    expect(lists.results.map((r) => r.account).sort()).toEqual(pricing.sort());
  });
});
