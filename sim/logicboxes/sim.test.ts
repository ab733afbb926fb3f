import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../types';
import { SIM_API_KEY, SIM_AUTH_USERID, startLogicboxesSim } from './start';

let sim: RunningSimulator;
const auth = { 'auth-userid': SIM_AUTH_USERID, 'api-key': SIM_API_KEY };

type Params = Record<string, string | string[]>;
function qs(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  return q.toString();
}
async function get(path: string, params: Params = {}) {
  const res = await fetch(`${sim.controlUrl}/api/${path}.json?${qs({ ...auth, ...params })}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
async function post(path: string, params: Params = {}) {
  const res = await fetch(`${sim.controlUrl}/api/${path}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: qs({ ...auth, ...params }),
  });
  return { status: res.status, text: await res.text() };
}
async function control<T = Record<string, unknown>>(
  name: string,
  body?: unknown,
  method = 'POST',
): Promise<T> {
  const res = await fetch(`${sim.controlUrl}/__sim/${name}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as T;
}
interface State {
  reseller: { balance: string };
  customers: Record<string, { balance: string }>;
  orders: Array<{ orderid: string; domain: string; endtime: number; pendingEaqid?: string }>;
  invoices: Array<{ invoiceid: string; paid: boolean; amount: string }>;
  pendingInvoices: Array<{ invoiceid: string }>;
  renewals: Array<{ domain: string; years: number; invoiceOption: string }>;
}
const state = () => control<State>('state', undefined, 'GET');
const order = async (domain: string) => (await state()).orders.find((o) => o.domain === domain)!;

async function renewParams(domain: string, invoiceOption = 'NoInvoice', extra: Params = {}): Promise<Params> {
  const o = await order(domain);
  return {
    'order-id': o.orderid,
    years: '1',
    'exp-date': String(o.endtime),
    'invoice-option': invoiceOption,
    ...extra,
  };
}

beforeAll(async () => {
  sim = await startLogicboxesSim({});
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await control('reset');
});

describe('LogicBoxes simulator: the account', () => {
  it('answers resellers/details.json for its own id with the account currency; the balance may omit it', async () => {
    await control('reseller-currency', { code: 'EUR', balanceSymbol: false });
    const details = await get('resellers/details', { 'reseller-id': SIM_AUTH_USERID });
    expect(JSON.parse(details.text)).toMatchObject({
      resellerid: SIM_AUTH_USERID,
      parentsellingcurrencysymbol: 'EUR',
    });
    const balance = JSON.parse(
      (await get('billing/reseller-balance', { 'reseller-id': SIM_AUTH_USERID })).text,
    );
    expect(balance).toMatchObject({ sellingcurrencybalance: '1000.00' });
    expect(balance).not.toHaveProperty('sellingcurrencysymbol');
    const other = await get('resellers/details', { 'reseller-id': '1' });
    expect(other.status).toBe(500);
    expect(JSON.parse(other.text)).toMatchObject({ status: 'ERROR' });
    expect(JSON.parse((await get('resellers/details')).text).message).toBe(
      'Required parameter missing: reseller-id',
    );
  });
});

describe('LogicBoxes simulator: authentication and request rules', () => {
  it('gives the gateway its base URL and its own test credentials', () => {
    expect(sim.env).toEqual({
      LOGICBOXES_BASE_URL: sim.controlUrl,
      LOGICBOXES_AUTH_USERID: SIM_AUTH_USERID,
      LOGICBOXES_API_KEY: SIM_API_KEY,
    });
  });

  it('rejects a wrong api-key with the ERROR envelope and HTTP 500', async () => {
    const r = await get('billing/reseller-balance', { 'api-key': 'wrong', 'reseller-id': SIM_AUTH_USERID });
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({
      status: 'ERROR',
      message: `Invalid credentials for ${SIM_AUTH_USERID}`,
    });
  });

  it('names a missing parameter like the live API (Required parameter missing: exp-date)', async () => {
    const { 'exp-date': _, ...rest } = await renewParams('expiring-soon.net');
    const r = await post('domains/renew', rest);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text).message).toBe('Required parameter missing: exp-date');
    expect((await state()).renewals).toEqual([]);
  });

  it('refuses GET on renew (POST only: renew document, HTTP Method) and renews nothing', async () => {
    const r = await get('domains/renew', await renewParams('expiring-soon.net'));
    expect(r.status).toBe(405);
    expect(JSON.parse(r.text)).toMatchObject({ status: 'ERROR' });
    expect((await state()).renewals).toEqual([]);
  });

  it('accepts POST parameters in the query string, as the renew document’s examples send them', async () => {
    const res = await fetch(
      `${sim.controlUrl}/api/domains/renew.json?${qs({ ...auth, ...(await renewParams('expiring-soon.net')) })}`,
      { method: 'POST' },
    );
    expect(res.status).toBe(200);
    expect((await state()).renewals).toHaveLength(1);
  });

  it('reads repeated keys (ns=a&ns=b) and does not understand ns[0]', async () => {
    const o = await order('expiring-soon.net');
    const bracketed = await post('domains/modify-ns', { 'order-id': o.orderid, 'ns[0]': 'ns1.x.net' });
    expect(JSON.parse(bracketed.text).message).toBe('Required parameter missing: ns');
    const r = await post('domains/modify-ns', { 'order-id': o.orderid, ns: ['ns1.x.net', 'ns2.x.net'] });
    expect(JSON.parse(r.text)).toMatchObject({
      status: 'Success',
      actionstatus: 'Success',
      actiontype: 'ModNS',
    });
    const d = JSON.parse(
      (await get('domains/details', { 'order-id': o.orderid, options: 'NsDetails' })).text,
    );
    expect([d.ns1, d.ns2]).toEqual(['ns1.x.net', 'ns2.x.net']);
  });

  it('answers an unknown name in orderid.json with HTTP 500, a known one with a bare integer', async () => {
    const unknown = await get('domains/orderid', { 'domain-name': 'not-mine.com' });
    expect(unknown.status).toBe(500);
    expect(JSON.parse(unknown.text).status).toBe('ERROR');
    const known = await get('domains/orderid', { 'domain-name': 'expiring-soon.net' });
    expect(known.status).toBe(200);
    expect(known.text).toMatch(/^\d+$/);
  });
});

describe('LogicBoxes simulator: renew', () => {
  it('refuses a stale exp-date and does not renew (Domain already renewed.)', async () => {
    const params = await renewParams('expiring-soon.net');
    expect((await post('domains/renew', params)).status).toBe(200);
    const again = await post('domains/renew', params);
    expect(again.status).toBe(500);
    expect(JSON.parse(again.text)).toEqual({ status: 'ERROR', message: 'Domain already renewed.' });
    expect((await state()).renewals).toHaveLength(1);
  });

  it('refuses an exp-date that is not the current expiry at all', async () => {
    const params = await renewParams('expiring-soon.net');
    const r = await post('domains/renew', { ...params, 'exp-date': String(Number(params['exp-date']) + 60) });
    expect(JSON.parse(r.text).message).toMatch(/^Invalid exp-date/);
    expect((await state()).renewals).toEqual([]);
  });

  it('NoInvoice: renews now, debits the reseller, omits the five invoice fields (renew document, Note)', async () => {
    const before = await order('expiring-soon.net');
    const r = JSON.parse((await post('domains/renew', await renewParams('expiring-soon.net'))).text);
    expect(r).toMatchObject({ status: 'Success', actionstatus: 'Success', actiontype: 'RenewDomain' });
    for (const k of [
      'invoiceid',
      'sellingcurrencysymbol',
      'sellingamount',
      'unutilisedsellingamount',
      'customerid',
    ]) {
      expect(r).not.toHaveProperty(k);
    }
    const s = await state();
    expect(s.reseller.balance).toBe('989.00');
    expect(s.invoices).toEqual([]);
    expect((await order('expiring-soon.net')).endtime).toBe(before.endtime + 365 * 86_400);
  });

  it('KeepInvoice: renews now and leaves an unpaid invoice', async () => {
    const r = JSON.parse(
      (await post('domains/renew', await renewParams('expiring-soon.net', 'KeepInvoice'))).text,
    );
    expect(r).toMatchObject({
      actionstatus: 'Success',
      sellingcurrencysymbol: 'USD',
      sellingamount: '-14.000',
    });
    const s = await state();
    expect(s.renewals).toHaveLength(1);
    expect(s.pendingInvoices.map((i) => i.invoiceid)).toEqual([r.invoiceid]);
  });

  it('PayInvoice with customer funds: pays the invoice and renews', async () => {
    const r = JSON.parse(
      (await post('domains/renew', await renewParams('expiring-soon.net', 'PayInvoice'))).text,
    );
    expect(r.actionstatus).toBe('Success');
    const s = await state();
    expect(s.invoices).toMatchObject([{ invoiceid: r.invoiceid, paid: true, amount: '14.00' }]);
    expect(s.customers['5000001']?.balance).toBe('486.00');
    expect(s.renewals).toHaveLength(1);
  });

  it('PayInvoice without customer funds, and OnlyAdd: the action stays pending until the invoice is paid', async () => {
    for (const [domain, option] of [
      ['poor-customer.info', 'PayInvoice'],
      ['expiring-soon.net', 'OnlyAdd'],
    ] as const) {
      const before = await order(domain);
      const r = JSON.parse((await post('domains/renew', await renewParams(domain, option))).text);
      expect(r).toMatchObject({ status: 'Success', actionstatus: 'PendingExecution' });
      expect((await order(domain)).endtime).toBe(before.endtime);
      const blocked = await post('domains/renew', await renewParams(domain, option));
      expect(JSON.parse(blocked.text).message).toBe('There is already an action pending on this Order.');
      await control('pay-invoice', { invoiceId: r.invoiceid });
      expect((await order(domain)).endtime).toBe(before.endtime + 365 * 86_400);
    }
    expect((await state()).renewals.map((x) => x.invoiceOption)).toEqual(['PayInvoice', 'OnlyAdd']);
  });

  it('requires the premium attribute pair for a premium order (renew document, premium example)', async () => {
    const params = await renewParams('premium-name.com');
    expect(JSON.parse((await post('domains/renew', params)).text).message).toMatch(/attr-name1=premium/);
    const r = await post('domains/renew', { ...params, 'attr-name1': 'premium', 'attr-value1': 'true' });
    expect(JSON.parse(r.text).actionstatus).toBe('Success');
  });

  it('renews but reports the privacy error on a TLD without privacy (as a real reply does)', async () => {
    const r = JSON.parse(
      (
        await post(
          'domains/renew',
          await renewParams('privacy-blocked.co.uk', 'NoInvoice', { 'purchase-privacy': 'true' }),
        )
      ).text,
    );
    expect(r.actionstatus).toBe('Success');
    expect(r.privacydetails).toMatchObject({
      status: 'error',
      error: 'Privacy Protection Service not available.',
    });
  });

  it('refuses when the reseller cannot pay', async () => {
    await control('balance', { amount: '1.00' });
    const r = await post('domains/renew', await renewParams('expiring-soon.net'));
    expect(JSON.parse(r.text).message).toMatch(/Insufficient funds/);
    expect((await state()).renewals).toEqual([]);
  });

  it('drop_after: renews and then loses the reply', async () => {
    await control('faults', { fault: { kind: 'drop_after' }, match: 'domains/renew' });
    await expect(post('domains/renew', await renewParams('expiring-soon.net'))).rejects.toThrow();
    expect((await state()).renewals).toHaveLength(1);
  });
});
