/**
 * MrDomain end to end inside workerd: the real provider (calls through the AccountGate Durable
 * Object and real sockets) against the strict simulator in sim/mrdomain.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { type GatewayError, isGatewayError } from '../../src/core/errors';
import { createLogger, type Logger } from '../../src/core/log';
import { mrdomain } from '../../src/providers/mrdomain/provider';
import type { Provider } from '../../src/providers/types';
import { captureLogs, freshHealth, providerFor, sim, workerEnv } from './helpers';

interface SimDomain {
  name: string;
  tsExpir: string;
  status: string;
  transferBlock: boolean;
  renewalMode: string;
  nameservers: string[];
}
interface SimState {
  account: { balance: string; state: string };
  domains: SimDomain[];
  renewals: Array<{ domain: string; years: number; curExpDate: string; newExpiry: string; total: string }>;
  updates: Array<{ domain: string; updateType: string; value: string; raw?: string }>;
  calls: Record<string, number>;
  checks: number;
  block: { blocked: boolean; blocks: unknown[]; refusedWhileBlocked: number };
  maxConcurrency: number;
}

const mr = sim('mrdomain');
const state = () => mr.state<SimState>();
const provider = () => providerFor('mrdomain');
const none = {};

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (isGatewayError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function expiryOf(name: string): Promise<string> {
  const d = (await state()).domains.find((x) => x.name === name);
  if (!d) throw new Error(`no ${name} in the simulator`);
  return d.tsExpir;
}

/** A provider for its own gate account, with its own config (pace, credentials). */
function customProvider(account: string, overrides: Record<string, string>, logger?: Logger): Provider {
  const vars = Object.fromEntries(
    Object.entries(workerEnv).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const config = mrdomain.parseConfig({ ...vars, ...overrides });
  return mrdomain.create(account, config, {
    fetch: gatedFetch(workerEnv.ACCOUNT_GATE, account, mrdomain.gate(config)),
    logger: logger ?? createLogger({ level: 'error' }),
  });
}

beforeEach(async () => {
  await mr.reset();
});

describe('MrDomain: reads', () => {
  it('ping is tool/hello and /v1/health reports the account reachable', async () => {
    await provider().ping?.(none);
    expect((await state()).calls['tool/hello']).toBe(1);
    const body = await freshHealth('mrdomain');
    expect(body.accounts.find((a) => a.account === 'mrdomain')).toMatchObject({ reachable: 'ok' });
  });

  it('/v1/health reports a banned account as an error without leaking the password', async () => {
    await mr.call('account', { state: 'banned' });
    const { text, ...body } = await freshHealth('mrdomain');
    expect(body.status).toBe('degraded');
    expect(body.accounts.find((a) => a.account === 'mrdomain')).toMatchObject({ reachable: 'error' });
    expect(text).not.toContain(workerEnv.MRDOMAIN_API_PASSWORD as string);
  });

  it('the account gate keeps calls to one at a time, even when issued in parallel', async () => {
    await mr.call('config', { processingMs: 30, maxConcurrent: 1 });
    const p = provider();
    const balances = await Promise.all(Array.from({ length: 5 }, () => p.getBalance(none)));
    expect(balances.every((b) => b.available.amount === '500')).toBe(true);
    const s = await state();
    expect(s.calls['account/info']).toBe(5);
    expect(s.maxConcurrency).toBe(1);
  });

  it('getBalance reads account/info as exact money', async () => {
    expect(await provider().getBalance(none)).toEqual({ available: { amount: '500', currency: 'EUR' } });
    await mr.call('balance', { amount: '1234.56' });
    expect(await provider().getBalance(none)).toEqual({ available: { amount: '1234.56', currency: 'EUR' } });
  });

  it('getPrices reads account/zones with the account currency, per operation and period', async () => {
    const com = await provider().getPrices({ tld: 'com' }, none);
    expect(com).toEqual([
      { tld: 'com', operation: 'register', years: 1, amount: { amount: '9.95', currency: 'EUR' } },
      { tld: 'com', operation: 'renew', years: 1, amount: { amount: '10.95', currency: 'EUR' } },
      { tld: 'com', operation: 'transfer', years: 1, amount: { amount: '10.95', currency: 'EUR' } },
    ]);
    expect(await provider().getPrices({ tld: '.com', operation: 'renew', years: 3 }, none)).toEqual([
      { tld: 'com', operation: 'renew', years: 3, amount: { amount: '32.85', currency: 'EUR' } },
    ]);
    const all = await provider().getPrices({ operation: 'register' }, none);
    expect(all.map((p) => p.tld)).toEqual(['com', 'es', 'green', 'net', 'tel', 'xyz']);
  });

  it('getDomain combines getinfo status and the nameservers', async () => {
    const info = await provider().getDomain('ALPHA-SHOP.com.', none);
    expect(info).toMatchObject({
      domain: 'alpha-shop.com',
      expiresAt: `${await expiryOf('alpha-shop.com')}T00:00:00.000Z`,
      autoRenew: true,
      locked: true,
      nameservers: ['ns1.dondominio.com', 'ns2.dondominio.com'],
      rawStatus: ['active', 'transferBlock'],
    });
    expect(info.status).toEqual(['active', 'locked']);
    expect(info.ref.id).toMatch(/^\d+$/);
    const gamma = await provider().getDomain('gamma-shop.es', none);
    expect(gamma.status).toEqual(['expired', 'grace']);
    expect(gamma.locked).toBeUndefined(); // .es has no transfer lock: the field is absent
  });

  it('getDomain of a domain not in the account is not_found (2008)', async () => {
    const error = await failure(provider().getDomain('not-mine-at-all.com', none));
    expect(error).toMatchObject({ kind: 'not_found', upstreamCode: '2008', provider: 'mrdomain' });
  });

  it('listDomains streams every page of domain/list', async () => {
    const extra = Array.from({ length: 2100 }, (_, i) => ({
      name: `bulk-${String(i).padStart(4, '0')}.com`,
    }));
    await mr.call('domains', extra);
    const names: string[] = [];
    for await (const d of provider().listDomains(none)) names.push(d.domain);
    expect(names).toHaveLength(2105);
    expect(new Set(names).size).toBe(2105);
    expect(names).toContain('incoming-shop.com');
    expect((await state()).calls['domain/list']).toBe(3);
  });

  it('getTransferStatus reads transferStatus from getinfo', async () => {
    expect(await provider().getTransferStatus('incoming-shop.com', none)).toEqual({
      domain: 'incoming-shop.com',
      state: 'pending',
      rawStatus: 'pending-auth',
    });
    expect((await provider().getTransferStatus('beta-shop.net', none)).state).toBe('none');
  });
});

describe('MrDomain: checkAvailability, one name per domain/check', () => {
  it('answers each name, keeps per-name refusals as reasons, one upstream call per distinct name', async () => {
    const p = customProvider('mrdomain-check-basic', { MRDOMAIN_CHECK_INTERVAL_MS: '50' });
    const results = await p.checkAvailability(
      [
        'fresh-name-1.com',
        'alpha-shop.com',
        'premium.com',
        'not a name',
        'name.unknowntld',
        'fresh-name-1.com',
      ],
      none,
    );
    expect(results[0]).toEqual({
      domain: 'fresh-name-1.com',
      available: true,
      premium: false,
      price: { amount: '9.95', currency: 'EUR' },
    });
    expect(results[1]).toMatchObject({ domain: 'alpha-shop.com', available: false });
    expect(results[2]).toMatchObject({
      domain: 'premium.com',
      premium: true,
      price: { amount: '1250', currency: 'EUR' },
    });
    // Per-name refusals are "could not say", never "taken"; 2002 is "not sold here".
    expect(results[3]).toMatchObject({
      available: null,
      unknown: 'check_failed',
      reason: expect.stringMatching(/domain/),
    });
    expect(results[4]).toMatchObject({
      domain: 'name.unknowntld',
      available: null,
      unknown: 'unsupported_tld',
      reason: expect.stringMatching(/TLD not supported/),
    });
    expect(results[5]).toEqual(results[0]);
    expect((await state()).checks).toBe(4);
  });

  it('a TLD in maintenance is a per-name reason (2003), not a failed batch', async () => {
    await mr.call('zones', { tld: 'xyz', maintenance: true });
    const p = customProvider('mrdomain-check-maint', { MRDOMAIN_CHECK_INTERVAL_MS: '10' });
    const [xyz, com] = await p.checkAvailability(['shop.xyz', 'shop-fresh.com'], none);
    expect(xyz).toMatchObject({
      available: null,
      unknown: 'check_failed',
      reason: expect.stringMatching(/maintenance/),
    });
    expect(com).toMatchObject({ available: true });
  });

  it('the paced client never trips the mass-check detector in a 200-name run; an unpaced burst does', async () => {
    // Production: one check per 1000 ms against the simulator's default detector (more than 10
    // checks in 5 s). Both scaled by 1/25 so the run takes seconds: one check per 40 ms against
    // more than 10 checks in 200 ms.
    await mr.call('detector', { maxChecks: 10, windowMs: 200, blockMs: 60_000 });
    const names = Array.from({ length: 200 }, (_, i) => `paced-run-${i}.com`);
    const paced = await customProvider('mrdomain-paced', {
      MRDOMAIN_CHECK_INTERVAL_MS: '40',
    }).checkAvailability(names, none);
    expect(paced).toHaveLength(200);
    expect(paced.every((r) => r.available && r.reason === undefined)).toBe(true);
    let s = await state();
    expect(s.checks).toBe(200);
    expect(s.block.blocks).toHaveLength(0);

    // Unpaced (pace 0) from five isolates at once, as without the shared gate policy.
    const burst = (
      await Promise.all(
        Array.from({ length: 5 }, (_, k) =>
          customProvider(`mrdomain-unpaced-${k}`, { MRDOMAIN_CHECK_INTERVAL_MS: '0' })
            .checkAvailability(
              Array.from({ length: 20 }, (_, i) => `burst-${k}-${i}.com`),
              none,
            )
            .catch((error: unknown) => [
              { domain: '', available: false, premium: false, reason: `not checked: ${String(error)}` },
            ]),
        ),
      )
    ).flat();
    s = await state();
    expect(s.block.blocks).toHaveLength(1);
    expect(s.block.blocked).toBe(true);
    // The provider stops at the block instead of hammering on, and says so per name.
    const notChecked = burst.filter((r) => r.reason?.startsWith('not checked'));
    expect(notChecked.length).toBeGreaterThan(0);
    // Not checked is unknown, never "taken".
    expect(notChecked.every((r) => r.available === null || r.domain === '')).toBe(true);
    expect(
      notChecked.some((r) => /blocked the account .*errorCode 1010.*one name at a time/.test(r.reason ?? '')),
    ).toBe(true);
    expect(s.checks).toBeLessThan(300);
  });

  it('a blocked account on the first name is a rate_limited error that must not be retried', async () => {
    await mr.call('detector', { maxChecks: 0, windowMs: 1000, blockMs: 60_000 });
    const error = await failure(
      customProvider('mrdomain-check-blocked', { MRDOMAIN_CHECK_INTERVAL_MS: '0' }).checkAvailability(
        ['x-first.com'],
        none,
      ),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: false, upstreamCode: '1010' });
  });
});

describe('MrDomain: renew with the curExpDate guard', () => {
  it('renews, reports the new expiry and the charge, and the balance drops by billing.total', async () => {
    const expiry = await expiryOf('alpha-shop.com');
    const result = await provider().renew(
      'alpha-shop.com',
      { years: 1, expectedExpiry: `${expiry}T00:00:00.000Z` },
      none,
    );
    const [y, m, d] = expiry.split('-');
    expect(result).toMatchObject({
      domain: 'alpha-shop.com',
      outcome: 'confirmed',
      newExpiry: `${Number(y) + 1}-${m}-${d}T00:00:00.000Z`,
      charged: { amount: '13.25', currency: 'EUR' }, // 10.95 + 21 % VAT
    });
    const s = await state();
    expect(s.renewals).toEqual([
      expect.objectContaining({ domain: 'alpha-shop.com', years: 1, curExpDate: expiry }),
    ]);
    expect(s.account.balance).toBe('486.75');
    expect(await provider().getBalance(none)).toEqual({ available: { amount: '486.75', currency: 'EUR' } });
  });

  it('a stale curExpDate does not renew: conflict naming both dates, nothing charged', async () => {
    const expiry = await expiryOf('beta-shop.net');
    const intent = { years: 1, expectedExpiry: `${expiry}T00:00:00.000Z` };
    await provider().renew('beta-shop.net', intent, none);
    // The same intent again (a retried webhook, a double tap): the guard refuses it.
    const error = await failure(provider().renew('beta-shop.net', intent, none));
    expect(error).toMatchObject({ kind: 'conflict', upstreamCode: '2100', retryable: false });
    expect(error.message).toContain(`not the expected ${expiry}`);
    const s = await state();
    expect(s.renewals).toHaveLength(1);
  });

  it('a reply lost after MrDomain renewed is outcome_unknown, and the retry is stopped by the guard', async () => {
    const expiry = await expiryOf('alpha-shop.com');
    const intent = { years: 2, expectedExpiry: `${expiry}T00:00:00.000Z` };
    await mr.faults({ fault: { kind: 'drop_after' }, match: 'domain/renew' });
    const lost = await failure(provider().renew('alpha-shop.com', intent, none));
    expect(lost.kind).toBe('outcome_unknown');
    expect((await state()).renewals).toHaveLength(1); // the registrar did act
    const again = await failure(provider().renew('alpha-shop.com', intent, none));
    expect(again.kind).toBe('conflict');
    expect((await state()).renewals).toHaveLength(1);
  });

  it.each([
    ['an HTML page', { kind: 'html' }],
    ['a truncated body', { kind: 'truncate' }],
    ['HTTP 502', { kind: 'http_status', status: 502 }],
    ['garbage', { kind: 'garbage' }],
  ] as const)('renew answered with %s is outcome_unknown, never a plain failure', async (_name, fault) => {
    const expiry = await expiryOf('beta-shop.net');
    await mr.faults({ fault, match: 'domain/renew' });
    const error = await failure(
      provider().renew('beta-shop.net', { years: 1, expectedExpiry: `${expiry}T00:00:00.000Z` }, none),
    );
    expect(error.kind).toBe('outcome_unknown');
  });

  it('insufficient balance (1100) is insufficient_funds and renews nothing', async () => {
    await mr.call('balance', { amount: '3.00' });
    const expiry = await expiryOf('beta-shop.net');
    const error = await failure(
      provider().renew('beta-shop.net', { years: 1, expectedExpiry: `${expiry}T00:00:00.000Z` }, none),
    );
    expect(error).toMatchObject({ kind: 'insufficient_funds', upstreamCode: '1100' });
    expect((await state()).renewals).toHaveLength(0);
  });

  it('renews an expired domain in its grace period; refuses a pending transfer (2101)', async () => {
    const expiry = await expiryOf('gamma-shop.es');
    const ok = await provider().renew(
      'gamma-shop.es',
      { years: 1, expectedExpiry: `${expiry}T00:00:00.000Z` },
      none,
    );
    expect(ok.outcome).toBe('confirmed');
    const error = await failure(
      provider().renew('incoming-shop.com', { years: 1, expectedExpiry: '2030-01-01T00:00:00.000Z' }, none),
    );
    expect(error).toMatchObject({ kind: 'conflict', upstreamCode: '2101' });
  });

  it('a period the TLD does not offer is refused by MrDomain (105 → invalid_request), nothing charged', async () => {
    const expiry = await expiryOf('gamma-shop.es'); // .es renews for 1 to 5 years
    const error = await failure(
      provider().renew('gamma-shop.es', { years: 6, expectedExpiry: `${expiry}T00:00:00.000Z` }, none),
    );
    expect(error).toMatchObject({ kind: 'invalid_request', upstreamCode: '105' });
    expect((await state()).renewals).toHaveLength(0);
  });

  it('refuses a bad period before calling MrDomain', async () => {
    const error = await failure(
      provider().renew('alpha-shop.com', { years: 0, expectedExpiry: '2030-01-01T00:00:00.000Z' }, none),
    );
    expect(error.kind).toBe('invalid_request');
    expect((await state()).calls['domain/renew']).toBeUndefined();
  });
});

describe('MrDomain: writes', () => {
  it('getNameservers / setNameservers', async () => {
    expect(await provider().getNameservers('beta-shop.net', none)).toEqual([
      'ns1.beta-dns.net',
      'ns2.beta-dns.net',
      'ns3.beta-dns.net',
    ]);
    await provider().setNameservers('beta-shop.net', ['NS1.Example.org', 'ns2.example.org.'], none);
    expect(await provider().getNameservers('beta-shop.net', none)).toEqual([
      'ns1.example.org',
      'ns2.example.org',
    ]);
    const error = await failure(provider().setNameservers('beta-shop.net', ['only.example.org'], none));
    expect(error.kind).toBe('invalid_request');
  });

  it('a domain with modifications blocked refuses updates (2202 → conflict)', async () => {
    const error = await failure(
      provider().setNameservers('locked-shop.com', ['a.example.org', 'b.example.org'], none),
    );
    expect(error).toMatchObject({ kind: 'conflict', upstreamCode: '2202' });
  });

  it('setLock uses domain/update transferBlock; a TLD without a transfer lock is unsupported (2201)', async () => {
    await provider().setLock('beta-shop.net', true, none);
    expect((await provider().getDomain('beta-shop.net', none)).locked).toBe(true);
    await provider().setLock('beta-shop.net', false, none);
    expect((await provider().getDomain('beta-shop.net', none)).locked).toBe(false);
    // On the wire as the vendor's PHP SDK sends booleans: `1` and an empty value.
    expect((await state()).updates.map((u) => [u.updateType, u.value, u.raw])).toEqual([
      ['transferBlock', 'true', '1'],
      ['transferBlock', 'false', ''],
    ]);
    const error = await failure(provider().setLock('gamma-shop.es', true, none));
    expect(error).toMatchObject({ kind: 'unsupported', upstreamCode: '2201' });
  });

  it('unlocking a locked domain really unlocks it at a server that reads booleans as PHP does', async () => {
    // alpha-shop.com is seeded locked. `transferBlock=false` would be true to such a server.
    expect((await provider().getDomain('alpha-shop.com', none)).locked).toBe(true);
    await provider().setLock('alpha-shop.com', false, none);
    expect((await state()).domains.find((d) => d.name === 'alpha-shop.com')?.transferBlock).toBe(false);
    expect((await provider().getDomain('alpha-shop.com', none)).locked).toBe(false);
  });

  it('setAutoRenew uses domain/update renewalMode', async () => {
    await provider().setAutoRenew('beta-shop.net', true, none);
    expect((await provider().getDomain('beta-shop.net', none)).autoRenew).toBe(true);
    await provider().setAutoRenew('beta-shop.net', false, none);
    expect((await state()).domains.find((d) => d.name === 'beta-shop.net')?.renewalMode).toBe('manual');
  });
});

describe('MrDomain: error families through the worker', () => {
  it('wrong credentials are authentication (201) and the password appears in no log line or error', async () => {
    const { lines, logger } = captureLogs();
    const bad = customProvider(
      'mrdomain-badpass',
      { MRDOMAIN_API_PASSWORD: 'wrong-password-123456' },
      logger,
    );
    const error = await failure(bad.getBalance(none));
    expect(error).toMatchObject({ kind: 'authentication', upstreamCode: '201' });
    const good = customProvider('mrdomain-logs', {}, logger);
    await good.getBalance(none);
    const everything = [...lines, error.message, error.upstreamMessage ?? ''].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(workerEnv.MRDOMAIN_API_PASSWORD as string);
  });

  it.each([
    ['blocked', 'rate_limited', '1000'],
    ['banned', 'permission', '1030'],
    ['filtered', 'permission', '1007'],
    ['inactive', 'permission', '1002'],
  ])('account %s → %s (%s)', async (accountState, kind, code) => {
    await mr.call('account', { state: accountState });
    const error = await failure(provider().getBalance(none));
    expect(error).toMatchObject({ kind, upstreamCode: code });
  });

  it('transport faults on reads: dropped connection → transport, 503 → upstream_unavailable, garbage → protocol', async () => {
    await mr.faults({ fault: { kind: 'drop_before' }, match: 'account/info' });
    expect((await failure(provider().getBalance(none))).kind).toBe('transport');
    await mr.faults({ fault: { kind: 'http_status', status: 503 }, match: 'account/info' });
    expect((await failure(provider().getBalance(none))).kind).toBe('upstream_unavailable');
    await mr.faults({ fault: { kind: 'garbage' }, match: 'account/info' });
    expect((await failure(provider().getBalance(none))).kind).toBe('protocol');
  });

  it('an invalid domain name is refused locally as invalid_request', async () => {
    const error = await failure(provider().getDomain('not a domain', none));
    expect(error.kind).toBe('invalid_request');
  });
});
