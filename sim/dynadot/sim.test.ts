import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../types';
import { SIM_DYNADOT_KEY } from './logic';
import { startDynadotSimulator } from './start';

let simulator: RunningSimulator;
const xml = new XMLParser({ parseTagValue: false });

beforeAll(async () => {
  simulator = await startDynadotSimulator({});
});
afterAll(() => simulator.close());
beforeEach(async () => {
  await control('reset');
});

async function control(name: string, body: unknown = {}, method = 'POST') {
  const res = await fetch(`${simulator.controlUrl}/__sim/${name}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json() as Promise<Record<string, unknown>>;
}

// biome-ignore lint/suspicious/noExplicitAny: state is free-form JSON in these assertions
const state = () => control('state', undefined, 'GET') as Promise<any>;

/** Poll until `condition` holds; bounded, so a call that never arrives fails the test. */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function call(params: Record<string, string>, opts: { format?: 'xml' | 'json'; method?: string } = {}) {
  const query = new URLSearchParams({ key: SIM_DYNADOT_KEY, ...params });
  const res = await fetch(`${simulator.controlUrl}/api3.${opts.format ?? 'xml'}?${query}`, {
    method: opts.method ?? 'GET',
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    // biome-ignore lint/suspicious/noExplicitAny: parsed XML, checked field by field below
    doc: (opts.format === 'json' ? JSON.parse(text) : xml.parse(text)) as any,
  };
}

describe('dynadot simulator: strictness', () => {
  it('refuses a wrong key with the generic envelope of the real recording', async () => {
    const r = await call({ key: 'wrong-key-123', command: 'get_account_balance' });
    expect(r.doc.Response.ResponseHeader).toEqual({ ResponseCode: '-1', Error: 'invalid key' });
  });

  it('refuses an unknown command and a missing parameter', async () => {
    expect((await call({ command: 'fly_to_moon' })).doc.Response.ResponseHeader.Error).toBe(
      'unsupported command',
    );
    const missing = await call({ command: 'renew', domain: 'renew-me.net' });
    expect(missing.doc.RenewResponse.RenewHeader).toEqual({
      SuccessCode: '-1',
      Status: 'error',
      Error: 'missing parameter: duration',
    });
  });

  it('refuses POST: the API is GET only', async () => {
    const r = await call({ command: 'get_account_balance' }, { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.doc.Response.ResponseHeader.ResponseCode).toBe('-1');
  });

  it('refuses a second request for the same key while one is in flight, but answers is_processing', async () => {
    await control('processing', { ms: 300 });
    const first = call({ command: 'domain_info', domain: 'renew-me.net' });
    await new Promise((r) => setTimeout(r, 50));
    const [second, busy] = await Promise.all([
      call({ command: 'get_account_balance' }),
      call({ command: 'is_processing' }),
    ]);
    expect(second.doc.GetAccountBalanceResponse.GetAccountBalanceHeader).toEqual({
      SuccessCode: '5',
      Status: 'system_busy',
    });
    expect(busy.doc.Response.ResponseHeader.ResponseMsg).toBe('yes');
    expect((await first).doc.DomainInfoResponse.DomainInfoHeader.ResponseCode).toBe('0');
    const s = await state();
    expect(s.maxConcurrent).toBe(2);
    expect(s.concurrentRejections).toBe(1);
    expect((await call({ command: 'is_processing' })).doc.Response.ResponseHeader.ResponseMsg).toBe('no');
  });

  it('limits search to one name on a regular account and 100 on a bulk one', async () => {
    const names = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`domain${i}`, `n${i}.com`]));
    expect((await call({ command: 'search', ...names })).doc.SearchResponse.SearchHeader.Error).toBe(
      'too many domains',
    );
    await control('tier', { tier: 'regular' });
    const two = await call({ command: 'search', domain0: 'a-1.com', domain1: 'a-2.com' });
    expect(two.doc.SearchResponse.SearchHeader.SuccessCode).toBe('-1');
  });
});

describe('dynadot simulator: threads and search prices', () => {
  it('admits as many calls at once as the account has threads, refuses the next one', async () => {
    await control('threads', { max: 2 });
    await control('processing', { hold: true });
    const first = call({ command: 'get_account_balance' });
    const second = call({ command: 'account_info' });
    // Both are inside their threads at once, parked by the hold: no clock involved.
    await until(async () => (await state()).parked === 2);
    const third = await call({ command: 'get_ns', domain: 'sim-dynadot.com' });
    expect(third.doc.GetNsResponse.GetNsHeader).toEqual({ SuccessCode: '5', Status: 'system_busy' });
    expect((await control('processing', { hold: false })).released).toBe(2);
    expect((await first).doc.GetAccountBalanceResponse.GetAccountBalanceHeader.SuccessCode).toBe('0');
    expect((await second).doc.AccountInfoResponse.AccountInfoHeader.ResponseCode).toBe('0');
    const s = await state();
    expect(s.maxConcurrent).toBe(3);
    expect(s.concurrentRejections).toBe(1);
    await expect(
      fetch(`${simulator.controlUrl}/__sim/threads`, {
        method: 'POST',
        body: JSON.stringify({ max: 36 }),
      }).then((r) => r.status),
    ).resolves.toBe(400);
  });

  it('serves the document’s price form by default and the labelled live sentence on request', async () => {
    const search = () =>
      call({
        command: 'search',
        domain0: 'fresh-x.org',
        domain1: 'gold.io',
        domain2: 'odd-x.com',
        show_price: '1',
      });
    const prices = (r: Awaited<ReturnType<typeof search>>) =>
      r.doc.Results.SearchResponse.map((e: { SearchHeader: { Price: string } }) => e.SearchHeader.Price);
    expect(prices(await search())).toEqual(['9.99 in USD', '1250.00 in USD', '10.99 in USD']);
    await control('search-price', { form: 'labelled', text: { 'odd-x.com': 'call us' } });
    expect(prices(await search())).toEqual([
      'Registration Price: 9.99 in USD and Renewal price: 11.99 in USD and Domain is not a Premium Domain',
      'Registration Price: 1250.00 in USD and Renewal price: 49.99 in USD and Domain is a Premium Domain',
      'call us',
    ]);
  });
});

describe('dynadot simulator: state', () => {
  it('renew debits the balance, moves the expiry, records the renewal and an order', async () => {
    const before = await state();
    const domain = before.domains.find((d: { name: string }) => d.name === 'renew-me.net');
    const r = await call({ command: 'renew', domain: 'renew-me.net', duration: '2' });
    expect(r.doc.RenewResponse.RenewHeader).toEqual({ SuccessCode: '0', Status: 'success' });
    const newExpiry = Number(r.doc.RenewResponse.RenewContent.Expiration);
    const expected = new Date(domain.expiresAt);
    expected.setUTCFullYear(expected.getUTCFullYear() + 2);
    expect(newExpiry).toBe(expected.getTime());
    const after = await state();
    expect(after.balance).toEqual({ amount: '475.02', currency: 'USD' });
    expect(after.renewals).toMatchObject([{ domain: 'renew-me.net', years: 2, charged: '24.98' }]);
    const order = await call({ command: 'get_order_status', order_id: after.orders[0].orderId });
    expect(order.doc.GetOrderStatusResponse.GetOrderStatusContent.OrderStatus).toBe('Completed');
  });

  it('price_check does not renew; too little balance refuses', async () => {
    const check = await call({ command: 'renew', domain: 'renew-me.net', duration: '1', price_check: '1' });
    expect(check.doc.RenewResponse.RenewHeader.Status).toBe('price_check_success');
    await control('balance', { amount: '1.00' });
    const poor = await call({ command: 'renew', domain: 'renew-me.net', duration: '1' });
    expect(poor.doc.RenewResponse.RenewHeader.Error).toBe('not enough account balance');
    expect((await state()).renewals).toEqual([]);
  });

  it('renew with a year that is not the expiry year is refused', async () => {
    const r = await call({ command: 'renew', domain: 'renew-me.net', duration: '1', year: '1999' });
    expect(r.doc.RenewResponse.RenewHeader.SuccessCode).toBe('-1');
  });

  it('sets name servers, renew option and lock; unknown domains are refused with the real text', async () => {
    await call({ command: 'set_ns', domain: 'parked-example.org', ns0: 'ns1.new.net', ns1: 'ns2.new.net' });
    await call({ command: 'set_renew_option', domain: 'parked-example.org', renew_option: 'auto' });
    await call({ command: 'lock_domain', domain: 'parked-example.org' });
    const ns = await call({ command: 'get_ns', domain: 'parked-example.org' });
    expect(ns.doc.GetNsResponse.NsContent.Host).toEqual(['ns1.new.net', 'ns2.new.net']);
    const d = (await state()).domains.find((x: { name: string }) => x.name === 'parked-example.org');
    expect(d).toMatchObject({
      renewOption: 'auto',
      locked: true,
      nameservers: ['ns1.new.net', 'ns2.new.net'],
    });
    const missing = await call({ command: 'set_ns', domain: 'nope.com', ns0: 'ns1.new.net' });
    expect(missing.doc.SetNsResponse.SetNsHeader.Error).toBe('could not find nope.com in your account');
  });

  it('serves api3.json with the JSON envelope', async () => {
    const r = await call({ command: 'get_account_balance' }, { format: 'json' });
    expect(r.doc).toEqual({
      GetAccountBalanceResponse: {
        ResponseCode: '0',
        Status: 'success',
        BalanceList: [{ Currency: 'USD', Amount: '500.00' }],
      },
    });
  });

  it('acts before a drop_after fault cuts the connection', async () => {
    await control('faults', { fault: { kind: 'drop_after' }, match: 'renew' });
    await expect(call({ command: 'renew', domain: 'renew-me.net', duration: '1' })).rejects.toThrow();
    expect((await state()).renewals).toHaveLength(1);
  });

  it('lets tests seed domains in bulk', async () => {
    const r = await control('domains', { generate: { count: 1000, prefix: 'many' } });
    expect(r.total).toBe(1005);
    const list = await call({ command: 'list_domain' });
    expect(
      list.doc.ListDomainInfoResponse.ListDomainInfoContent.DomainInfoList.DomainInfo.Domain,
    ).toHaveLength(1005);
  });
});
