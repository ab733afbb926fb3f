/**
 * The fan-out algorithm on its own, with in-memory providers built by `defineProvider`: routing by
 * TLD list and preference, batch sizes, per-account concurrency, failover between accounts,
 * per-name unknowns. (The same routes against the real simulators are in
 * test/worker/api-availability.test.ts and test/worker/api-registrars.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { defineProvider } from '../providers/define';
import type { Provider } from '../providers/types';
import { AVAILABILITY_PREFERENCE, type AvailabilityOptions, checkAvailability } from './availability';
import { unknownAvailability } from './availability-unknown';
import { GatewayError } from './errors';
import type { Availability } from './model';
import type { ProviderLookup as Accounts } from './provider-lookup';

interface FakeOptions {
  batch: number;
  concurrency: number;
  /** Registrar key (decides the preference order); default `fake`, which no list names. */
  key?: string;
  /** Names this registrar holds (unavailable). */
  taken?: string[];
  /** TLDs this registrar answers "not sold here" for, by itself. */
  refusesTlds?: string[];
  /** Names this registrar cannot check (a per-name failure). */
  cannotCheck?: string[];
  fail?: (names: string[]) => GatewayError | undefined;
  /** Milliseconds per call, or a function of the call's number (to vary which call ends first). */
  delayMs?: number | ((call: number) => number);
}

function fakeAccount(name: string, opts: FakeOptions) {
  const calls: string[][] = [];
  let inFlight = 0;
  let peak = 0;
  const provider = defineProvider(
    {
      key: opts.key ?? 'fake',
      account: name,
      limits: { availabilityBatch: opts.batch, concurrency: opts.concurrency },
    },
    {
      async checkAvailability(domains) {
        const call = calls.push(domains);
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          const delay = typeof opts.delayMs === 'function' ? opts.delayMs(call) : (opts.delayMs ?? 2);
          await new Promise((r) => setTimeout(r, delay));
          const error = opts.fail?.(domains);
          if (error) throw error;
          return domains.map((d): Availability => {
            if (opts.refusesTlds?.includes(d.slice(d.indexOf('.') + 1)))
              return unknownAvailability(d, 'unsupported_tld', 'unsupported tld');
            if (opts.cannotCheck?.includes(d))
              return unknownAvailability(d, 'check_failed', 'registry timeout');
            return { domain: d, available: !opts.taken?.includes(d), premium: false };
          });
        } finally {
          inFlight--;
        }
      },
    },
  );
  return { provider, calls, peak: () => peak };
}

function accountsOf(...fakes: { provider: Provider }[]): Accounts {
  const byName = new Map(fakes.map((f) => [f.provider.account, f.provider]));
  return {
    list: () => fakes.map((f) => ({ name: f.provider.account })),
    get: (name) => {
      const p = byName.get(name);
      if (!p) throw new GatewayError('not_found', { message: `no account ${name}` });
      return p;
    },
  };
}

/** No account has a TLD list yet (before the first sync). */
const NO_LISTS: AvailabilityOptions = { tlds: new Map() };
const lists = (entries: Record<string, string[]>): AvailabilityOptions => ({
  tlds: new Map(Object.entries(entries).map(([account, tlds]) => [account, new Set(tlds)])),
});

const names = (n: number, tld = 'com') => Array.from({ length: n }, (_, i) => `name-${i}.${tld}`);

describe('checkAvailability: which account answers', () => {
  it('asks only the accounts that sell a name’s TLD; a name nobody sells is unknown, never taken', async () => {
    const dotcom = fakeAccount('dotcom', { batch: 10, concurrency: 1 });
    const dotcn = fakeAccount('dotcn', { batch: 10, concurrency: 1 });
    const results = await checkAvailability(
      accountsOf(dotcom, dotcn),
      ['a.com', 'b.cn', 'c.es', 'shop.com.cn'],
      lists({ dotcom: ['com'], dotcn: ['cn'] }),
    );
    expect(results).toEqual([
      { domain: 'a.com', available: true, premium: false, account: 'dotcom', provider: 'fake' },
      { domain: 'b.cn', available: true, premium: false, account: 'dotcn', provider: 'fake' },
      {
        domain: 'c.es',
        available: null,
        premium: false,
        reason: 'unsupported_tld',
        detail: '.es is not sold by any configured registrar',
      },
      { domain: 'shop.com.cn', available: true, premium: false, account: 'dotcn', provider: 'fake' },
    ]);
    expect(dotcom.calls.flat()).toEqual(['a.com']);
    expect(dotcn.calls.flat().sort()).toEqual(['b.cn', 'shop.com.cn']);
  });

  it('answers from the first account in preference order, then configured order: the same every time', async () => {
    // Configured in the opposite order of the preference, and the least preferred is the fastest.
    const order = [...AVAILABILITY_PREFERENCE].reverse();
    const fakes = order.map((key, i) =>
      fakeAccount(`${key}-account`, {
        key,
        batch: 3,
        concurrency: 2,
        delayMs: (call) => 1 + ((call * 7 + i) % 5),
      }),
    );
    const second = fakeAccount('logicboxes-second', {
      key: 'logicboxes',
      batch: 3,
      concurrency: 2,
      delayMs: 1,
    });
    const unlisted = fakeAccount('unlisted', { key: 'fake', batch: 3, concurrency: 2, delayMs: 1 });
    const accounts = accountsOf(unlisted, second, ...fakes);
    const input = [...names(10, 'com'), ...names(5, 'net')];
    const answers: string[] = [];
    for (let round = 0; round < 3; round++) {
      answers.push(JSON.stringify(await checkAvailability(accounts, input, NO_LISTS)));
    }
    expect(new Set(answers).size).toBe(1);
    const first = JSON.parse(answers[0]!) as { account: string }[];
    // logicboxes is preferred; of its two accounts, the one configured first answers.
    expect(new Set(first.map((r) => r.account))).toEqual(new Set(['logicboxes-second']));

    // Where the preferred registrar does not sell the TLD, the next one answers, every time.
    const withLists = lists({ 'logicboxes-account': ['com'], 'logicboxes-second': ['com'] });
    const next = await checkAvailability(accounts, ['x.net', 'y.com'], withLists);
    expect(next.map((r) => r.account)).toEqual(['dynadot-account', 'logicboxes-second']);
  });

  it('moves a name on when a registrar says it does not sell the TLD, and never calls it taken', async () => {
    const refuser = fakeAccount('refuser', {
      key: 'dynadot',
      batch: 5,
      concurrency: 1,
      refusesTlds: ['cn', 'es'],
    });
    const seller = fakeAccount('seller', { key: 'com35', batch: 5, concurrency: 1, refusesTlds: ['es'] });
    const results = await checkAvailability(accountsOf(seller, refuser), ['foo.cn', 'test.es'], NO_LISTS);
    expect(results).toEqual([
      { domain: 'foo.cn', available: true, premium: false, account: 'seller', provider: 'com35' },
      {
        domain: 'test.es',
        available: null,
        premium: false,
        reason: 'unsupported_tld',
        detail:
          '.es is not sold by any configured registrar (refuser: unsupported tld; seller: unsupported tld)',
      },
    ]);
    // The preferred registrar (dynadot) was asked first.
    expect(refuser.calls.flat().sort()).toEqual(['foo.cn', 'test.es']);
  });

  it('reports a name a registrar failed for as unknown (check_failed), not taken, after trying the others', async () => {
    const flaky = fakeAccount('flaky', {
      key: 'logicboxes',
      batch: 5,
      concurrency: 1,
      cannotCheck: ['a.name'],
    });
    const results = await checkAvailability(accountsOf(flaky), ['a.name', 'b.name'], NO_LISTS);
    expect(results).toEqual([
      {
        domain: 'a.name',
        available: null,
        premium: false,
        reason: 'check_failed',
        detail: 'flaky: registry timeout',
      },
      { domain: 'b.name', available: true, premium: false, account: 'flaky', provider: 'logicboxes' },
    ]);
    const backup = fakeAccount('backup', { key: 'mrdomain', batch: 5, concurrency: 1 });
    const rescued = await checkAvailability(accountsOf(backup, flaky), ['a.name'], NO_LISTS);
    expect(rescued).toEqual([
      { domain: 'a.name', available: true, premium: false, account: 'backup', provider: 'mrdomain' },
    ]);
  });

  it('with `account`, asks only that account, and says when it does not sell the TLD', async () => {
    const a = fakeAccount('a', { batch: 5, concurrency: 1 });
    const b = fakeAccount('b', { batch: 5, concurrency: 1 });
    const results = await checkAvailability(accountsOf(a, b), ['x.com', 'x.cn'], {
      ...lists({ b: ['com'] }),
      account: 'b',
    });
    expect(results).toEqual([
      { domain: 'x.com', available: true, premium: false, account: 'b', provider: 'fake' },
      {
        domain: 'x.cn',
        available: null,
        premium: false,
        reason: 'unsupported_tld',
        detail: '.cn is not sold by account b',
      },
    ]);
    expect(a.calls).toEqual([]);
  });
});

describe('checkAvailability: batching and failover', () => {
  it('never exceeds an account’s batch size or concurrency, and answers every name in input order', async () => {
    const a = fakeAccount('a', { batch: 7, concurrency: 2 });
    const input = names(50);
    const results = await checkAvailability(accountsOf(a), input, NO_LISTS);
    expect(results.map((r) => r.domain)).toEqual(input);
    expect(Math.max(...a.calls.map((c) => c.length))).toBeLessThanOrEqual(7);
    expect(a.calls.flat().sort()).toEqual([...input].sort());
    expect(a.peak()).toBe(2);
  });

  it('normalizes and de-duplicates names; a bad name gets its own reason without a call', async () => {
    const a = fakeAccount('a', {
      batch: 10,
      concurrency: 1,
      taken: ['bücher.de'.normalize(), 'xn--bcher-kva.de'],
    });
    const results = await checkAvailability(
      accountsOf(a),
      ['Bücher.DE', 'xn--bcher-kva.de.', 'bad_name.com', 'ok.net'],
      NO_LISTS,
    );
    expect(results).toEqual([
      { domain: 'xn--bcher-kva.de', available: false, premium: false, account: 'a', provider: 'fake' },
      {
        domain: 'bad_name.com',
        available: null,
        premium: false,
        reason: 'invalid_name',
        detail: 'the name contains characters not allowed in a domain name',
      },
      { domain: 'ok.net', available: true, premium: false, account: 'a', provider: 'fake' },
    ]);
    expect(a.calls.flat()).toEqual(['xn--bcher-kva.de', 'ok.net']);
  });

  it('retries a failed batch on the next account, and reports names every account failed on', async () => {
    const broken = fakeAccount('broken', {
      batch: 3,
      concurrency: 1,
      fail: () => new GatewayError('transport', { message: 'connection reset' }),
    });
    const good = fakeAccount('good', { batch: 3, concurrency: 1, delayMs: 10 });
    const results = await checkAvailability(accountsOf(broken, good), names(9), NO_LISTS);
    for (const r of results) expect(r).toMatchObject({ account: 'good', available: true });

    const alsoBroken = fakeAccount('also', {
      batch: 3,
      concurrency: 1,
      fail: () => new GatewayError('protocol', { message: 'unreadable reply' }),
    });
    const failed = await checkAvailability(accountsOf(broken, alsoBroken), names(4), NO_LISTS);
    for (const r of failed) {
      expect(r).toMatchObject({ available: null, reason: 'check_failed' });
      expect(r.account).toBeUndefined();
      expect(r.detail).toBe('broken: transport: connection reset; also: protocol: unreadable reply');
    }
  });

  it('matches answers echoed back in another spelling (upper case, U-label)', async () => {
    const echo = defineProvider(
      { key: 'fake', account: 'echo', limits: { availabilityBatch: 10, concurrency: 1 } },
      {
        async checkAvailability(domains) {
          return domains.map((d) => ({
            domain: d === 'xn--bcher-kva.de' ? 'bücher.de' : d.toUpperCase(),
            available: true,
            premium: false,
          }));
        },
      },
    );
    const results = await checkAvailability(
      accountsOf({ provider: echo }),
      ['bücher.de', 'plain.com'],
      NO_LISTS,
    );
    expect(results.map((r) => [r.domain, r.account, r.reason])).toEqual([
      ['xn--bcher-kva.de', 'echo', undefined],
      ['plain.com', 'echo', undefined],
    ]);
  });

  it('streams each result through onResult as soon as it is known', async () => {
    const slow = fakeAccount('slow', { batch: 1, concurrency: 1, delayMs: 20 });
    const seen: string[] = [];
    await checkAvailability(accountsOf(slow), ['a.com', 'b..com', 'c.com'], {
      ...NO_LISTS,
      onResult: (r) => {
        seen.push(r.domain);
      },
    });
    expect(seen).toEqual(['b..com', 'a.com', 'c.com']);
  });

  it('refuses more than 1000 names, and an account that cannot check', async () => {
    const a = fakeAccount('a', { batch: 10, concurrency: 1 });
    await expect(checkAvailability(accountsOf(a), names(1001), NO_LISTS)).rejects.toMatchObject({
      kind: 'invalid_request',
      message: 'domain: at most 1000 names per request (got 1001)',
    });
    const noCheck = defineProvider(
      { key: 'fake', account: 'nocheck', limits: { availabilityBatch: 1, concurrency: 1 } },
      {},
    );
    await expect(
      checkAvailability(accountsOf({ provider: noCheck }), ['a.com'], { ...NO_LISTS, account: 'nocheck' }),
    ).rejects.toMatchObject({
      kind: 'unsupported',
    });
    await expect(
      checkAvailability(accountsOf(a), ['a.com'], { ...NO_LISTS, account: 'zzz' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('answers each name as unknown when no account can check availability', async () => {
    const results = await checkAvailability(accountsOf(), ['a.com'], NO_LISTS);
    expect(results).toEqual([
      {
        domain: 'a.com',
        available: null,
        premium: false,
        reason: 'check_failed',
        detail: 'no configured registrar account can check availability',
      },
    ]);
  });

  it('stops when the request is cancelled: names not answered yet are unknown', async () => {
    const slow = fakeAccount('slow', { batch: 1, concurrency: 1, delayMs: 5 });
    const abort = new AbortController();
    const results = await checkAvailability(accountsOf(slow), names(5), {
      ...NO_LISTS,
      signal: abort.signal,
      onResult: () => abort.abort(),
    });
    expect(results[0]).toMatchObject({ available: true, account: 'slow' });
    for (const r of results.slice(1)) expect(r).toMatchObject({ available: null, reason: 'check_failed' });
    expect(slow.calls.length).toBeLessThan(5);
  });
});

describe('checkAvailability: what a request builds', () => {
  it('builds only the accounts a name is routed to, once the isolate has seen every account', async () => {
    const fakes = [
      fakeAccount('dotcom', { batch: 10, concurrency: 4 }),
      fakeAccount('dotcn', { batch: 10, concurrency: 4 }),
      fakeAccount('dotes', { batch: 10, concurrency: 4 }),
    ];
    // As core/accounts.ts: the same configured entries every request (the isolate's parsed
    // configuration), a provider built per request on `get`.
    const entries = fakes.map((f) => ({ name: f.provider.account }));
    const built: string[] = [];
    const request = (): Accounts => ({
      list: () => entries,
      get: (name) => {
        built.push(name);
        return fakes.find((f) => f.provider.account === name)!.provider;
      },
    });
    const opts = lists({ dotcom: ['com'], dotcn: ['cn'], dotes: ['es'] });
    await checkAvailability(request(), ['a.com'], opts);
    // The first request of an isolate learns each account's capabilities and limits.
    expect(new Set(built)).toEqual(new Set(['dotcom', 'dotcn', 'dotes']));
    built.length = 0;
    const results = await checkAvailability(request(), ['b.cn'], opts);
    expect(results).toEqual([
      { domain: 'b.cn', available: true, premium: false, account: 'dotcn', provider: 'fake' },
    ]);
    expect(built).toEqual(['dotcn']);
    expect(fakes.map((f) => f.calls.flat())).toEqual([['a.com'], ['b.cn'], []]);
  });
});
