/**
 * The fan-out algorithm on its own, with in-memory providers built by `defineProvider`: batch
 * sizes, per-account concurrency, failover between accounts, per-name reasons. (The same routes
 * against the real simulators are in test/worker/api-registrars.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { defineProvider } from '../providers/define';
import type { Provider } from '../providers/types';
import { checkAvailability } from './availability';
import { GatewayError } from './errors';
import type { ProviderLookup as Accounts } from './provider-lookup';

interface FakeOptions {
  batch: number;
  concurrency: number;
  /** Names this registrar holds (unavailable). */
  taken?: string[];
  fail?: (names: string[]) => GatewayError | undefined;
  delayMs?: number;
}

function fakeAccount(name: string, opts: FakeOptions) {
  const calls: string[][] = [];
  let inFlight = 0;
  let peak = 0;
  const provider = defineProvider(
    { key: 'fake', account: name, limits: { availabilityBatch: opts.batch, concurrency: opts.concurrency } },
    {
      async checkAvailability(domains) {
        calls.push(domains);
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setTimeout(r, opts.delayMs ?? 2));
          const error = opts.fail?.(domains);
          if (error) throw error;
          return domains.map((d) => ({ domain: d, available: !opts.taken?.includes(d), premium: false }));
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

const names = (n: number, tld = 'com') => Array.from({ length: n }, (_, i) => `name-${i}.${tld}`);

describe('checkAvailability fan-out', () => {
  it('never exceeds an account’s batch size or concurrency, and answers every name in input order', async () => {
    const a = fakeAccount('a', { batch: 7, concurrency: 2 });
    const input = names(50);
    const results = await checkAvailability(accountsOf(a), input);
    expect(results.map((r) => r.domain)).toEqual(input);
    expect(Math.max(...a.calls.map((c) => c.length))).toBeLessThanOrEqual(7);
    expect(a.calls.flat().sort()).toEqual([...input].sort());
    expect(a.peak()).toBeLessThanOrEqual(2);
    expect(a.peak()).toBe(2);
  });

  it('spreads the work over several accounts and tells which one answered each name', async () => {
    const a = fakeAccount('a', { batch: 5, concurrency: 1, delayMs: 5 });
    const b = fakeAccount('b', { batch: 5, concurrency: 1, delayMs: 5 });
    const results = await checkAvailability(accountsOf(a, b), names(40));
    expect(a.calls.length).toBeGreaterThan(0);
    expect(b.calls.length).toBeGreaterThan(0);
    for (const r of results) expect(['a', 'b']).toContain(r.account);
    expect(a.calls.flat().length + b.calls.flat().length).toBe(40);
  });

  it('normalizes and de-duplicates names; a bad name gets its own reason without a call', async () => {
    const a = fakeAccount('a', {
      batch: 10,
      concurrency: 1,
      taken: ['bücher.de'.normalize(), 'xn--bcher-kva.de'],
    });
    const results = await checkAvailability(accountsOf(a), [
      'Bücher.DE',
      'xn--bcher-kva.de.',
      'bad_name.com',
      'ok.net',
    ]);
    expect(results).toEqual([
      { domain: 'xn--bcher-kva.de', available: false, premium: false, account: 'a' },
      {
        domain: 'bad_name.com',
        available: false,
        premium: false,
        reason: 'the name contains characters not allowed in a domain name',
        error: 'invalid_name',
      },
      { domain: 'ok.net', available: true, premium: false, account: 'a' },
    ]);
    expect(a.calls.flat()).toEqual(['xn--bcher-kva.de', 'ok.net']);
  });

  it('retries a failed batch on another account, and reports names every account failed on', async () => {
    const broken = fakeAccount('broken', {
      batch: 3,
      concurrency: 1,
      fail: () => new GatewayError('transport', { message: 'connection reset' }),
    });
    const good = fakeAccount('good', { batch: 3, concurrency: 1, delayMs: 10 });
    const results = await checkAvailability(accountsOf(broken, good), names(9));
    for (const r of results) expect(r).toMatchObject({ account: 'good', available: true });

    const alsoBroken = fakeAccount('also', {
      batch: 3,
      concurrency: 1,
      fail: () => new GatewayError('protocol', { message: 'unreadable reply' }),
    });
    const failed = await checkAvailability(accountsOf(broken, alsoBroken), names(4));
    for (const r of failed) {
      expect(r.error).toBe('check_failed');
      expect(r.account).toBeUndefined();
      expect(r.reason).toMatch(/^(broken: transport: connection reset|also: protocol: unreadable reply)$/);
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
    const results = await checkAvailability(accountsOf({ provider: echo }), ['bücher.de', 'plain.com']);
    expect(results.map((r) => [r.domain, r.account, r.error])).toEqual([
      ['xn--bcher-kva.de', 'echo', undefined],
      ['plain.com', 'echo', undefined],
    ]);
  });

  it('streams each result through onResult as soon as it is known', async () => {
    const slow = fakeAccount('slow', { batch: 1, concurrency: 1, delayMs: 20 });
    const seen: string[] = [];
    await checkAvailability(accountsOf(slow), ['a.com', 'b..com', 'c.com'], {
      onResult: (r) => {
        seen.push(r.domain);
      },
    });
    expect(seen).toEqual(['b..com', 'a.com', 'c.com']);
  });

  it('refuses more than 1000 names, and an account that cannot check', async () => {
    const a = fakeAccount('a', { batch: 10, concurrency: 1 });
    await expect(checkAvailability(accountsOf(a), names(1001))).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    const noCheck = defineProvider(
      { key: 'fake', account: 'nocheck', limits: { availabilityBatch: 1, concurrency: 1 } },
      {},
    );
    await expect(
      checkAvailability(accountsOf({ provider: noCheck }), ['a.com'], { account: 'nocheck' }),
    ).rejects.toMatchObject({
      kind: 'unsupported',
    });
    await expect(checkAvailability(accountsOf(a), ['a.com'], { account: 'zzz' })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('answers each name with a reason when no account can check availability', async () => {
    const results = await checkAvailability(accountsOf(), ['a.com']);
    expect(results).toEqual([
      {
        domain: 'a.com',
        available: false,
        premium: false,
        reason: 'no configured registrar account can check availability',
        error: 'check_failed',
      },
    ]);
  });
});
