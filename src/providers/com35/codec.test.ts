import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedRequestChecksums, formulaOf, replyChecksum, svtridOf } from '../../../sim/com35/checksums';
import { readRequest, renderGreeting, renderReply } from '../../../sim/com35/wire';
import { sharedPath } from '../../../test/node/shared-dir';
import { GatewayError } from '../../core/errors';
import {
  buildRequest,
  CHECKSUM_FORMULAS,
  type Com35Credentials,
  createCltridGenerator,
  type DataItem,
  dataValue,
  fromWireDomain,
  parseResponse,
  requestChecksum,
  toWireDomain,
  verifyResponseChecksum,
} from './codec';
import { md5Hex } from './md5';

const seed = readFileSync(sharedPath('seeds', '000_30487e95ae379830.txt'), 'utf8').split('\n');

/**
 * The XML document starting at or after line `from` (1-based) of the 35.com API user manual's text
 * (the registrar's document, read from the shared fixtures), PDF fence artefacts removed.
 */
function seedDocument(from: number, root: 'request' | 'response'): string {
  const lines: string[] = [];
  let started = false;
  for (let i = from - 1; i < seed.length; i++) {
    const line = seed[i]!;
    if (!started && !line.includes('<?xml')) continue;
    started = true;
    if (/^\s*```\s*$/.test(line) || line.trim() === '') continue;
    lines.push(line);
    if (line.includes(`</${root}>`)) break;
  }
  return lines.join('\n');
}

/*
 * Documents the gateway reads come from the manual's examples or from the simulator's renderer
 * (sim/com35/wire.ts), and documents the gateway writes are read by the simulator's reader: the
 * simulator is an independent reading of the same manual, so each checks the other.
 */

/** The test account of the document: clid 150132, password Aa654123$ (manual §7.1.1). */
const TEST_ACCOUNT: Com35Credentials = { clid: '150132', passwordMd5: md5Hex('Aa654123$') };

describe('md5Hex: the runtime MD5 over UTF-8 text (RFC 1321 appendix A.5 vectors)', () => {
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ])('md5(%j)', (input, digest) => {
    expect(md5Hex(input)).toBe(digest);
  });

  it('hashes non-ASCII text as UTF-8 and long inputs across many blocks', () => {
    expect(md5Hex('中国')).toBe('c13dceabcb143acd6c9298265d618a9f');
    expect(md5Hex('a'.repeat(1000))).toBe('cabe45dcc9ae5b66ba86600cca6b8ba8');
  });
});

describe("request checksums (the manual's worked examples)", () => {
  it('the Login worked example of §7.1.3.1', () => {
    const creds = { clid: '150132', passwordMd5: md5Hex('O97p6x#B3') };
    expect(creds.passwordMd5).toBe('2369a7ac7d7415839077ecc4d830e386');
    const chk = requestChecksum(
      { category: 'client', action: 'Login', params: { clid: '150132' } },
      creds,
      '150132A1672800862B822',
    );
    expect(chk).toBe('7643f390d7817d8366dd49277e0b9616');
  });

  it('the CreateDomain request example of §7.2.2.4.6 (two dns params in order, mltype not covered)', () => {
    const req = readRequest(seedDocument(768, 'request'));
    expect(req.chksum).toBe('e6ddcb6a1184ea8133c569512f9bdfcb');
    const params: Record<string, string | string[]> = {};
    for (const p of req.params) {
      const prev = params[p.name];
      params[p.name] = prev === undefined ? p.value : [...(Array.isArray(prev) ? prev : [prev]), p.value];
    }
    expect(
      requestChecksum({ category: req.category, action: req.action, params }, TEST_ACCOUNT, req.cltrid),
    ).toBe(req.chksum);
  });

  it('the UpdateDomainDns request example of §7.2.2.9.6 (nameservers not covered)', () => {
    const req = readRequest(seedDocument(1233, 'request'));
    const chk = requestChecksum(
      {
        category: 'domain',
        action: 'UpdateDomainDns',
        params: { domaintype: '0', domain: 'testtest220610r1.com', nameserver: ['ns1.dns-diy.com', 'x'] },
      },
      TEST_ACCOUNT,
      req.cltrid,
    );
    expect(chk).toBe('c1d355e6e7ab51772140f89702c79f7c');
    expect(req.chksum).toBe(chk);
  });

  it('the registrant e-mail change request examples (§7.2.3.2.4, §7.2.3.3.4)', () => {
    expect(
      requestChecksum(
        {
          category: 'domain',
          action: 'RequestModifyRegistrantEmail',
          params: { domaintype: '0', domain: 'testyoyo4161.com', new_email: 'test123@test123.com' },
        },
        TEST_ACCOUNT,
        'test16316112641494689198',
      ),
    ).toBe('a3b1839c745650572231558a0c915698');
    expect(
      requestChecksum(
        {
          category: 'domain',
          action: 'VerifyModifyRegistrantEmail',
          params: { domaintype: '0', domain: 'testyoyo4161.com', verification_code: 'oc_X/83(5K' },
        },
        TEST_ACCOUNT,
        'test16316116481389115247',
      ),
    ).toBe('3a4b19fcf344472d03e4def64585f7c2');
  });

  it('uses each command’s own literal and field order', () => {
    const creds = { clid: '1', passwordMd5: 'p' };
    const c = (action: string, params: Record<string, string>, category = 'domain') =>
      requestChecksum({ category, action, params }, creds, 'T');
    expect(c('DeleteDomain', { domaintype: '0', domain: 'a.com' })).toBe(md5Hex('1pTdeldomain0a.com'));
    expect(c('RenewDomain', { period: '2', domain: 'a.com', domaintype: '0' })).toBe(
      md5Hex('1pTrenewdomain0a.com2'),
    );
    expect(c('UpdateDomainStatus', { domaintype: '0', domain: 'a.com', addstatus: 'x' })).toBe(
      md5Hex('1pTupdatedomainstatus0a.com'),
    );
    expect(c('CreateHost', { domaintype: '800', hostname: 'ns1.a.com' })).toBe(
      md5Hex('1pTcreatehost800ns1.a.com'),
    );
    expect(c('QueryCustTransfer', { domaintype: '0', domain: 'a.com', op: 'In' })).toBe(
      md5Hex('1pTquerycusttransfer0a.comIn'),
    );
    expect(c('GetAccountBalance', {}, 'account')).toBe(md5Hex('1pTgetaccountbalance'));
  });

  // Pre-images written from the manual's formula text (each command's 命令格式 section), not from our table.
  it.each([
    ['client', 'Login', { clid: '1' }, 'login'], // §7.1.3.1
    ['client', 'Logout', { clid: '1' }, 'logout'], // §7.1.6.1
    ['domain', 'CheckDomain', { domaintype: '0', domain: 'a.com' }, 'checkdomain0a.com'], // §7.2.2.2.1
    ['domain', 'InfoDomain', { domain: 'a.com', domaintype: '0' }, 'infodomain0a.com'], // §7.2.2.3.1
    [
      'domain',
      'CreateDomain',
      {
        domaintype: '0',
        mltype: '0',
        domain: 'a.com',
        period: '1',
        dns: ['ns1', 'ns2'],
        template_id: 'T1',
        password: 'P!1',
      },
      'createdomain0a.com1ns1ns2T1P!1',
    ], // §7.2.2.4.1
    ['domain', 'RenewDomain', { domaintype: '0', domain: 'a.com', period: '3' }, 'renewdomain0a.com3'], // §7.2.2.5.1
    ['domain', 'DeleteDomain', { domaintype: '0', domain: 'a.com' }, 'deldomain0a.com'], // §7.2.2.6.1
    [
      'domain',
      'UpdateDomainStatus',
      { domaintype: '0', domain: 'a.com', remstatus: 'x' },
      'updatedomainstatus0a.com',
    ], // §7.2.2.7.1
    [
      'domain',
      'UpdateDomainExtra',
      { domaintype: '0', domain: 'a.com', addextra: 'x' },
      'updatedomainextra0a.com',
    ], // §7.2.2.8.1
    [
      'domain',
      'UpdateDomainDns',
      { domaintype: '0', domain: 'a.com', nameserver: ['n1', 'n2'] },
      'updatedomaindns0a.com',
    ], // §7.2.2.9.1
    [
      'domain',
      'UpdateDomainPwd',
      { domaintype: '0', domain: 'a.com', password: 'NewPw1!x' },
      'updatedomainpwd0a.comNewPw1!x',
    ], // §7.2.2.10.1
    ['domain', 'InfoDomainExtra', { domaintype: '0', domain: 'a.com' }, 'infodomainextra0a.com'], // §7.2.2.11.1
    ['domain', 'CheckHost', { domaintype: '220', hostname: 'ns1.a.cn' }, 'checkhost220ns1.a.cn'], // §7.2.4.2.1
    ['domain', 'InfoHost', { domaintype: '220', hostname: 'ns1.a.cn' }, 'infohost220ns1.a.cn'], // §7.2.4.3.1
    [
      'domain',
      'CreateHost',
      { domaintype: '800', hostname: 'ns1.a.biz', addr: '1.2.3.4' },
      'createhost800ns1.a.biz1.2.3.4',
    ], // §7.2.4.4.1
    [
      'domain',
      'UpdateHost',
      { domaintype: '800', hostname: 'h', remaddr: '9.9.9.9' },
      'updatehost800h9.9.9.9',
    ], // §7.2.4.5.1
    [
      'domain',
      'UpdateHost',
      { domaintype: '800', hostname: 'h', addaddr: '1.1.1.1', remaddr: '9.9.9.9' },
      'updatehost800h1.1.1.19.9.9.9',
    ],
    ['domain', 'DeleteHost', { domaintype: '800', hostname: 'h' }, 'deletehost800h'], // §7.2.4.6.1
    [
      'domain',
      'RequestCustTransfer',
      { domaintype: '805', domain: 'a.info', password: '123456', curID: '355422' },
      'requestcusttransfer805a.info123456355422',
    ], // §7.2.5.3.1
    [
      'domain',
      'CustTransferSetPwd',
      { domaintype: '805', domain: 'a.info', password: '123456' },
      'custtransfersetpwd805a.info123456',
    ], // §7.2.5.4.1
    ['domain', 'QueryRegTransfer', { domaintype: '220', domain: 'sina.cn' }, 'queryregtransfer220sina.cn'], // §7.2.6.2.1
    [
      'domain',
      'RequestRegTransfer',
      { domaintype: '0', domain: 'a.com', contact_id: 'C', authcode: 'A' },
      'requestregtransfer0a.comCA',
    ], // §7.2.6.3.1
    ['account', 'GetCustomerInfo', {}, 'getcustomerinfo'], // §7.6.2.1
  ])('%s/%s checksum covers %j as the manual says', (category, action, params, tail) => {
    const creds = { clid: '9', passwordMd5: 'h' };
    expect(requestChecksum({ category, action, params }, creds, 'T')).toBe(md5Hex(`9hT${tail}`));
  });

  it('refuses a command with a missing checksum field or no known formula', () => {
    const creds = { clid: '1', passwordMd5: 'p' };
    expect(() =>
      requestChecksum({ category: 'domain', action: 'RenewDomain', params: { domain: 'a.com' } }, creds, 'T'),
    ).toThrow(/missing parameter domaintype/);
    const err = (() => {
      try {
        requestChecksum({ category: 'vhost', action: 'CheckVhost' }, creds, 'T');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).kind).toBe('unsupported');
  });
});

describe("response checksums (the manual's examples, recomputed)", () => {
  it.each([
    ['CreateDomain (§7.2.2.4.6)', 786, 'b15eb6b3f71d1dfc751574a12dcf939e'],
    ['UpdateDomainDns (§7.2.2.9.6)', 1248, '3e21d9ebf8d98baff88bc9a7fbae153e'],
    ['RequestModifyRegistrantEmail (§7.2.3.2.4, gbk declaration)', 1535, 'ca319f848642dac127eee6982978aea8'],
    ['VerifyModifyRegistrantEmail (§7.2.3.3.4)', 1618, 'fa3d085cb2193d44c6eecd5fd1ec0727'],
  ])('%s verifies as printed in the manual', (_name, line, chk) => {
    const response = parseResponse(seedDocument(line, 'response'));
    expect(response.chksum).toBe(chk);
    expect(verifyResponseChecksum(response, TEST_ACCOUNT)).toBe(true);
  });

  it('RequestRegTransfer (§7.2.6.3.6) only verifies with the msg the server really sent ("complateted")', () => {
    const printed = parseResponse(seedDocument(2630, 'response'));
    expect(printed.msg).toBe('Command completed successfully');
    expect(verifyResponseChecksum(printed, TEST_ACCOUNT)).toBe(false);
    expect(
      verifyResponseChecksum({ ...printed, msg: 'Command complateted successfully' }, TEST_ACCOUNT),
    ).toBe(true);
  });

  it('hashes msg and value exactly as received: one changed space fails', () => {
    const response = parseResponse(seedDocument(786, 'response'));
    expect(verifyResponseChecksum({ ...response, value: `${response.value} ` }, TEST_ACCOUNT)).toBe(false);
    expect(verifyResponseChecksum({ ...response, msg: response.msg.toLowerCase() }, TEST_ACCOUNT)).toBe(
      false,
    );
    expect(verifyResponseChecksum({ ...response, chksum: undefined }, TEST_ACCOUNT)).toBe(false);
  });
});

describe('parseResponse', () => {
  it('reads the greeting (no cltrid, no checksum)', () => {
    const g = parseResponse(seedDocument(166, 'response'));
    expect(g).toMatchObject({ category: 'client', action: 'Greeting', code: 1000 });
    expect(g.msg).toBe('Your Connection with API Server is Successful');
    expect(dataValue(g, 'svDate')).toBe('2019-02-16 06:22:21');
    expect(g.cltrid).toBeUndefined();
    expect(parseResponse(renderGreeting('2026-01-01 00:00:00')).dataMap.svDate).toEqual([
      '2026-01-01 00:00:00',
    ]);
  });

  it('keeps repeated data names in order, as a list and a map (InfoDomain example, §7.2.2.3.6)', () => {
    const r = parseResponse(seedDocument(612, 'response'));
    expect(r.action).toBe('InfoDomain');
    expect(r.dataMap.dns).toEqual(['dns1.onlinenic.net', 'dns2.onlinenic.net']);
    expect(r.data.slice(0, 3).map((d) => d.name)).toEqual(['crDate', 'exDate', 'password']);
    expect(dataValue(r, 'exDate')).toBe('2022-01-02');
    expect(r.dataMap.b_password).toEqual(['Bb123456']);
  });

  it('accepts a response without resData (UpdateDomainStatus example, §7.2.2.7.6) and one with <checksum>', () => {
    const noData = parseResponse(seedDocument(1080, 'response'));
    expect(noData.data).toEqual([]);
    expect(noData.value).toBe('L255:no value');
    const info = parseResponse(seedDocument(7496, 'response'));
    expect(info.action).toBe('GetCustomerInfo');
    expect(info.chksum).toBe('c1ad0ab1247d719a64f2590f0d111a59');
    expect(dataValue(info, 'r_city')).toBe('厦门市');
  });

  it('accepts the real OnlineNIC recording (tabs, empty resData)', () => {
    const text = readFileSync(sharedPath('fixtures', 'real', 'com35', 'onlinenic_ote_login.xml'), 'utf8');
    const r = parseResponse(text);
    expect(r).toMatchObject({ action: 'Login', code: 1000, value: 'L115:no value', data: [] });
    expect(r.svtrid).toBe('cf65f78fbf2970eee91b3673f88f1de3-API-SRV');
  });

  it('trims padded structural text but keeps msg/value untouched (as in the CheckHost example, §7.2.4.2.6)', () => {
    const r = parseResponse(
      '<?xml version="1.0"?><response><category> domain </category><action> CheckHost </action><code>1000</code>' +
        '<msg> Command complateted successfully</msg><value>no value</value><resData><data name=" avail ">0</data></resData>' +
        '<cltrid> X</cltrid><svtrid> X-API-SRV</svtrid><chksum> ABC</chksum></response>',
    );
    expect(r).toMatchObject({ category: 'domain', action: 'CheckHost', cltrid: 'X', svtrid: 'X-API-SRV' });
    expect(r.msg).toBe(' Command complateted successfully');
    expect(r.dataMap.avail).toEqual(['0']);
  });

  it.each([
    ['garbage bytes', '\u0000\u0013garbage\uFFFD not a reply'],
    ['an HTML page', '<!DOCTYPE html><html><body>503</body></html>'],
    ['a truncated document', '<?xml version="1.0"?><response><code>1000</code><msg>Comm'],
    ['a request instead of a response', '<request><category>a</category></request>'],
    ['a response without code', '<response><category>a</category><action>b</action><msg>m</msg></response>'],
    [
      'a non-numeric code',
      '<response><category>a</category><action>b</action><code>OK</code><msg>m</msg></response>',
    ],
    ['an empty message', '  '],
  ])('rejects %s with a protocol GatewayError', (_name, text) => {
    try {
      parseResponse(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).kind).toBe('protocol');
    }
  });
});

describe('requests the gateway writes, read by the simulator', () => {
  const creds = { clid: '900001', passwordMd5: md5Hex('pw') };

  /** The request as the simulator reads it, and whether its own checksum formulas accept it. */
  function readBySimulator(xml: string) {
    const request = readRequest(xml);
    const formula = formulaOf(request.category, request.action);
    const accepted = formula ? acceptedRequestChecksums(formula, creds, request.cltrid, request.params) : [];
    return { request, accepted: accepted.includes(request.chksum) };
  }

  it('writes repeated params in order and escaped values, one line, with a checksum the simulator accepts', () => {
    const xml = buildRequest(
      {
        category: 'domain',
        action: 'UpdateDomainDns',
        params: { domaintype: '0', domain: 'a&b.com', nameserver: ['ns1.x.com', 'ns2.x.com'] },
      },
      creds,
      'C1',
    );
    expect(xml).not.toContain('\n');
    const { request, accepted } = readBySimulator(xml);
    expect(request).toMatchObject({ category: 'domain', action: 'UpdateDomainDns', cltrid: 'C1' });
    expect(request.params).toEqual([
      { name: 'domaintype', value: '0' },
      { name: 'domain', value: 'a&b.com' },
      { name: 'nameserver', value: 'ns1.x.com' },
      { name: 'nameserver', value: 'ns2.x.com' },
    ]);
    expect(request.chksum).toBe(md5Hex(`900001${creds.passwordMd5}C1updatedomaindns0a&b.com`));
    expect(accepted).toBe(true);
  });

  // Every field of every formula sent, values needing escapes, `dns` twice (CreateDomain).
  it.each(Object.keys(CHECKSUM_FORMULAS))(
    'the simulator accepts the checksum of %s as the gateway signs it',
    (key) => {
      const [category, action] = key.split('/') as [string, string];
      const params: Record<string, string | string[]> = {};
      for (const spec of CHECKSUM_FORMULAS[key]!.fields) {
        const name = spec.replace(/[[?].*$/, '');
        params[name] = name === 'dns' ? ['ns1.x.com', 'ns2.x.com'] : `${name}&<"'>1`;
      }
      const { request, accepted } = readBySimulator(buildRequest({ category, action, params }, creds, 'C4'));
      expect(request).toMatchObject({ category, action, cltrid: 'C4' });
      expect(accepted).toBe(true);
    },
  );

  it('omits <params> for account commands (GetAccountBalance example, §7.6.1.6)', () => {
    const xml = buildRequest({ category: 'account', action: 'GetAccountBalance' }, creds, 'C2');
    expect(xml).not.toContain('params');
    const { request, accepted } = readBySimulator(xml);
    expect(request).toMatchObject({
      category: 'account',
      action: 'GetAccountBalance',
      params: [],
      cltrid: 'C2',
    });
    expect(accepted).toBe(true);
  });
});

describe('replies the simulator writes, read by the gateway', () => {
  const creds = { clid: '900001', passwordMd5: md5Hex('pw') };

  /** A code-1000 reply rendered and signed by the simulator's own reading of §8.5. */
  function simulatorReply(
    cltrid: string,
    r: {
      category: string;
      action: string;
      msg: string;
      value: string;
      data: DataItem[];
      noData?: 'absent' | 'empty';
    },
  ): string {
    const svtrid = svtridOf(cltrid);
    const chksum = replyChecksum(creds, { cltrid, svtrid, code: 1000, msg: r.msg, value: r.value });
    return renderReply({ noData: 'absent', ...r, code: 1000, cltrid, svtrid, chksum });
  }

  it('verifies the checksum the simulator signed, and reads its data', () => {
    const r = parseResponse(
      simulatorReply('C3', {
        category: 'account',
        action: 'GetAccountBalance',
        msg: 'Command completeted successfully',
        value: 'L69:no value',
        data: [{ name: 'balance', value: '1966.43' }],
      }),
    );
    expect(r).toMatchObject({ code: 1000, cltrid: 'C3', svtrid: 'C3-API-SRV' });
    expect(verifyResponseChecksum(r, creds)).toBe(true);
    expect(verifyResponseChecksum(r, { ...creds, passwordMd5: md5Hex('other') })).toBe(false);
    expect(dataValue(r, 'balance')).toBe('1966.43');
  });

  it('reads any printable msg/value/data exactly and verifies its checksum (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom(...' aZ09&<>"\'=;:/.-_中文厦门\t'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        text,
        text,
        fc.array(fc.tuple(fc.constantFrom('dns', 'status', 'x'), text), { maxLength: 5 }),
        fc.constantFrom('absent' as const, 'empty' as const),
        (msg, value, data, noData) => {
          const r = parseResponse(
            simulatorReply('C9', {
              category: 'domain',
              action: 'InfoDomain',
              msg,
              value,
              data: data.map(([name, v]) => ({ name, value: v })),
              noData,
            }),
          );
          expect(r.msg).toBe(msg);
          expect(r.value).toBe(value);
          expect(r.data.map((d) => d.value)).toEqual(data.map(([, v]) => v.trim()));
          expect(verifyResponseChecksum(r, creds)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('cltrids', () => {
  it('generates unique cltrids in the manual’s shape, even within one second', () => {
    const next = createCltridGenerator('150132', { now: () => 1_672_800_862_000 });
    const ids = new Set(Array.from({ length: 5000 }, next));
    expect(ids.size).toBe(5000);
    for (const id of [...ids].slice(0, 3)) expect(id).toMatch(/^150132A1672800862B[0-9a-z]{4}\d{6}$/);
    const other = createCltridGenerator('150132', { now: () => 1_672_800_862_000 });
    expect(ids.has(other())).toBe(false);
  });
});

describe('domain names and type IDs (manual §6.5, §7.2.2.1)', () => {
  it.each([
    ['example.com', '0', 'example.com'],
    ['xn--fiq228c.com', '0', 'xn--fiq228c.com'],
    ['example.cn', '220', 'example.cn'],
    ['example.com.cn', '220', 'example.com.cn'],
    ['xn--fiq228c.cn', '220', '中文.cn'],
    ['xn--fiq228c.xn--fiqs8s', '200', '中文.中国'],
    ['example.biz', '800', 'example.biz'],
    ['example.info', '805', 'example.info'],
    ['example.mobi', '903', 'example.mobi'],
    ['example.asia', '905', 'example.asia'],
    ['john.smith.name', '804', 'john.smith.name'],
    ['example.cc', '660', 'example.cc'],
    ['xn--fiq228c.cc', '661', 'xn--fiq228c.cc'],
    ['example.club', '740', 'example.club'],
    ['example.top', '770', 'example.top'],
    ['xn--fiq228c.top', '771', 'xn--fiq228c.top'],
    ['example.wang', '750', 'example.wang'],
    ['example.xn--3ds443g', '720', 'example.xn--3ds443g'],
    ['xn--fiq228c.xn--fiq228c5hs', '731', 'xn--fiq228c.xn--fiq228c5hs'],
    ['example.xn--ses554g', '211', 'example.xn--ses554g'],
  ])('%s → domaintype %s, sent as %s', (name, type, wire) => {
    expect(toWireDomain(name)).toEqual({ domaintype: type, domain: wire });
    expect(fromWireDomain(wire)).toBe(name);
  });

  it.each(['example.org', 'example.xyz', 'xn--fiq228c.info'])('refuses %s as unsupported', (name) => {
    expect(() => toWireDomain(name)).toThrow(GatewayError);
  });
});
