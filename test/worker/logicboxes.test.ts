/**
 * The LogicBoxes provider inside workerd, through the account gate and real sockets, against the
 * LogicBoxes simulator: every operation, each invoice option, each mapped error.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAccounts } from '../../src/core/accounts';
import { GatewayError } from '../../src/core/errors';
import { createLogger } from '../../src/core/log';
import type { DomainSummary } from '../../src/core/model';
import { loadConfig } from '../../src/env';
import type { Provider } from '../../src/providers/types';
import { captureLogs, freshHealth, providerFor, sim, workerEnv } from './helpers';

interface SimState {
  reseller: { balance: string };
  orders: Array<{ orderid: string; domain: string; endtime: number; expiresAt: string; ns: string[] }>;
  invoices: Array<{ invoiceid: string; paid: boolean }>;
  pendingInvoices: Array<{ invoiceid: string }>;
  renewals: Array<{ domain: string; years: number; invoiceOption: string }>;
  calls: Record<string, number>;
}

const lb = sim('logicboxes');
const state = () => lb.state<SimState>();
const simOrder = async (domain: string) => (await state()).orders.find((o) => o.domain === domain)!;
const ctx = {};

/** The same account with another invoice option (the env of the test worker says NoInvoice). */
function providerWith(vars: Record<string, string>): Provider {
  const env = { ...workerEnv, ...vars };
  return createAccounts(env, loadConfig(env), createLogger({ level: 'error' })).get('logicboxes');
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

beforeEach(async () => {
  await lb.reset();
});

describe('LogicBoxes reads', () => {
  it('checks availability in one call per TLD and answers in request order', async () => {
    const p = providerFor('logicboxes');
    const result = await p.checkAvailability(
      ['Brand-New-Name.com', 'expiring-soon.net', 'github.com', 'another-new.net', 'fresh.co.uk'],
      ctx,
    );
    expect(result.map((a) => [a.domain, a.available])).toEqual([
      ['brand-new-name.com', true],
      ['expiring-soon.net', false],
      ['github.com', false],
      ['another-new.net', true],
      ['fresh.co.uk', true],
    ]);
    expect(result[1]?.reason).toMatch(/this reseller account/);
    expect((await state()).calls['domains/available']).toBe(3);
  });

  it('batches more names than one call carries', async () => {
    const names = Array.from({ length: 45 }, (_, i) => `batch-${i}.com`);
    const result = await providerFor('logicboxes').checkAvailability(names, ctx);
    expect(result).toHaveLength(45);
    expect(result.every((a) => a.available)).toBe(true);
    expect((await state()).calls['domains/available']).toBe(3);
  });

  it('gets a domain through orderid.json then details.json', async () => {
    const info = await providerFor('logicboxes').getDomain('example-active.com', ctx);
    const o = await simOrder('example-active.com');
    expect(info).toMatchObject({
      domain: 'example-active.com',
      expiresAt: o.expiresAt,
      status: ['active', 'locked'],
      locked: true,
      autoRenew: true,
      nameservers: ['ns1.sim-dns.net', 'ns2.sim-dns.net'],
      ref: { id: o.orderid, orderId: o.orderid },
    });
    const calls = (await state()).calls;
    expect([calls['domains/orderid'], calls['domains/details']]).toEqual([1, 1]);
  });

  it('maps an unknown name (HTTP 500 from orderid.json) to not_found', async () => {
    const e = await failure(providerFor('logicboxes').getDomain('not-in-account.com', ctx));
    expect(e.kind).toBe('not_found');
    expect(e.upstreamMessage).toMatch(/doesn't exist/);
  });

  it('lists every domain over several search.json pages', async () => {
    await lb.call('bulk-domains', { count: 1200 });
    const seen: DomainSummary[] = [];
    for await (const d of providerFor('logicboxes').listDomains(ctx)) seen.push(d);
    expect(seen).toHaveLength(1207);
    expect(new Set(seen.map((d) => d.domain)).size).toBe(1207);
    expect(seen.find((d) => d.domain === 'bulk-7.com')).toMatchObject({
      status: ['active'],
      ref: { id: expect.any(String) },
    });
    expect((await state()).calls['domains/search']).toBe(3);
  });

  it('reads the reseller balance and the price list in its currency', async () => {
    const p = providerFor('logicboxes');
    expect(await p.getBalance(ctx)).toEqual({ available: { amount: '1000', currency: 'USD' } });
    expect(await p.getPrices({ tld: 'com', operation: 'renew', years: 2 }, ctx)).toEqual([
      { tld: 'com', operation: 'renew', years: 2, amount: { amount: '18', currency: 'USD' } },
    ]);
    const customer = providerWith({ LOGICBOXES_PRICE_LIST: 'customer' });
    expect(await customer.getPrices({ tld: '.net', operation: 'register', years: 1 }, ctx)).toEqual([
      { tld: 'net', operation: 'register', years: 1, amount: { amount: '14', currency: 'USD' } },
    ]);
  });

  it('a balance reply without sellingcurrencysymbol: balance, prices and health take the currency from the reseller details, read once', async () => {
    // LogicBoxes' own billing modules never read the symbol from the balance (decisions).
    await lb.call('reseller-currency', { code: 'EUR', balanceSymbol: false });
    const p = providerFor('logicboxes');
    expect(await p.getBalance(ctx)).toEqual({ available: { amount: '1000', currency: 'EUR' } });
    expect(await p.getPrices({ tld: 'com', operation: 'renew', years: 1 }, ctx)).toEqual([
      { tld: 'com', operation: 'renew', years: 1, amount: { amount: '9', currency: 'EUR' } },
    ]);
    // Cached in the provider instance: one details call for both.
    expect((await state()).calls['resellers/details']).toBe(1);
    await p.ping!(ctx);
    const body = await freshHealth('logicboxes');
    expect(body.accounts.find((a) => a.account === 'logicboxes')?.reachable).toBe('ok');
    // A provider that only prices asks the details straight away, never the balance.
    const calls = (await state()).calls;
    const pricesOnly = providerFor('logicboxes');
    expect(
      (await pricesOnly.getPrices({ tld: 'net', operation: 'register', years: 1 }, ctx))[0]?.amount,
    ).toEqual({
      amount: '11',
      currency: 'EUR',
    });
    const after = (await state()).calls;
    expect(after['resellers/details']).toBe((calls['resellers/details'] ?? 0) + 1);
    expect(after['billing/reseller-balance']).toBe(calls['billing/reseller-balance']);
  });

  it('reports transfer status from the order’s current action', async () => {
    const p = providerFor('logicboxes');
    expect(await p.getTransferStatus('transfer-in.io', ctx)).toMatchObject({
      state: 'pending',
      rawStatus: 'PendingTransfer',
    });
    expect(await p.getTransferStatus('expiring-soon.net', ctx)).toEqual({
      domain: 'expiring-soon.net',
      state: 'none',
    });
    await lb.call('transfer-status', { domain: 'transfer-in.io', status: 'Success' });
    expect((await p.getTransferStatus('transfer-in.io', ctx)).state).toBe('completed');
  });

  it('pings for /v1/health, and /v1/health reports the account reachable', async () => {
    await providerFor('logicboxes').ping!(ctx);
    const body = await freshHealth('logicboxes');
    expect(body.accounts.find((a) => a.account === 'logicboxes')?.reachable).toBe('ok');
  });
});

describe('LogicBoxes writes', () => {
  it('sets and reads name servers (modify-ns.json with repeated ns)', async () => {
    const p = providerFor('logicboxes');
    await p.setNameservers(
      'expiring-soon.net',
      ['NS1.New-DNS.net', 'ns2.new-dns.net', 'ns3.new-dns.net'],
      ctx,
    );
    expect(await p.getNameservers('expiring-soon.net', ctx)).toEqual([
      'ns1.new-dns.net',
      'ns2.new-dns.net',
      'ns3.new-dns.net',
    ]);
    expect((await simOrder('expiring-soon.net')).ns).toHaveLength(3);
    const e = await failure(p.setNameservers('expiring-soon.net', [], ctx));
    expect(e.kind).toBe('invalid_request');
  });

  it('sets the lock (theft protection) both ways', async () => {
    const p = providerFor('logicboxes');
    await p.setLock('example-active.com', false, ctx);
    expect((await p.getDomain('example-active.com', ctx)).locked).toBe(false);
    await p.setLock('example-active.com', true, ctx);
    expect((await p.getDomain('example-active.com', ctx)).locked).toBe(true);
  });

  it('does not support auto-renew changes (not in this integration)', async () => {
    const p = providerFor('logicboxes');
    expect(p.capabilities.has('setAutoRenew')).toBe(false);
    expect((await failure((async () => p.setAutoRenew('expiring-soon.net', true, ctx))())).kind).toBe(
      'unsupported',
    );
  });
});

describe('LogicBoxes renew', () => {
  it('NoInvoice (default): renews once, confirmed with the new expiry read back', async () => {
    const before = await simOrder('expiring-soon.net');
    const r = await providerFor('logicboxes').renew(
      'expiring-soon.net',
      { years: 1, expectedExpiry: before.expiresAt },
      ctx,
    );
    const after = await simOrder('expiring-soon.net');
    expect(r).toMatchObject({
      domain: 'expiring-soon.net',
      outcome: 'confirmed',
      newExpiry: after.expiresAt,
    });
    expect(after.endtime).toBe(before.endtime + 365 * 86_400);
    expect(r.ref).toMatchObject({
      orderId: before.orderid,
      invoiceOption: 'NoInvoice',
      actionStatus: 'Success',
    });
    const s = await state();
    expect(s.renewals).toEqual([
      expect.objectContaining({ domain: 'expiring-soon.net', years: 1, invoiceOption: 'NoInvoice' }),
    ]);
    expect(s.reseller.balance).toBe('989.00');
  });

  it('accepts the expected expiry as a calendar day and sends the exact endtime as exp-date', async () => {
    const before = await simOrder('expiring-soon.net');
    const day = `${before.expiresAt.slice(0, 10)}T00:00:00.000Z`;
    const r = await providerFor('logicboxes').renew(
      'expiring-soon.net',
      { years: 2, expectedExpiry: day },
      ctx,
    );
    expect(r.outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('refuses a stale expected expiry without calling renew.json', async () => {
    const before = await simOrder('expiring-soon.net');
    const stale = new Date(Date.parse(before.expiresAt) - 365 * 86_400_000).toISOString();
    const e = await failure(
      providerFor('logicboxes').renew('expiring-soon.net', { years: 1, expectedExpiry: stale }, ctx),
    );
    expect(e.kind).toBe('conflict');
    const s = await state();
    expect(s.renewals).toEqual([]);
    expect(s.calls['domains/renew']).toBeUndefined();
  });

  it('a repeat of the same intent does not renew twice', async () => {
    const p = providerFor('logicboxes');
    const { expiresAt } = await simOrder('expiring-soon.net');
    await p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx);
    const e = await failure(p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx));
    expect(e.kind).toBe('conflict');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('two racing renewals with the same exp-date: the registrar guard lets exactly one through', async () => {
    const p = providerFor('logicboxes');
    const { expiresAt } = await simOrder('expiring-soon.net');
    // Both read the same endtime before either renew reaches the simulator.
    await lb.faults({ fault: { kind: 'delay', ms: 300 }, match: 'domains/renew', times: 2 });
    const results = await Promise.allSettled([
      p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx),
      p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({
      kind: 'conflict',
      upstreamMessage: 'Domain already renewed.',
    });
    expect((await state()).renewals).toHaveLength(1);
  });

  it('KeepInvoice: confirmed, charged, with the unpaid invoice in ref', async () => {
    const { expiresAt } = await simOrder('expiring-soon.net');
    const r = await providerWith({ LOGICBOXES_INVOICE_OPTION: 'KeepInvoice' }).renew(
      'expiring-soon.net',
      { years: 1, expectedExpiry: expiresAt },
      ctx,
    );
    expect(r).toMatchObject({ outcome: 'confirmed', charged: { amount: '14', currency: 'USD' } });
    const s = await state();
    expect(s.pendingInvoices.map((i) => i.invoiceid)).toEqual([r.ref.invoiceId]);
    expect(s.renewals).toHaveLength(1);
  });

  it('PayInvoice: confirmed when the customer can pay, pending when not', async () => {
    const p = providerWith({ LOGICBOXES_INVOICE_OPTION: 'PayInvoice' });
    const paid = await p.renew(
      'expiring-soon.net',
      { years: 1, expectedExpiry: (await simOrder('expiring-soon.net')).expiresAt },
      ctx,
    );
    expect(paid.outcome).toBe('confirmed');
    const poor = await simOrder('poor-customer.info');
    const pending = await p.renew('poor-customer.info', { years: 1, expectedExpiry: poor.expiresAt }, ctx);
    expect(pending).toMatchObject({
      outcome: 'pending',
      ref: { invoiceOption: 'PayInvoice', invoiceId: expect.any(String) },
    });
    expect((await simOrder('poor-customer.info')).endtime).toBe(poor.endtime);
    expect((await state()).renewals.map((r) => r.domain)).toEqual(['expiring-soon.net']);
  });

  it('OnlyAdd: pending with invoice and action ids; renews only once the invoice is paid', async () => {
    const p = providerWith({ LOGICBOXES_INVOICE_OPTION: 'OnlyAdd' });
    const before = await simOrder('expiring-soon.net');
    const r = await p.renew('expiring-soon.net', { years: 1, expectedExpiry: before.expiresAt }, ctx);
    expect(r).toMatchObject({
      outcome: 'pending',
      ref: {
        orderId: before.orderid,
        invoiceId: expect.any(String),
        eaqid: expect.any(String),
        actionStatus: 'PendingExecution',
      },
    });
    expect(r.newExpiry).toBeUndefined();
    expect((await state()).renewals).toEqual([]);
    // Another attempt while the action is pending is refused by LogicBoxes.
    const again = await failure(
      p.renew('expiring-soon.net', { years: 1, expectedExpiry: before.expiresAt }, ctx),
    );
    expect(again).toMatchObject({
      kind: 'conflict',
      upstreamMessage: 'There is already an action pending on this Order.',
    });
    expect(await p.resumeRenewal!('expiring-soon.net', r.ref, ctx)).toMatchObject({ outcome: 'pending' });
    await lb.call('pay-invoice', { invoiceId: r.ref.invoiceId });
    const resumed = await p.resumeRenewal!('expiring-soon.net', r.ref, ctx);
    expect(resumed).toMatchObject({
      outcome: 'confirmed',
      newExpiry: (await simOrder('expiring-soon.net')).expiresAt,
    });
    expect((await p.getDomain('expiring-soon.net', ctx)).expiresAt).toBe(
      (await simOrder('expiring-soon.net')).expiresAt,
    );
    expect((await state()).renewals).toHaveLength(1);
  });

  it('renews privacy only where the TLD supports it', async () => {
    const p = providerFor('logicboxes');
    const withPrivacy = await p.renew(
      'example-active.com',
      { years: 1, expectedExpiry: (await simOrder('example-active.com')).expiresAt },
      ctx,
    );
    expect(withPrivacy.ref.privacy).toBe('renewed');
    // privacy-blocked.co.uk has privacy on, but .UK is on the renew page's list of TLDs without privacy: purchase-privacy is not sent.
    const uk = await p.renew(
      'privacy-blocked.co.uk',
      { years: 1, expectedExpiry: (await simOrder('privacy-blocked.co.uk')).expiresAt },
      ctx,
    );
    expect(uk.outcome).toBe('confirmed');
    expect(uk.ref.privacy).toBeUndefined();
  });

  it('renews a premium name with the premium attribute pair', async () => {
    const r = await providerFor('logicboxes').renew(
      'premium-name.com',
      { years: 1, expectedExpiry: (await simOrder('premium-name.com')).expiresAt },
      ctx,
    );
    expect(r.outcome).toBe('confirmed');
    expect((await state()).renewals).toEqual([expect.objectContaining({ domain: 'premium-name.com' })]);
  });

  it('rejects years outside 1–10 before any call', async () => {
    const e = await failure(
      providerFor('logicboxes').renew(
        'expiring-soon.net',
        { years: 11, expectedExpiry: '2030-01-01T00:00:00Z' },
        ctx,
      ),
    );
    expect(e.kind).toBe('invalid_request');
    expect((await state()).calls).toEqual({});
  });
});

describe('the call recorder', () => {
  it('names each upstream call by account, method, host and path, never the query', async () => {
    const calls: string[] = [];
    const accounts = createAccounts(workerEnv, loadConfig(workerEnv), createLogger({ level: 'error' }), {
      onUpstreamCall: (call) => calls.push(call),
    });
    await accounts.get('logicboxes').checkAvailability(['recorded-name.com'], ctx);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^logicboxes GET [^ /?]+\/api\/domains\/available\.json$/);
    expect(calls[0]).not.toContain(workerEnv.LOGICBOXES_API_KEY as string);
  });
});

describe('LogicBoxes errors', () => {
  it('authentication: a wrong API key, with no credential in the error or the logs', async () => {
    await lb.call('api-key', { apiKey: 'rotated-key-9999' });
    const { lines, logger } = captureLogs();
    const p = createAccounts(workerEnv, loadConfig(workerEnv), logger).get('logicboxes');
    const e = await failure(p.getBalance(ctx));
    expect(e.kind).toBe('authentication');
    const config = loadConfig(workerEnv);
    const secrets = [workerEnv.LOGICBOXES_API_KEY as string, workerEnv.LOGICBOXES_AUTH_USERID as string];
    const text = `${e.message} ${e.upstreamMessage} ${lines.join('\n')}`;
    expect(lines.length).toBeGreaterThan(0);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(config.secrets).toEqual(expect.arrayContaining(secrets));
  });

  it('insufficient_funds: the reseller cannot pay; nothing renewed', async () => {
    await lb.call('balance', { amount: '1.00' });
    const e = await failure(
      providerFor('logicboxes').renew(
        'expiring-soon.net',
        { years: 1, expectedExpiry: (await simOrder('expiring-soon.net')).expiresAt },
        ctx,
      ),
    );
    expect(e.kind).toBe('insufficient_funds');
    expect((await state()).renewals).toEqual([]);
  });

  it('outcome_unknown: the renewal happened but the reply was lost; a retry does not renew again', async () => {
    const p = providerFor('logicboxes');
    const { expiresAt } = await simOrder('expiring-soon.net');
    await lb.faults({ fault: { kind: 'drop_after' }, match: 'domains/renew' });
    const e = await failure(p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx));
    expect(e.kind).toBe('outcome_unknown');
    expect((await state()).renewals).toHaveLength(1);
    const retry = await failure(p.renew('expiring-soon.net', { years: 1, expectedExpiry: expiresAt }, ctx));
    expect(retry.kind).toBe('conflict');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('outcome_unknown: an HTML page or a cut reply to renew', async () => {
    const p = providerFor('logicboxes');
    for (const fault of [{ kind: 'html' }, { kind: 'truncate' }] as const) {
      await lb.reset();
      await lb.faults({ fault, match: 'domains/renew' });
      const e = await failure(
        p.renew(
          'expiring-soon.net',
          { years: 1, expectedExpiry: (await simOrder('expiring-soon.net')).expiresAt },
          ctx,
        ),
      );
      expect(e.kind).toBe('outcome_unknown');
    }
  });

  it('invalid_request from LogicBoxes: a renewal past the 10-year limit is refused', async () => {
    const e = await failure(
      providerFor('logicboxes').renew(
        'example-active.com',
        { years: 10, expectedExpiry: (await simOrder('example-active.com')).expiresAt },
        ctx,
      ),
    );
    expect(e).toMatchObject({ kind: 'invalid_request', upstreamCode: 'ERROR', retryable: false });
    expect(e.upstreamMessage).toMatch(/^Invalid years/);
    expect((await state()).renewals).toEqual([]);
  });

  it('rate_limited on HTTP 429', async () => {
    await lb.faults({ fault: { kind: 'http_status', status: 429 }, match: 'domains/orderid' });
    const e = await failure(providerFor('logicboxes').getDomain('expiring-soon.net', ctx));
    expect(e.kind).toBe('rate_limited');
  });

  it('upstream_unavailable, protocol and transport on reads', async () => {
    const p = providerFor('logicboxes');
    await lb.faults({ fault: { kind: 'http_status', status: 503 }, match: 'billing/reseller-balance' });
    expect((await failure(p.getBalance(ctx))).kind).toBe('upstream_unavailable');
    await lb.faults({ fault: { kind: 'garbage' }, match: 'billing/reseller-balance' });
    expect((await failure(p.getBalance(ctx))).kind).toBe('protocol');
    await lb.faults({ fault: { kind: 'drop_before' }, match: 'billing/reseller-balance' });
    expect((await failure(p.getBalance(ctx))).kind).toBe('transport');
  });
});
