/**
 * The Dynadot provider inside workerd, through the AccountGate Durable Object and real sockets,
 * against the strict API3 simulator.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { GatewayError } from '../../src/core/errors';
import { createLogger, type Logger } from '../../src/core/log';
import type { DomainSummary } from '../../src/core/model';
import { dynadot } from '../../src/providers/dynadot/provider';
import type { Provider } from '../../src/providers/types';
import { freshHealth, gateStats, providerFor, sim, waitForAdmitted, waitUntil, workerEnv } from './helpers';

const control = sim('dynadot');
const KEY = workerEnv.DYNADOT_API_KEY as unknown as string;
const BASE = workerEnv.DYNADOT_BASE_URL as unknown as string;

interface SimState {
  balance: { amount: string; currency: string };
  domains: Array<{
    name: string;
    expiresAt: string;
    nameservers: string[];
    locked: boolean;
    renewOption: string;
  }>;
  renewals: Array<{ domain: string; years: number; at: string }>;
  calls: Record<string, number>;
  maxConcurrent: number;
  concurrentRejections: number;
  parked: number;
}
const state = () => control.state<SimState>();

/** A provider built like createAccounts does, but with its own key, logger or account name. */
function customProvider(opts: {
  key?: string;
  logger?: Logger;
  account?: string;
  vars?: Record<string, string>;
}) {
  const config = dynadot.parseConfig({
    DYNADOT_API_KEY: opts.key ?? KEY,
    DYNADOT_BASE_URL: BASE,
    ...opts.vars,
  });
  const account = opts.account ?? `dynadot-${Math.random().toString(36).slice(2)}`;
  return dynadot.create(account, config, {
    fetch: gatedFetch(workerEnv.ACCOUNT_GATE, account, dynadot.gate(config)),
    logger: opts.logger ?? createLogger({ level: 'error' }),
  });
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error.kind;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

let provider: Provider;
beforeEach(async () => {
  await control.reset();
  provider = providerFor('dynadot');
});

describe('dynadot provider: reads', () => {
  it('checks availability with prices, in one search per 100 names', async () => {
    const result = await provider.checkAvailability(['renew-me.net', 'Fresh-Name-123.com', 'taken-x.com'], {
      withPrices: true,
    });
    expect(result).toEqual([
      { domain: 'renew-me.net', available: false, premium: false },
      {
        domain: 'fresh-name-123.com',
        available: true,
        premium: false,
        price: { amount: '10.99', currency: 'USD' },
      },
      { domain: 'taken-x.com', available: false, premium: false },
    ]);
    const many = Array.from({ length: 150 }, (_, i) => `free-${i}.com`);
    const batch = await provider.checkAvailability(many, {});
    expect(batch).toHaveLength(150);
    expect(batch.every((a) => a.available)).toBe(true);
    expect((await state()).calls.search).toBe(3);
  });

  it('reads the live labelled search prices and premium marker; an unreadable price costs only that name its price', async () => {
    // The document shows only `77.00 in USD`; live replies carry the labelled sentence (decisions).
    await control.call('search-price', {
      form: 'labelled',
      text: { 'odd-price.com': 'call us for a price' },
    });
    const lines: string[] = [];
    const p = customProvider({ logger: createLogger({ level: 'warn', sink: (l) => lines.push(l) }) });
    const result = await p.checkAvailability(['fresh-name.org', 'gold.io', 'odd-price.com', 'taken-x.com'], {
      withPrices: true,
    });
    expect(result).toEqual([
      // .org: registration 9.99, renewal 11.99: the registration price is the one reported.
      {
        domain: 'fresh-name.org',
        available: true,
        premium: false,
        price: { amount: '9.99', currency: 'USD' },
      },
      { domain: 'gold.io', available: true, premium: true, price: { amount: '1250', currency: 'USD' } },
      { domain: 'odd-price.com', available: true, premium: false },
      { domain: 'taken-x.com', available: false, premium: false },
    ]);
    expect(
      lines.filter((l) => l.includes('odd-price.com') && l.includes('call us for a price')),
    ).toHaveLength(1);
    expect((await state()).calls.search).toBe(1);
  });

  it('gets a domain with its name servers and flags', async () => {
    const d = await provider.getDomain('sim-dynadot.com', {});
    const simDomain = (await state()).domains.find((x) => x.name === 'sim-dynadot.com');
    expect(d).toMatchObject({
      domain: 'sim-dynadot.com',
      expiresAt: simDomain?.expiresAt,
      nameservers: ['ns1.sim-dns.net', 'ns2.sim-dns.net'],
      autoRenew: true,
      locked: true,
      status: ['active', 'locked'],
    });
    expect(await kindOf(provider.getDomain('not-mine.com', {}))).toBe('not_found');
  });

  it('lists 10,000 domains from one list_domain reply', async () => {
    await control.call('domains', { generate: { count: 10_000, prefix: 'bulk' } });
    let count = 0;
    let last: DomainSummary | undefined;
    for await (const d of provider.listDomains({})) {
      count++;
      last = d;
    }
    expect(count).toBe(10_005);
    expect(last?.domain).toBe('bulk-9999.com');
    expect(last?.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('reads the balance and the renewal price of a TLD', async () => {
    expect(await provider.getBalance({})).toEqual({ available: { amount: '500', currency: 'USD' } });
    expect(await provider.getPrices({ tld: '.com', operation: 'renew' }, {})).toEqual([
      { tld: 'com', operation: 'renew', years: 1, amount: { amount: '10.99', currency: 'USD' } },
    ]);
    const two = await provider.getPrices({ tld: 'net', operation: 'renew', years: 2 }, {});
    expect(two[0]?.amount).toEqual({ amount: '24.98', currency: 'USD' });
  });

  it('reads transfer status', async () => {
    expect(await provider.getTransferStatus('incoming-transfer.com', {})).toEqual({
      domain: 'incoming-transfer.com',
      state: 'pending',
      rawStatus: 'waiting',
    });
    expect((await provider.getTransferStatus('sim-dynadot.com', {})).state).toBe('none');
  });

  it('pings with a cheap account call, which /v1/health reports', async () => {
    await expect(provider.ping?.({})).resolves.toBeUndefined();
    expect((await state()).calls.account_info).toBe(1);
    const body = await freshHealth('dynadot');
    expect(body.accounts.find((a) => a.account === 'dynadot')?.reachable).toBe('ok');
    expect((await state()).calls.account_info).toBe(2);
  });
});

describe('dynadot provider: writes', () => {
  it('sets and reads name servers', async () => {
    await provider.setNameservers('parked-example.org', ['NS1.Example-DNS.net', 'ns2.example-dns.net'], {});
    expect(await provider.getNameservers('parked-example.org', {})).toEqual([
      'ns1.example-dns.net',
      'ns2.example-dns.net',
    ]);
    expect(await kindOf(provider.setNameservers('parked-example.org', [], {}))).toBe('invalid_request');
  });

  it('sets auto-renew both ways', async () => {
    await provider.setAutoRenew('renew-me.net', true, {});
    expect((await provider.getDomain('renew-me.net', {})).autoRenew).toBe(true);
    await provider.setAutoRenew('renew-me.net', false, {});
    expect((await provider.getDomain('renew-me.net', {})).autoRenew).toBe(false);
  });

  it('locks; unlocking is not in the API', async () => {
    await provider.setLock('parked-example.org', true, {});
    expect((await provider.getDomain('parked-example.org', {})).locked).toBe(true);
    expect(await kindOf(provider.setLock('parked-example.org', false, {}))).toBe('unsupported');
  });
});

describe('dynadot provider: renew', () => {
  it('renews once; the same intent again is a conflict, not a second charge', async () => {
    const before = await provider.getDomain('renew-me.net', {});
    const result = await provider.renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {});
    const expected = new Date(before.expiresAt);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(result).toMatchObject({
      domain: 'renew-me.net',
      outcome: 'confirmed',
      newExpiry: expected.toISOString(),
    });
    expect(
      await kindOf(provider.renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {})),
    ).toBe('conflict');
    const s = await state();
    expect(s.renewals).toHaveLength(1);
    expect(s.balance.amount).toBe('487.51');
  });

  it('a reply lost after the registrar acted reconciles to confirmed', async () => {
    const before = await provider.getDomain('renew-me.net', {});
    await control.faults({ fault: { kind: 'drop_after' }, match: 'renew' });
    const result = await provider.renew('renew-me.net', { years: 2, expectedExpiry: before.expiresAt }, {});
    expect(result.outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('a truncated reply after acting reconciles to confirmed', async () => {
    const before = await provider.getDomain('renew-me.net', {});
    await control.faults({ fault: { kind: 'truncate' }, match: 'renew' });
    const result = await provider.renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {});
    expect(result.outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('a lost request stays outcome_unknown, and a retry with the same expectation then renews once', async () => {
    const before = await provider.getDomain('renew-me.net', {});
    await control.faults({ fault: { kind: 'drop_before' }, match: 'renew' });
    const req = { years: 1, expectedExpiry: before.expiresAt };
    expect(await kindOf(provider.renew('renew-me.net', req, {}))).toBe('outcome_unknown');
    expect((await state()).renewals).toHaveLength(0);
    expect((await provider.renew('renew-me.net', req, {})).outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('a 5xx or an HTML page on renew is outcome_unknown, never retried', async () => {
    const before = await provider.getDomain('renew-me.net', {});
    const req = { years: 1, expectedExpiry: before.expiresAt };
    await control.faults({ fault: { kind: 'http_status', status: 502 }, match: 'renew' });
    expect(await kindOf(provider.renew('renew-me.net', req, {}))).toBe('outcome_unknown');
    await control.faults({ fault: { kind: 'html' }, match: 'renew' });
    expect(await kindOf(provider.renew('renew-me.net', req, {}))).toBe('outcome_unknown');
    const s = await state();
    // The faults answered in the registrar's place: it never renewed, and we never sent it again.
    expect(s.renewals).toHaveLength(0);
    expect(s.domains.find((d) => d.name === 'renew-me.net')?.expiresAt).toBe(before.expiresAt);
    expect(s.calls.renew ?? 0).toBe(0);
  });

  it('a renew still waiting in the account gate when its timeout fires is never sent, and says so', async () => {
    const account = `dynadot-unsent-${Math.random().toString(36).slice(2)}`;
    const impatient = customProvider({ account, vars: { DYNADOT_TIMEOUT_MS: '1000' } });
    const other = customProvider({ account, vars: { DYNADOT_TIMEOUT_MS: '10000' } });
    const before = await provider.getDomain('renew-me.net', {});
    // renew's own pre-read takes 0.6 s; meanwhile another call of the account queues behind it
    // and then holds the gate (one Dynadot call at a time) for 2 s, past renew's 1 s timeout.
    await control.faults([
      { fault: { kind: 'delay', ms: 600 }, match: 'domain_info' },
      { fault: { kind: 'delay', ms: 2_000 }, match: 'get_account_balance' },
    ]);
    const renewing = impatient
      .renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {})
      .catch((e: unknown) => e);
    await waitForAdmitted(account, 1);
    const holding = other.getBalance({});
    const error = await renewing;
    await holding;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'upstream_unavailable', notSent: true, retryable: true });
    // Give a wrongly queued call every chance to go out.
    await new Promise((r) => setTimeout(r, 1_500));
    const s = await state();
    expect(s.calls.renew ?? 0).toBe(0);
    expect(s.renewals).toHaveLength(0);
  });

  it('too little balance is insufficient_funds and charges nothing', async () => {
    await control.call('balance', { amount: '3.00' });
    const before = await provider.getDomain('renew-me.net', {});
    expect(
      await kindOf(provider.renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {})),
    ).toBe('insufficient_funds');
    expect((await state()).balance.amount).toBe('3.00');
  });
});

describe('dynadot provider: mapped errors', () => {
  it('a wrong key is authentication', async () => {
    const wrong = customProvider({ key: 'wrong-key-for-test-0042' });
    expect(await kindOf(wrong.getBalance({}))).toBe('authentication');
  });

  it('another client busy on the same key is upstream_unavailable (system_busy)', async () => {
    // Longer than our retries' whole backoff (3 attempts), so the last attempt still meets it.
    await control.call('processing', { ms: 1500 });
    // Another program using the same key, outside our gate.
    const other = fetch(`${BASE}/api3.xml?key=${KEY}&command=get_account_balance`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    const error = await provider.getBalance({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('upstream_unavailable');
    expect((error as GatewayError).retryable).toBe(true);
    await other;
  });

  it('a regular account searching 100 names at once is invalid_request', async () => {
    await control.call('tier', { tier: 'regular' });
    expect(await kindOf(provider.checkAvailability(['a-1.com', 'a-2.com'], {}))).toBe('invalid_request');
    const regular = customProvider({ vars: { DYNADOT_SEARCH_BATCH: '1' } });
    expect(await regular.checkAvailability(['a-1.com', 'a-2.com'], {})).toHaveLength(2);
  });

  it('5xx is upstream_unavailable, an HTML page or garbage is protocol, for reads', async () => {
    // `times: 0` = until cleared: reads are retried, so a single fault would be absorbed.
    await control.faults({
      fault: { kind: 'http_status', status: 503 },
      match: 'get_account_balance',
      times: 0,
    });
    expect(await kindOf(provider.getBalance({}))).toBe('upstream_unavailable');
    await control.clearFaults();
    await control.faults({ fault: { kind: 'html' }, match: 'get_account_balance' });
    expect(await kindOf(provider.getBalance({}))).toBe('protocol');
    await control.faults({ fault: { kind: 'garbage' }, match: 'get_account_balance' });
    expect(await kindOf(provider.getBalance({}))).toBe('protocol');
    await control.faults({ fault: { kind: 'drop_before' }, match: 'get_account_balance', times: 0 });
    expect(await kindOf(provider.getBalance({}))).toBe('transport');
    await control.clearFaults();
  });

  it('a read that fails once is retried and succeeds', async () => {
    await control.faults({ fault: { kind: 'http_status', status: 503 }, match: 'get_ns' });
    await control.faults({ fault: { kind: 'drop_before' }, match: 'get_ns' });
    expect(await provider.getNameservers('sim-dynadot.com', {})).toHaveLength(2);
    expect((await state()).calls.get_ns).toBe(1);
  });

  it('a slow registrar still answers', async () => {
    await control.faults({ fault: { kind: 'delay', ms: 300 }, match: 'get_ns' });
    expect(await provider.getNameservers('sim-dynadot.com', {})).toHaveLength(2);
  });
});

describe('dynadot: one request at a time per key', () => {
  it('concurrent calls through the gate never overlap at the simulator', async () => {
    await control.call('processing', { ms: 120 });
    const results = await Promise.all([
      provider.getBalance({}),
      provider.getDomain('renew-me.net', {}),
      provider.getNameservers('sim-dynadot.com', {}),
      provider.getBalance({}),
      provider.checkAvailability(['fresh-1.com'], {}),
    ]);
    expect(results).toHaveLength(5);
    const s = await state();
    expect(s.maxConcurrent).toBe(1);
    expect(s.concurrentRejections).toBe(0);
  });

  it('two provider instances of one account (as two isolates would have) share the gate', async () => {
    await control.call('processing', { ms: 120 });
    const a = customProvider({ account: 'dynadot-shared' });
    const b = customProvider({ account: 'dynadot-shared' });
    await Promise.all([a.getBalance({}), b.getBalance({}), a.getNameservers('sim-dynadot.com', {})]);
    const s = await state();
    expect(s.maxConcurrent).toBe(1);
    expect(s.concurrentRejections).toBe(0);
  });
});

describe('dynadot: the account’s threads (DYNADOT_CONCURRENCY)', () => {
  /** Two calls of one account, both parked by the simulator once they are inside its threads. */
  function twoCalls(p: Provider) {
    return Promise.all([p.getBalance({}), p.getNameservers('sim-dynadot.com', {})]);
  }

  it('with the default of one, a second call waits at the gate and never reaches the registrar alongside the first', async () => {
    const account = `dynadot-one-${Math.random().toString(36).slice(2)}`;
    const p = customProvider({ account });
    await control.call('threads', { max: 5 });
    await control.call('processing', { hold: true });
    const calls = twoCalls(p);
    // The first is inside Dynadot, the second queued at the account gate: a state, not a race.
    await waitUntil(async () => (await state()).parked === 1, 'the first call to reach the simulator');
    await waitUntil(async () => (await gateStats(account)).queued === 1, 'the second call to queue');
    expect((await state()).parked).toBe(1);
    await control.call('processing', { hold: false });
    await calls;
    const s = await state();
    expect(s.maxConcurrent).toBe(1);
    expect(s.concurrentRejections).toBe(0);
  });

  it('with DYNADOT_CONCURRENCY=2 on a bulk account, two calls are in flight at Dynadot at once', async () => {
    const account = `dynadot-two-${Math.random().toString(36).slice(2)}`;
    const p = customProvider({ account, vars: { DYNADOT_CONCURRENCY: '2' } });
    // A bulk account: 5 threads in Dynadot's command list.
    await control.call('threads', { max: 5 });
    await control.call('processing', { hold: true });
    const calls = twoCalls(p);
    await waitUntil(async () => (await state()).parked === 2, 'both calls to be inside Dynadot at once');
    await control.call('processing', { hold: false });
    await calls;
    const s = await state();
    expect(s.maxConcurrent).toBe(2);
    expect(s.concurrentRejections).toBe(0);
    // The availability fan-out runs as many workers as the gate admits.
    expect(p.limits.concurrency).toBe(2);
  });

  it('refuses a concurrency outside 1–35 at start-up', () => {
    for (const bad of ['0', '36', 'two']) {
      expect(() => dynadot.parseConfig({ DYNADOT_API_KEY: KEY, DYNADOT_CONCURRENCY: bad })).toThrow();
    }
    expect(dynadot.gate(dynadot.parseConfig({ DYNADOT_API_KEY: KEY }))).toEqual({ concurrency: 1 });
  });
});

describe('dynadot: the key never leaks', () => {
  it('appears in no log line and no error, even with a logger that knows no secrets', async () => {
    const lines: string[] = [];
    // No `secrets` here: the provider itself must keep the key out.
    const logger = createLogger({ level: 'debug', sink: (l) => lines.push(l) });
    const p = customProvider({ logger });
    const errors: unknown[] = [];
    await p.getBalance({});
    await p.getDomain('not-mine.com', {}).catch((e) => errors.push(e));
    await control.faults({ fault: { kind: 'drop_before' }, match: 'get_account_balance', times: 0 });
    await p.getBalance({}).catch((e) => errors.push(e));
    await control.clearFaults();
    await control.faults({ fault: { kind: 'http_status', status: 500 }, match: 'renew' });
    const before = await p.getDomain('renew-me.net', {});
    await p
      .renew('renew-me.net', { years: 1, expectedExpiry: before.expiresAt }, {})
      .catch((e) => errors.push(e));
    const wrongKey = 'wrong-key-for-test-0042';
    const wrong = customProvider({ key: wrongKey, logger });
    await wrong.getBalance({}).catch((e) => errors.push(e));

    expect(lines.length).toBeGreaterThan(4);
    expect(lines.some((l) => l.includes('[redacted]'))).toBe(true);
    expect(errors).toHaveLength(4);
    const everything = [
      ...lines,
      ...errors.map((e) => {
        const g = e as GatewayError;
        return JSON.stringify({
          message: g.message,
          upstream: g.upstreamMessage,
          cause: String(g.cause ?? ''),
        });
      }),
    ];
    for (const text of everything) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(wrongKey);
    }
  });
});
