/**
 * Golden tests: the User Manual's own examples (MrDomain's API User Manual 1.0.20, read from the
 * registrar documents beside the repository by line number) and every recorded real reply (none
 * exists yet for MrDomain).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GatewayError, isGatewayError } from '../../core/errors';
import {
  accountInfoSchema,
  certificateListSchema,
  certificateRenewSchema,
  certificateSchema,
  checkSchema,
  decodeBilling,
  decodeCertificateStatus,
  decodeDate,
  decodeDomainList,
  decodeDomainStatus,
  decodeEnvelope,
  decodeMoney,
  decodeNameservers,
  decodeReply,
  decodeServiceStatus,
  decodeTimestamp,
  decodeTransferState,
  decodeYears,
  domainSummarySchema,
  encodeCurExpDate,
  encodeForm,
  errorFromEnvelope,
  getInfoStatusSchema,
  helloSchema,
  nameserversSchema,
  nextPage,
  renewSchema,
  type ServiceRow,
  serviceInfoSchema,
  serviceListSchema,
  serviceRenewSchema,
  toCertificateInfo,
  toDomainSummary,
  toHostingInfo,
  zonesSchema,
} from './codec';

/** The `shared/` folder beside the repository (a worktree may sit one level deeper). */
function sharedDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'shared');
    if (existsSync(path.join(candidate, 'seeds'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('shared/ with the registrar seeds was not found beside the repository');
}

const SEED = readFileSync(path.join(sharedDir(), 'seeds', '004_674a36d8d2989297.txt'), 'utf8').split('\n');

/**
 * The JSON example that opens at line `start` of the User Manual (" {") and closes at the next " }".
 */
function seedExample(start: number): string {
  expect(SEED[start - 1]).toBe('    {');
  const end = SEED.findIndex((line, i) => i >= start && line === '    }');
  return SEED.slice(start - 1, end + 1)
    .map((l) => l.slice(4))
    .join('\n');
}

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (isGatewayError(error)) return error;
    throw new Error(`expected a GatewayError, got ${String(error)}`);
  }
  throw new Error('expected an error');
}

const ctx = { operation: 'test' };

describe('the User Manual’s examples decode (golden)', () => {
  it('tool/hello, pretty (User Manual §2.1) and compact (§2.3)', () => {
    const pretty = decodeReply(seedExample(63), helloSchema, ctx);
    expect(pretty.data).toEqual({ ip: '127.0.0.1', lang: 'en', version: '1.0.20' });
    expect(pretty.action).toBe('tool/hello');
    const compact = decodeReply((SEED[128] as string).trim(), helloSchema, ctx);
    expect(compact.data).toEqual({ ip: '37.152.93.46', lang: 'en', version: '1.0.20' });
  });

  it('the invalid-action error (User Manual §2.1) is an error envelope with responseData []', () => {
    const env = decodeEnvelope(seedExample(88), ctx);
    expect(env).toMatchObject({
      success: false,
      errorCode: 102,
      responseData: [],
      messages: ['invalid object/action'],
    });
    const error = thrown(() => decodeReply(seedExample(88), helloSchema, ctx));
    expect(error).toMatchObject({
      kind: 'unsupported',
      upstreamCode: '102',
      upstreamMessage: 'Object action invalid; invalid object/action',
      provider: 'mrdomain',
    });
  });

  it('account/info (User Manual §4.1 Info): balance as an exact decimal string with its currency', () => {
    const { data } = decodeReply(seedExample(533), accountInfoSchema, ctx);
    expect(decodeMoney(data.balance, data.currency)).toEqual({ amount: '124', currency: 'EUR' });
    expect(data.clientName).toBe('clientX');
  });

  it('account/zones (User Manual §4.3 Zones): per-operation prices, CSV years, inPromo only when true', () => {
    const { data } = decodeReply(seedExample(657), zonesSchema, ctx);
    expect(data.queryInfo).toEqual({ page: 1, pageLength: 100, results: 1, total: 1 });
    const green = data.zones[0];
    expect(green?.tld).toBe('green');
    expect(green?.create).toEqual({ price: 12.95, years: '1', inPromo: true });
    expect(green?.renew?.inPromo).toBeUndefined();
    expect(decodeYears(green?.renew?.years ?? '')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(decodeMoney(green?.renew?.price ?? 0, 'EUR')).toEqual({ amount: '52.95', currency: 'EUR' });
  });

  it('domain/check (User Manual §5.1 Check)', () => {
    const { data } = decodeReply(seedExample(755), checkSchema, ctx);
    expect(data.domains).toEqual([
      {
        name: 'exampledomain-001.com',
        punycode: 'exampledomain-001.com',
        tld: 'com',
        available: true,
        premium: false,
        price: 9.95,
        currency: 'EUR',
      },
    ]);
    expect(decodeMoney(9.95, 'EUR')).toEqual({ amount: '9.95', currency: 'EUR' });
  });

  it('domain/update (User Manual §5.6) and domain/updatenameservers (§5.7): domain summary', () => {
    const update = decodeReply(seedExample(1269), domainSummarySchema, ctx);
    expect(update.messages).toEqual(['Operation done correctly.']);
    expect(toDomainSummary(update.data)).toEqual({
      domain: 'example-domain.tv',
      expiresAt: '2015-05-14T00:00:00.000Z',
      status: ['active'],
      ref: { id: '60523498' },
    });
    const ns = decodeReply(seedExample(1324), domainSummarySchema, ctx);
    expect(ns.messages).toEqual([]);
    expect(ns.data.domainID).toBe(60523498);
  });

  it('domain/list (User Manual §5.12 List) is invalid JSON as printed (a /* */ comment), refused cleanly; without the comment it decodes', () => {
    const printed = seedExample(1640);
    expect(thrown(() => decodeDomainList(printed)).kind).toBe('protocol');
    const repaired = printed.replace(/\/\*[\s\S]*?\*\//, '');
    const page = decodeDomainList(repaired);
    expect(page.queryInfo).toEqual({ page: 1, pageLength: 10, results: 10, total: 27 });
    expect(page.domains).toEqual([
      {
        domain: 'exampledomain1.com',
        expiresAt: '2016-02-14T00:00:00.000Z',
        status: ['active'],
        ref: { id: '1223421' },
      },
      {
        domain: 'exampledomain2.es',
        expiresAt: '2016-02-28T00:00:00.000Z',
        status: ['active'],
        ref: { id: '1123239' },
      },
    ]);
    expect(nextPage(page.queryInfo)).toBe(2);
  });

  it('domain/getinfo status (User Manual §5.13 Get Info) lacks a comma: refused as printed, decoded once repaired', () => {
    const printed = seedExample(1761);
    expect(thrown(() => decodeReply(printed, getInfoStatusSchema, ctx)).kind).toBe('protocol');
    const { data } = decodeReply(
      printed.replace('"serviceAssociated": false\n', '"serviceAssociated": false,\n'),
      getInfoStatusSchema,
      ctx,
    );
    expect(data).toMatchObject({
      name: 'example-domain.tv',
      tsCreate: '2005-05-14',
      renewable: true,
      renewalMode: 'autorenew',
      modifyBlock: false,
      transferBlock: true,
      ownerverification: 'verified',
    });
    expect(data.transferStatus).toBeUndefined();
    expect(decodeTransferState(data.transferStatus, data.status)).toBe('none');
  });

  it('domain/getinfo nameservers (User Manual §5.13) and domain/getnameservers (§5.15)', () => {
    for (const start of [1838, 2063]) {
      const { data } = decodeReply(seedExample(start), nameserversSchema, ctx);
      expect(data.defaultNS).toBe(false);
      expect(decodeNameservers(data.nameservers)).toEqual(['ns1.example.com', 'ns2.example.com']);
    }
  });

  it('nameservers come back in `order`, whatever the array order (User Manual §5.26 Nameserver Response lists name before order)', () => {
    expect(
      decodeNameservers([
        { name: 'ns2.dondominio.com', order: 2, ipv4: '178.33.146.32' },
        { name: 'ns3.dondominio.com', order: 1, ipv4: '37.152.88.12' },
      ]),
    ).toEqual(['ns3.dondominio.com', 'ns2.dondominio.com']);
  });

  it('domain/renew (User Manual §5.20 Renew): billing total as money, new expiry, status renewed', () => {
    const { data } = decodeReply(seedExample(2394), renewSchema, ctx);
    expect(decodeMoney(data.billing.total, data.billing.currency)).toEqual({
      amount: '53.25',
      currency: 'EUR',
    });
    expect(data.domains[0]).toMatchObject({
      name: 'example-domain.tel',
      status: 'renewed',
      tsExpir: '2015-05-17',
      renewPeriod: '4',
    });
    expect(decodeDomainStatus('renewed')).toEqual(['active', 'pending']);
  });
});

const REAL = path.join(sharedDir(), 'fixtures', 'real', 'mrdomain');

describe('recorded real replies', () => {
  it('every file under fixtures/real/mrdomain decodes as an envelope, or SOURCES.md says there are none', () => {
    const files = existsSync(REAL) ? readdirSync(REAL).filter((f) => !f.startsWith('.')) : [];
    if (files.length === 0) {
      // As of writing: "## mrdomain (MrDomain / DonDominio) — 0 files". Adding files makes this
      // test decode them instead.
      const sources = readFileSync(path.join(sharedDir(), 'fixtures', 'real', 'SOURCES.md'), 'utf8');
      expect(sources).toMatch(/## mrdomain \(MrDomain \/ DonDominio\) — 0 files/);
      return;
    }
    for (const file of files) {
      const env = decodeEnvelope(readFileSync(path.join(REAL, file), 'utf8'), ctx);
      expect(typeof env.errorCode, file).toBe('number');
    }
  });
});

describe('envelope: bad replies are protocol errors, never crashes', () => {
  it.each([
    ['empty body', ''],
    ['HTML page', '<!DOCTYPE html><html><body>503</body></html>'],
    ['truncated JSON', '{"success":true,"errorCode":0,"errorCo'],
    ['JSON that is not an envelope', '{"ok":true}'],
    [
      'success contradicting errorCode',
      '{"success":true,"errorCode":2008,"errorCodeMsg":"","action":"a","version":"1","responseData":[]}',
    ],
    ['a JSON array', '[1,2,3]'],
  ])('%s', (_name, text) => {
    expect(thrown(() => decodeEnvelope(text, ctx)).kind).toBe('protocol');
  });

  it('a success whose responseData is [] where data is expected is a protocol error naming the path', () => {
    const text =
      '{"success":true,"errorCode":0,"errorCodeMsg":"","action":"domain\\/check","version":"1.0.20","responseData":[]}';
    const error = thrown(() => decodeReply(text, checkSchema, ctx));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/responseData/);
  });

  it('a bad row in domain/list names the row and the field', () => {
    const text = JSON.stringify({
      success: true,
      errorCode: 0,
      errorCodeMsg: '',
      action: 'domain/list',
      version: '1.0.20',
      responseData: {
        queryInfo: { page: 1, pageLength: 10, results: 2, total: 2 },
        domains: [
          { name: 'a.com', status: 'active', tld: 'com', tsExpir: '2027-01-01', domainID: 1 },
          { name: 'b.com', status: 'active', tld: 'com', tsExpir: '2027-01-01', domainID: '2' },
        ],
      },
    });
    expect(thrown(() => decodeDomainList(text)).message).toMatch(/domains\.1\.domainID/);
  });

  it('property: any string either decodes to an envelope or throws a protocol GatewayError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          decodeEnvelope(text, ctx);
        } catch (error) {
          return isGatewayError(error) && error.kind === 'protocol';
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('errors carry the upstream code and block codes say not to retry', () => {
    const env = decodeEnvelope(
      '{"success":false,"errorCode":1010,"errorCodeMsg":"Account blocked","action":"domain\\/check","version":"1.0.20","responseData":[]}',
      ctx,
    );
    const error = errorFromEnvelope(env, { operation: 'checkAvailability' });
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: false, upstreamCode: '1010' });
    expect(error.message).toMatch(/do not retry/);
  });
});

describe('scalars', () => {
  it('dates: YYYY-MM-DD, "" when unknown, impossible dates refused', () => {
    expect(decodeDate('2015-05-14')).toBe('2015-05-14T00:00:00.000Z');
    expect(decodeDate('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(decodeDate('')).toBeUndefined();
    for (const bad of ['2015-02-30', '2023-02-29', '20150514', '2015-5-14', '2015-13-01', 'soon']) {
      expect(thrown(() => decodeDate(bad)).kind).toBe('protocol');
    }
  });

  it('timestamps YYYY-MM-DD HH:MM:SS (User Manual §4.2 Promos)', () => {
    expect(decodeTimestamp('2017-01-01 00:00:00')).toBe('2017-01-01T00:00:00.000Z');
    expect(decodeTimestamp('2021-12-31 23:59:00')).toBe('2021-12-31T23:59:00.000Z');
    expect(thrown(() => decodeTimestamp('2021-12-31 24:00:00')).kind).toBe('protocol');
  });

  it('money: floats become exact decimal strings, garbage is a protocol error', () => {
    expect(decodeMoney(12.04, 'eur')).toEqual({ amount: '12.04', currency: 'EUR' });
    expect(decodeMoney(28, 'EUR')).toEqual({ amount: '28', currency: 'EUR' });
    expect(decodeMoney('3400.50', 'EUR')).toEqual({ amount: '3400.5', currency: 'EUR' });
    expect(thrown(() => decodeMoney('12,3.4x', 'EUR')).kind).toBe('protocol');
  });

  it('form encoding: UTF-8 urlencoded, booleans as the PHP SDK sends them (1 / empty), undefined left out', () => {
    expect(
      encodeForm({
        apiuser: 'u',
        apipasswd: 'p&=ñ',
        domain: 'españa.com',
        premium: false,
        transferBlock: true,
        period: 2,
        x: undefined,
      }),
    ).toBe('apiuser=u&apipasswd=p%26%3D%C3%B1&domain=espa%C3%B1a.com&premium=&transferBlock=1&period=2');
  });

  it('curExpDate is the UTC calendar day of the expected expiry', () => {
    expect(encodeCurExpDate('2027-03-01T00:00:00.000Z')).toBe('2027-03-01');
    expect(encodeCurExpDate('2027-03-01T23:30:00+00:00')).toBe('2027-03-01');
    expect(thrown(() => encodeCurExpDate('next year')).kind).toBe('invalid_request');
  });

  it('paging stops at the last page and on empty pages', () => {
    expect(nextPage({ page: 1, pageLength: 1000, results: 1000, total: 2500 })).toBe(2);
    expect(nextPage({ page: 3, pageLength: 1000, results: 500, total: 2500 })).toBeUndefined();
    expect(nextPage({ page: 2, pageLength: 10, results: 0, total: 50 })).toBeUndefined();
  });

  it('statuses of User Manual §5.27.1 and §5.27.2 map to the model; unknown words are "unknown"', () => {
    expect(decodeDomainStatus('expired-redemption')).toEqual(['expired', 'redemption']);
    expect(decodeDomainStatus('transfer-pending')).toEqual(['transfer_pending']);
    expect(decodeDomainStatus('something-new')).toEqual(['unknown']);
    expect(decodeTransferState('pending-auth', 'transfer-pending')).toBe('pending');
    expect(decodeTransferState('completed', 'active')).toBe('completed');
    expect(decodeTransferState(undefined, 'transfer-cancel')).toBe('cancelled');
  });
});

describe('hosting services and SSL certificates: the User Manual’s examples (golden)', () => {
  it('service/list (User Manual §7.1) is invalid JSON as printed (a /* */ comment); without it the rows decode', () => {
    const printed = seedExample(3129);
    expect(thrown(() => decodeReply(printed, serviceListSchema, ctx)).kind).toBe('protocol');
    const { data } = decodeReply(printed.replace(/\/\*[\s\S]*?\*\//, ''), serviceListSchema, ctx);
    // The example's queryInfo says 1 result of 1 beside two rows: paging must not read past it.
    expect(nextPage(data.queryInfo)).toBeUndefined();
    expect(data.services.map(toHostingInfo)).toEqual([
      {
        kind: 'hosting',
        id: 'example-test.net',
        name: 'example-test.net',
        expiresAt: '2025-06-19T00:00:00.000Z',
        status: 'active',
        rawStatus: 'active',
        ref: { id: 'example-test.net' },
      },
      expect.objectContaining({ id: 'example-123test.cat', expiresAt: '2018-10-09T00:00:00.000Z' }),
    ]);
  });

  it('service/getinfo status (User Manual §7.2) lacks one comma and has a trailing one: refused as printed, decoded once repaired', () => {
    const printed = seedExample(3246);
    expect(thrown(() => decodeReply(printed, serviceInfoSchema, ctx)).kind).toBe('protocol');
    const repaired = printed
      .replace('"tsCreate": "2014-12-10"\n', '"tsCreate": "2014-12-10",\n')
      .replace('"renewable": false,\n', '"renewable": false\n');
    const { data } = decodeReply(repaired, serviceInfoSchema, ctx);
    expect(data.tsCreate).toBe('2014-12-10');
    expect(toHostingInfo(data)).toEqual({
      kind: 'hosting',
      id: 'example-test01.com',
      name: 'example-test01.com',
      expiresAt: '2015-12-10T00:00:00.000Z',
      status: 'active',
      rawStatus: 'active',
      renewable: false,
      ref: { id: 'example-test01.com' },
    });
  });

  it('service/renew (User Manual §7.4): the billing as money, the row "renewed" with its product key', () => {
    const { data, messages } = decodeReply(seedExample(3504), serviceRenewSchema, ctx);
    expect(messages).toEqual(['Operation done correctly.']);
    expect(decodeBilling(data.billing)).toEqual({ amount: '12.04', currency: 'EUR' });
    expect(toHostingInfo(data.services[0] as ServiceRow)).toMatchObject({
      id: 'example-test.net',
      status: 'renewing',
      rawStatus: 'renewed',
      product: 'basic',
      expiresAt: '2025-06-19T00:00:00.000Z',
    });
  });

  it('ssl/list (User Manual §8.5): certificate ids as decimal strings, common names, product ids', () => {
    const { data } = decodeReply(seedExample(6229), certificateListSchema, ctx);
    expect(data.queryInfo).toEqual({ page: 1, pageLength: 2, results: 2, total: 20 });
    expect(nextPage(data.queryInfo)).toBe(2);
    expect(data.ssl.map(toCertificateInfo)).toEqual([
      {
        kind: 'certificate',
        id: '132442',
        name: 'www.example.org',
        expiresAt: '2022-05-19T00:00:00.000Z',
        status: 'active',
        rawStatus: 'valid',
        renewable: false,
        product: '6',
        ref: { id: '132442' },
      },
      expect.objectContaining({ id: '130839', name: '*.example.com', product: '56' }),
    ]);
  });

  it('ssl/getinfo status (User Manual §8.6)', () => {
    const { data } = decodeReply(seedExample(6342), certificateSchema, ctx);
    expect(toCertificateInfo(data)).toMatchObject({
      id: '130839',
      name: '*.example.com',
      expiresAt: '2022-06-07T00:00:00.000Z',
      status: 'active',
      renewable: false,
    });
  });

  it('ssl/renew (User Manual §8.8.3): one certificate object, in process, with no dates yet', () => {
    const { data } = decodeReply(seedExample(6730), certificateRenewSchema, ctx);
    expect(decodeBilling(data.billing)).toEqual({ amount: '95.35', currency: 'EUR' });
    const info = toCertificateInfo(data.ssl);
    expect(info).toEqual({
      kind: 'certificate',
      id: '135838',
      name: 'example.com',
      status: 'pending',
      rawStatus: 'process',
      renewable: false,
      product: '4',
      ref: { id: '135838' },
    });
  });

  it('statuses of §7.48.2 and §8.14.2 map to the model; a certificate in "renew" proves a renewal was placed', () => {
    expect(['init', 'active', 'inactive', 'renewed', 'renewable', 'gone'].map(decodeServiceStatus)).toEqual([
      'pending',
      'active',
      'suspended',
      'renewing',
      'active',
      'unknown',
    ]);
    expect(
      ['process', 'valid', 'expired', 'renew', 'reissue', 'cancel', 'odd'].map(decodeCertificateStatus),
    ).toEqual(['pending', 'active', 'expired', 'renewing', 'pending', 'cancelled', 'unknown']);
    const renewing = toCertificateInfo({
      certificateID: 7,
      commonName: 'a.example',
      status: 'renew',
      tsExpir: '2030-01-02',
    });
    expect(renewing).toMatchObject({ renewalInProgress: true, expiresAt: '2030-01-02T00:00:00.000Z' });
    const valid = toCertificateInfo({
      certificateID: 7,
      commonName: 'a.example',
      status: 'valid',
      tsExpir: '2030-01-02',
    });
    expect(valid.renewalInProgress).toBeUndefined();
    // A hosting service "renewed" already carries its new expiry: not a pending renewal.
    expect(
      toHostingInfo({ name: 'h.example', status: 'renewed', tsExpir: '2030-01-02' }).renewalInProgress,
    ).toBeUndefined();
  });

  it('an SSL Error (5000) carries the registrar’s messages into our message', () => {
    const env = decodeEnvelope(
      JSON.stringify({
        success: false,
        errorCode: 5000,
        errorCodeMsg: 'SSL Error',
        action: 'ssl/renew',
        version: '1.0.20',
        messages: ['csrData is not a PEM certificate request'],
        responseData: [],
      }),
      ctx,
    );
    expect(errorFromEnvelope(env, ctx)).toMatchObject({
      kind: 'invalid_request',
      message: 'MrDomain test failed: SSL Error (errorCode 5000): csrData is not a PEM certificate request',
      upstreamCode: '5000',
    });
  });
});
