import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../core/errors';
import {
  decodeAction,
  decodeAvailability,
  decodeBalance,
  decodeBareTrue,
  decodeDetails,
  decodeOrderId,
  decodePrices,
  decodeRenew,
  decodeResellerDetails,
  decodeSearchPage,
  encodeParams,
  failureOf,
  isoFromEpochSeconds,
  PRIVACY_UNSUPPORTED_SUFFIXES,
  parseBody,
  privacySupported,
  productKeyOf,
  toEpochSeconds,
} from './codec';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
/** `shared/` sits beside the repository (a CI clone); in a nested worktree it is further up. */
function findShared(from: string): string {
  for (let dir = path.resolve(from, '..'); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'shared', 'fixtures'))) return path.join(dir, 'shared');
    if (path.dirname(dir) === dir) throw new Error(`no shared/ directory above ${from}`);
  }
}
const shared = findShared(repoRoot);
const fixturesDir = path.join(shared, 'fixtures', 'real', 'logicboxes');
const fixture = (name: string) => readFileSync(path.join(fixturesDir, name), 'utf8');
const json = (name: string) => {
  const body = parseBody(fixture(name));
  if (body.kind !== 'json') throw new Error(`${name} is not JSON`);
  return body.value;
};
const NOW = Date.parse('2019-01-01T00:00:00Z');

describe('request encoding', () => {
  it('reproduces the renew document’s example URL query byte for byte', () => {
    const q = encodeParams({
      'auth-userid': 0,
      'api-key': 'key',
      'order-id': 562994,
      years: 1,
      'exp-date': 1279012036,
      'invoice-option': 'NoInvoice',
    });
    expect(q).toBe(
      'auth-userid=0&api-key=key&order-id=562994&years=1&exp-date=1279012036&invoice-option=NoInvoice',
    );
  });

  it('reproduces the renew document’s privacy and premium example variants', () => {
    const base = {
      'auth-userid': 0,
      'api-key': 'key',
      'order-id': 562994,
      years: 1,
      'exp-date': 1279012036,
      'invoice-option': 'NoInvoice',
    };
    expect(encodeParams({ ...base, 'purchase-privacy': true })).toMatch(
      /&invoice-option=NoInvoice&purchase-privacy=true$/,
    );
    expect(encodeParams({ ...base, 'attr-name1': 'premium', 'attr-value1': 'true' })).toMatch(
      /&invoice-option=NoInvoice&attr-name1=premium&attr-value1=true$/,
    );
  });

  it('repeats array parameters as plain keys, never with brackets, and leaves out undefined', () => {
    const q = encodeParams({
      'order-id': 1,
      ns: ['ns1.a.net', 'ns2.a.net'],
      tlds: ['com', 'net'],
      x: undefined,
    });
    expect(q).toBe('order-id=1&ns=ns1.a.net&ns=ns2.a.net&tlds=com&tlds=net');
    expect(q).not.toMatch(/\[|%5B/);
  });

  it('encodes exp-date as epoch seconds, as in the renew document’s example (1279012036 = 2010-07-13T09:07:16Z)', () => {
    expect(toEpochSeconds('2010-07-13T09:07:16.000Z')).toBe(1279012036);
    expect(() => toEpochSeconds('not a date')).toThrowError(/not a date/);
  });

  it('knows every TLD of the renew document’s privacy list (Parameters), on label boundaries', () => {
    expect(PRIVACY_UNSUPPORTED_SUFFIXES).toHaveLength(20);
    for (const s of PRIVACY_UNSUPPORTED_SUFFIXES) expect(privacySupported(`example.${s}`)).toBe(false);
    expect(privacySupported('example.co.uk')).toBe(false);
    expect(privacySupported('example.com.au')).toBe(false);
    expect(privacySupported('example.org.co')).toBe(false);
    expect(privacySupported('example.co')).toBe(true);
    expect(privacySupported('example.com')).toBe(true);
    expect(privacySupported('usa-example.com')).toBe(true);
  });

  it('maps TLDs to the product keys seen in real replies', () => {
    expect(productKeyOf('com')).toBe('domcno');
    expect(productKeyOf('net')).toBe('dotnet');
    expect(productKeyOf('name')).toBe('dotname');
    expect(productKeyOf('co.uk')).toBe('thirdleveldotuk');
  });
});

describe('the renew document’s reply (Response; Note)', () => {
  // Every field the renew document lists, with the value types real replies use (strings).
  const seedReply = {
    description: 'example.com',
    entityid: '562994',
    actiontype: 'RenewDomain',
    actiontypedesc: 'Renewal of example.com for 1 year',
    eaqid: '1000',
    actionstatus: 'Success',
    actionstatusdesc: 'Domain renewed successfully',
    invoiceid: '2000',
    sellingcurrencysymbol: 'USD',
    sellingamount: '-9.990',
    unutilisedsellingamount: '-9.990',
    customerid: '3000',
    privacydetails: {
      description: 'example.com',
      entityid: '562994',
      actiontype: 'PurchasePrivacyProtection',
      actiontypedesc: 'Purchase of Privacy Protection Service for domain example.com',
      eaqid: '1001',
      actionstatus: 'Success',
      actionstatusdesc: 'Operation completed successfully',
      invoiceid: '2000',
      sellingcurrencysymbol: 'USD',
      sellingamount: '0.000',
      unutilisedsellingamount: '0.000',
      customerid: '3000',
    },
    status: 'Success',
  };

  it('decodes every listed field', () => {
    expect(failureOf(seedReply, { actionReply: true })).toBeUndefined();
    expect(decodeRenew(seedReply)).toEqual({
      orderId: '562994',
      eaqid: '1000',
      actionStatus: 'Success',
      actionStatusDesc: 'Domain renewed successfully',
      executed: true,
      invoiceId: '2000',
      customerId: '3000',
      charged: { amount: '9.99', currency: 'USD' },
      privacy: { ok: true, eaqid: '1001', message: 'Operation completed successfully' },
    });
  });

  it('decodes a NoInvoice reply without the five invoice fields and without privacydetails (renew document, Note)', () => {
    const {
      invoiceid: _i,
      sellingcurrencysymbol: _s,
      sellingamount: _a,
      unutilisedsellingamount: _u,
      customerid: _c,
      privacydetails: _p,
      ...noInvoice
    } = seedReply;
    const r = decodeRenew(noInvoice);
    expect(r.executed).toBe(true);
    expect(r.invoiceId).toBeUndefined();
    expect(r.charged).toBeUndefined();
    expect(r.privacy).toBeUndefined();
  });

  it('treats a status other than Success as not executed (an OnlyAdd invoice)', () => {
    const r = decodeRenew({ ...seedReply, actionstatus: 'PendingExecution' });
    expect(r.executed).toBe(false);
    expect(r.invoiceId).toBe('2000');
  });

  it('reads the renew document’s error envelope: status ERROR with a message (Note)', () => {
    expect(failureOf({ status: 'ERROR', message: 'Domain already renewed.' })).toEqual({
      status: 'ERROR',
      message: 'Domain already renewed.',
    });
  });
});

describe('every real recorded LogicBoxes reply', () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

  it('has the 35 recorded files', () => {
    expect(files.length).toBe(35);
  });

  it.each(files)('%s is JSON and not mistaken for an error', (name) => {
    const body = parseBody(fixture(name));
    expect(body.kind).toBe('json');
    if (body.kind === 'json') expect(failureOf(body.value, { actionReply: true })).toBeUndefined();
  });

  it('domains_orderid.json: a bare integer', () => {
    expect(decodeOrderId(json('domains_orderid.json'))).toBe('84372632');
    expect(decodeOrderId(json('customers_signup.json'))).toBe('30930235');
  });

  it('domains_available*.json: every status and both key orders', () => {
    expect(decodeAvailability(json('domains_available.json'), ['silverfires.com'])).toEqual([
      { domain: 'silverfires.com', available: true, premium: false },
    ]);
    const multi = decodeAvailability(json('domains_available_multi_domain_multi_tld.json'), [
      'github.com',
      'github.net',
      'google.com',
      'google.net',
    ]);
    expect(multi.map((a) => [a.domain, a.available, a.reason])).toEqual([
      ['github.com', false, 'registered elsewhere'],
      ['github.net', false, 'registered elsewhere'],
      ['google.com', false, 'registered elsewhere'],
      ['google.net', false, 'registered elsewhere'],
    ]);
    expect(
      decodeAvailability(json('domains_available_single_domain_multi_tld.json'), ['github.net'])[0]
        ?.available,
    ).toBe(false);
    expect(
      decodeAvailability(json('domains_available_multi_domain_single_tld.json'), ['google.com'])[0]?.reason,
    ).toBe('registered elsewhere');
    expect(
      decodeAvailability(json('domains_available_regthroughothers.json'), ['github.com'])[0]?.available,
    ).toBe(false);
    const third = decodeAvailability(json('domains_thirdlevelname_available_single.json'), [
      'domain.one.name',
    ]);
    // "unknown": the registry did not answer, which is not "taken".
    expect(third[0]).toMatchObject({
      available: null,
      unknown: 'check_failed',
      reason: expect.stringMatching(/unknown/),
    });
    const idn = decodeAvailability(json('domains_idn_available_multiple.json'), [
      'xn--111-dkd4l.com',
      'xn--112-dkd4l.com',
    ]);
    expect(idn.every((a) => a.available === false)).toBe(true);
    expect(
      decodeAvailability(json('domains_idn_available_single.json'), ['xn--111-dkd4l.com'])[0]?.reason,
    ).toBe('registered elsewhere');
    expect(
      decodeAvailability(json('domains_thirdlevelname_available_multiple.json'), ['domain.two.name']),
    ).toHaveLength(1);
  });

  it('domains_details_by_name.json: expiry, status, lock, name servers, privacy', () => {
    const d = decodeDetails(json('domains_details_by_name.json'), NOW);
    expect(d).toMatchObject({
      orderId: '84311819',
      domain: 'silverfires777.com',
      endtimeSeconds: 1572096892,
      expiresAt: '2019-10-26T13:34:52.000Z',
      createdAt: '2018-10-26T13:34:52.000Z',
      status: ['active', 'locked'],
      rawStatus: ['Active', 'transferlock', 'sixtydaylock'],
      locked: true,
      autoRenew: false,
      nameservers: ['ns1.topdns.me', 'ns2.topdns.me'],
      customerId: '19371930',
      productKey: 'domcno',
      privacyProtected: false,
      privacyAllowed: true,
      premium: false,
    });
    // Read after the expiry, the same order is expired.
    expect(
      decodeDetails(json('domains_details_by_name.json'), Date.parse('2020-01-01T00:00:00Z')).status[0],
    ).toBe('expired');
  });

  it('domains_renew.json and domains_renew_privacy_unavailable.json', () => {
    expect(decodeRenew(json('domains_renew.json'))).toEqual({
      orderId: '84372632',
      eaqid: '514448554',
      actionStatus: 'Success',
      actionStatusDesc: 'Domain renewed successfully',
      executed: true,
      invoiceId: '86704006',
      customerId: '19371930',
      charged: { amount: '14.99', currency: 'USD' },
      privacy: undefined,
    });
    const p = decodeRenew(json('domains_renew_privacy_unavailable.json'));
    expect(p.executed).toBe(true);
    expect(p.charged).toEqual({ amount: '7.91', currency: 'GBP' });
    expect(p.privacy).toEqual({ ok: false, message: 'Privacy Protection Service not available.' });
  });

  it('action replies: modify-ns done, modify-contact pending, register done', () => {
    expect(decodeAction(json('domains_modify_ns.json'), 'modify-ns')).toEqual({
      eaqid: '514554489',
      actionStatus: 'Success',
      description: 'Modification Completed Successfully.',
      done: true,
    });
    const pending = decodeAction(
      json('domains_modify_contact_pending_registrant_authorization.json'),
      'modify-contact',
    );
    expect(pending).toMatchObject({ actionStatus: 'PENDING_REGISTRANT_AUTHORIZATION', done: false });
    expect(decodeAction(json('domains_register.json'), 'register').done).toBe(true);
  });

  it('bare true bodies and quoted-string bodies', () => {
    for (const f of ['customers_modify.json', 'customers_delete.json', 'customers_change_password.json']) {
      expect(decodeBareTrue(json(f), f)).toBe(true);
    }
    expect(json('customers_generate_token.json')).toBe('89c4109f-ab08-4065-bf7f-8c41c2b1f34a');
  });
});

describe('error shapes seen in real use', () => {
  it('status ERROR / error / Failed, with message, error or actionstatusdesc', () => {
    expect(failureOf({ status: 'error', error: 'Privacy Protection Service not available.' })?.message).toBe(
      'Privacy Protection Service not available.',
    );
    expect(failureOf({ status: 'Failed', actionstatusdesc: 'Order failed' })?.message).toBe('Order failed');
    expect(failureOf({ status: 'ERROR' })?.message).toBe('no message given');
  });

  it('actionstatus Failed only in an action reply', () => {
    const body = {
      status: 'Success',
      actionstatus: 'Failed',
      actionstatusdesc: 'Registry refused',
      eaqid: '1',
    };
    expect(failureOf(body, { actionReply: true })).toEqual({
      status: 'actionstatus:Failed',
      message: 'Registry refused',
    });
    expect(failureOf(body)).toBeUndefined();
  });

  it('bare false is a failure, bare true and numbers are not', () => {
    expect(failureOf(false)?.status).toBe('false');
    expect(failureOf(true)).toBeUndefined();
    expect(failureOf(84372632)).toBeUndefined();
  });

  it('an HTML or plain-text page is a page, not JSON', () => {
    expect(parseBody('<html><body>Access Denied</body></html>')).toMatchObject({ kind: 'page', html: true });
    expect(parseBody('Access Denied: your IP is not allowed')).toMatchObject({ kind: 'page', html: false });
    expect(parseBody('')).toMatchObject({ kind: 'page' });
  });
});

describe('other decoders', () => {
  it('search.json pages with numbered rows', () => {
    const page = decodeSearchPage(
      {
        recsonpage: '2',
        recsindb: '7',
        '1': {
          'orders.orderid': '11',
          'entity.description': 'A.com',
          'orders.endtime': '1572096892',
          'entity.currentstatus': 'Active',
          'orders.autorenew': 'true',
        },
        '2': { 'orders.orderid': 12, 'entity.description': 'b.net', 'entity.currentstatus': 'Suspended' },
      },
      NOW,
    );
    expect(page).toEqual({
      total: 7,
      onPage: 2,
      rows: [
        {
          domain: 'a.com',
          expiresAt: '2019-10-26T13:34:52.000Z',
          status: ['active'],
          autoRenew: true,
          ref: { id: '11', orderId: '11' },
        },
        { domain: 'b.net', status: ['suspended'], ref: { id: '12', orderId: '12' } },
      ],
    });
    expect(() => decodeSearchPage({ recsonpage: '1', recsindb: '1' }, NOW)).toThrowError(/row 1 is missing/);
    expect(() =>
      decodeSearchPage({ recsonpage: '1', recsindb: '1', '1': { 'entity.description': 'a.com' } }, NOW),
    ).toThrowError(/no domain or order id/);
    expect(() => decodeSearchPage([], NOW)).toThrowError(/not an object/);
  });

  it('refuses impossible page counts as a protocol error (the codec fuzzer found a RangeError)', () => {
    for (const [recsindb, recsonpage] of [
      ['1', '-1'],
      ['1', '99999999999999999999'],
      ['-1', '0'],
      ['1e300', '0'],
      ['600', '501'],
    ]) {
      let thrown: unknown;
      try {
        decodeSearchPage({ recsindb, recsonpage }, NOW);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${recsindb}/${recsonpage}`).toMatchObject({ kind: 'protocol' });
    }
  });

  it('formats epoch seconds exactly like Date#toISOString', () => {
    expect(isoFromEpochSeconds(1572096892)).toBe('2019-10-26T13:34:52.000Z');
    expect(isoFromEpochSeconds(951782400)).toBe('2000-02-29T00:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799 }), (s) => {
        return isoFromEpochSeconds(s) === new Date(s * 1000).toISOString();
      }),
      { numRuns: 2000 },
    );
  });

  it('reseller balance and price tables', () => {
    expect(decodeBalance({ sellingcurrencybalance: '1000.50', sellingcurrencysymbol: 'usd' })).toEqual({
      amount: '1000.5',
      currency: 'USD',
    });
    // The vendor's own modules never read the symbol: its absence is no error (decisions).
    expect(decodeBalance({ sellingcurrencybalance: 20.41, sellingcurrencylockedbalance: 0 })).toEqual({
      amount: '20.41',
    });
    expect(decodeResellerDetails({ resellerid: '1', parentsellingcurrencysymbol: ' eur ' })).toEqual({
      currency: 'EUR',
    });
    expect(() => decodeResellerDetails({ resellerid: '1', sellingcurrencysymbol: 'USD' })).toThrowError(
      /parentsellingcurrencysymbol/,
    );
    const prices = decodePrices(
      {
        domcno: { renewdomain: { '1': '9.00', '2': '8.50' }, addnewdomain: { '1': 9 } },
        thirdleveldotuk: {},
      },
      'USD',
      { operation: 'renew' },
    );
    expect(prices).toEqual([
      { tld: 'com', operation: 'renew', years: 1, amount: { amount: '9', currency: 'USD' } },
      { tld: 'com', operation: 'renew', years: 2, amount: { amount: '17', currency: 'USD' } },
    ]);
    expect(
      decodePrices({ domcno: { addnewdomain: { '1': '9.99' } } }, 'USD', { tld: 'com', years: 1 }),
    ).toEqual([{ tld: 'com', operation: 'register', years: 1, amount: { amount: '9.99', currency: 'USD' } }]);
  });

  it('names the field that is wrong', () => {
    expect(() => decodeDetails({ orderid: '1', domainname: 'a.com' }, NOW)).toThrowError(/endtime/);
    expect(() => decodeRenew({ entityid: 'x', eaqid: '1', actionstatus: 'Success' })).toThrowError(
      /entityid/,
    );
    expect(() =>
      decodeBalance({ sellingcurrencybalance: 'lots', sellingcurrencysymbol: 'USD' }),
    ).toThrowError(/not a decimal/);
  });

  it('throws nothing but protocol GatewayErrors on arbitrary JSON', () => {
    const decoders: Array<(v: unknown) => unknown> = [
      decodeOrderId,
      (v) => decodeAvailability(v, ['a.com']),
      (v) => decodeDetails(v, NOW),
      (v) => decodeSearchPage(v, NOW),
      decodeRenew,
      (v) => decodeAction(v, 'x'),
      decodeBalance,
      decodeResellerDetails,
      decodeResellerDetails,
      (v) => decodePrices(v, 'USD'),
      (v) => failureOf(v, { actionReply: true }),
    ];
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const decode of decoders) {
          try {
            decode(value);
          } catch (error) {
            if (!isGatewayError(error) || error.kind !== 'protocol') return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
