/**
 * Two independent readings of the 35.com API user manual ("API 用户使用手册" 2.7.4; § = its
 * sections), each checked against the manual's own examples: the simulator's (sim/com35/checksums.ts,
 * wire.ts, domain-names.ts) and the gateway's (src/providers/com35/codec.ts). Neither is compared
 * with the other: a mistake both made the same way would still fail here, because the expected
 * values are the checksums, documents and codes the manual prints.
 *
 * The examples are read from the manual's text by section number (PDF page-break fences and blank
 * lines removed). Checksums are only checkable where the manual's account is known: the Login
 * worked example (§7.1.3.1, its own password) and the test account of §7.1.1 (clid 150132,
 * password `Aa654123$`; the text escapes the `$`), which reproduces the examples listed below.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sim from '../../sim/com35/checksums';
import { domainTypeOf, wireName } from '../../sim/com35/domain-names';
import { ERROR_MSG, SIM_ACCOUNT } from '../../sim/com35/logic';
import { RawCom35Client, replyVerifies, signedRequest } from '../../sim/com35/raw-client';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { readReply, readRequest, renderGreeting, renderReply } from '../../sim/com35/wire';
import * as gateway from '../../src/providers/com35/codec';
import { md5Hex } from '../../src/providers/com35/md5';
import { sharedPath } from './shared-dir';

const manual = readFileSync(sharedPath('seeds', '000_30487e95ae379830.txt'), 'utf8').split('\n');

/** The text of a section (up to the next numbered heading), without fences and blank lines. */
function section(number: string): string {
  // Headings stand alone; the table of contents repeats them with a tab and a page number.
  const start = manual.findIndex((line) => line.startsWith(`${number}. `) && !line.includes('\t'));
  if (start < 0) throw new Error(`no section ${number} in the manual`);
  const next = manual.findIndex((line, i) => i > start && /^\d+(\.\d+)+\. /.test(line));
  return manual
    .slice(start + 1, next < 0 ? undefined : next)
    .filter((line) => !/^\s*```\s*$/.test(line) && line.trim() !== '')
    .join('\n');
}

/** The request and response documents a section prints, in order. */
function examples(number: string): { request?: string; response?: string } {
  const found: { request?: string; response?: string } = {};
  for (const m of section(number).matchAll(/<\?xml[^>]*\?>\s*<(request|response)>[\s\S]*?<\/\1>/g)) {
    found[m[1] as 'request' | 'response'] ??= m[0];
  }
  return found;
}

/** The params of a printed request, by the simplest possible reading (neither side's parser). */
function printedParams(doc: string): Array<{ name: string; value: string }> {
  return [...doc.matchAll(/<param name="([^"]+)">([^<]*)<\/param>/g)].map((m) => ({
    name: m[1]!,
    value: m[2]!,
  }));
}

function printed(doc: string, element: string): string {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(doc)![1]!;
}

const asMap = (params: Array<{ name: string; value: string }>) => {
  const map: Record<string, string[]> = {};
  for (const p of params) map[p.name] = [...(map[p.name] ?? []), p.value];
  return map;
};

/** The test account of §7.1.1. */
const TEST_ACCOUNT = { clid: '150132', passwordMd5: sim.md5('Aa654123$') };

/** Request examples whose printed checksum the test account reproduces. */
const SIGNED_REQUESTS = [
  ['CreateDomain', '7.2.2.4.6'],
  ['UpdateDomainDns', '7.2.2.9.6'],
  ['RequestModifyRegistrantEmail', '7.2.3.2.4'],
  ['VerifyModifyRegistrantEmail', '7.2.3.3.4'],
] as const;

/** Response examples whose printed checksum the test account reproduces. */
const SIGNED_RESPONSES = [...SIGNED_REQUESTS] as const;

describe('the Login worked example (§7.1.3.1): every step the manual prints', () => {
  const text = section('7.1.3.1');
  const [, clid, password, cltrid] = /会员号: (\d+) 密码: (\S+) cltrid: (\S+)/.exec(text)!;
  const passwordMd5 = /加密后的密码: ([0-9a-f]{32})/.exec(text)![1]!;
  const preimage = /字符串拼接: (\S+)/.exec(text)![1]!;
  const chksum = /checksum 的值: ([0-9a-f]{32})/.exec(text)![1]!;

  it('the manual is self-consistent', () => {
    expect(md5Hex(password!)).toBe(passwordMd5);
    expect(md5Hex(preimage)).toBe(chksum);
  });

  it('the simulator accepts it, and its peer signs it so', () => {
    const signer = { clid: clid!, passwordMd5: sim.md5(password!) };
    expect(signer.passwordMd5).toBe(passwordMd5);
    const formula = sim.formulaOf('client', 'Login')!;
    expect(sim.acceptedRequestChecksums(formula, signer, cltrid!, [{ name: 'clid', value: clid! }])).toEqual([
      chksum,
    ]);
    const request = readRequest(
      signedRequest({ category: 'client', action: 'Login', params: { clid: clid! } }, signer, cltrid!),
    );
    expect(request.chksum).toBe(chksum);
  });

  it('the gateway signs it so', () => {
    const creds = { clid: clid!, passwordMd5: md5Hex(password!) };
    const command = { category: 'client', action: 'Login', params: { clid: clid! } };
    expect(gateway.requestChecksum(command, creds, cltrid!)).toBe(chksum);
  });
});

describe.each(SIGNED_REQUESTS)('the %s request example (§%s)', (action, number) => {
  const doc = examples(number).request!;
  const category = printed(doc, 'category').trim();
  const cltrid = printed(doc, 'cltrid').trim();
  const chksum = printed(doc, 'chksum').trim();
  const params = printedParams(doc);

  it('the simulator reads the printed document and accepts its checksum', () => {
    const request = readRequest(doc);
    expect(request).toMatchObject({ category, action, cltrid, chksum, params });
    const formula = sim.formulaOf(category, action)!;
    expect(sim.acceptedRequestChecksums(formula, TEST_ACCOUNT, cltrid, request.params)).toContain(chksum);
  });

  it('the simulator refuses it once a value its checksum covers changes', () => {
    const formula = sim.formulaOf(category, action)!;
    const changed = params.map((p) => (p.name === 'domain' ? { ...p, value: `x${p.value}` } : p));
    expect(sim.acceptedRequestChecksums(formula, TEST_ACCOUNT, cltrid, changed)).not.toContain(chksum);
  });

  it('the simulator’s peer signs the printed params so', () => {
    const request = readRequest(
      signedRequest({ category, action, params: asMap(params) }, TEST_ACCOUNT, cltrid),
    );
    expect(request.chksum).toBe(chksum);
  });

  it('the gateway signs the printed params so, and not once a covered value changes', () => {
    const creds = { clid: TEST_ACCOUNT.clid, passwordMd5: md5Hex('Aa654123$') };
    const built = gateway.buildRequest({ category, action, params: asMap(params) }, creds, cltrid);
    expect(printed(built, 'chksum')).toBe(chksum);
    const changed = asMap(params.map((p) => (p.name === 'domain' ? { ...p, value: `x${p.value}` } : p)));
    expect(gateway.requestChecksum({ category, action, params: changed }, creds, cltrid)).not.toBe(chksum);
  });
});

describe('what a checksum does not cover, as the examples prove it (§7.2.2.4.6, §7.2.2.9.6)', () => {
  const cases = [
    ['CreateDomain', '7.2.2.4.6', 'mltype', '9'],
    ['UpdateDomainDns', '7.2.2.9.6', 'nameserver', 'ns9.elsewhere.net'],
  ] as const;

  it.each(cases)(
    '%s (§%s): changing %s keeps the printed checksum, in both readings',
    (action, number, name, value) => {
      const doc = examples(number).request!;
      const cltrid = printed(doc, 'cltrid').trim();
      const chksum = printed(doc, 'chksum').trim();
      const params = printedParams(doc).map((p) => (p.name === name ? { ...p, value } : p));
      expect(
        sim.acceptedRequestChecksums(sim.formulaOf('domain', action)!, TEST_ACCOUNT, cltrid, params),
      ).toContain(chksum);
      const creds = { clid: TEST_ACCOUNT.clid, passwordMd5: md5Hex('Aa654123$') };
      expect(
        gateway.requestChecksum({ category: 'domain', action, params: asMap(params) }, creds, cltrid),
      ).toBe(chksum);
    },
  );
});

describe.each(SIGNED_RESPONSES)('the %s response example (§%s)', (_action, number) => {
  const doc = examples(number).response!;

  it('the simulator’s peer reads it and its checksum verifies', () => {
    const reply = readReply(doc);
    expect(reply.chksum).toBe(printed(doc, 'chksum'));
    expect(replyVerifies(reply, TEST_ACCOUNT)).toBe(true);
    expect(replyVerifies({ ...reply, value: `${reply.value} ` }, TEST_ACCOUNT)).toBe(false);
  });

  it('the simulator signs the same fields with the printed checksum', () => {
    const reply = readReply(doc);
    const fields = { cltrid: reply.cltrid!, svtrid: sim.svtridOf(reply.cltrid!), code: reply.code };
    expect(fields.svtrid).toBe(reply.svtrid);
    expect(sim.replyChecksum(TEST_ACCOUNT, { ...fields, msg: reply.msg, value: reply.value })).toBe(
      reply.chksum,
    );
  });

  it('the gateway reads it and its checksum verifies', () => {
    const response = gateway.parseResponse(doc);
    const creds = { clid: TEST_ACCOUNT.clid, passwordMd5: md5Hex('Aa654123$') };
    expect(response.chksum).toBe(printed(doc, 'chksum'));
    expect(gateway.verifyResponseChecksum(response, creds)).toBe(true);
  });
});

describe('the RequestRegTransfer response example (§7.2.6.3.6): printed msg edited, checksum real', () => {
  const doc = examples('7.2.6.3.6').response!;
  const sent = 'Command complateted successfully';

  it('neither reading verifies the printed msg; both verify the spelling the checksum was made over', () => {
    const reply = readReply(doc);
    expect(reply.msg).toBe('Command completed successfully');
    expect(replyVerifies(reply, TEST_ACCOUNT)).toBe(false);
    expect(replyVerifies({ ...reply, msg: sent }, TEST_ACCOUNT)).toBe(true);
    const creds = { clid: TEST_ACCOUNT.clid, passwordMd5: md5Hex('Aa654123$') };
    const response = gateway.parseResponse(doc);
    expect(gateway.verifyResponseChecksum(response, creds)).toBe(false);
    expect(gateway.verifyResponseChecksum({ ...response, msg: sent }, creds)).toBe(true);
  });
});

describe('the simulator writes documents exactly as the manual prints them', () => {
  it('the greeting (§7.1.2), byte for byte, and both readings read it', () => {
    const doc = examples('7.1.2').response!;
    expect(renderGreeting('2019-02-16 06:22:21')).toBe(doc);
    expect(readReply(doc).dataMap.svDate).toEqual(['2019-02-16 06:22:21']);
    expect(gateway.parseResponse(doc).dataMap.svDate).toEqual(['2019-02-16 06:22:21']);
  });

  // Replies whose printed layout survived the PDF conversion (others lost their indentation).
  it.each([
    ['Login', '7.1.3.6'],
    ['CreateDomain', '7.2.2.4.6'],
    ['UpdateDomainStatus, no resData', '7.2.2.7.6'],
    ['UpdateDomainExtra', '7.2.2.8.6'],
    ['VerifyModifyRegistrantEmail', '7.2.3.3.4'],
    ['GetAccountBalance', '7.6.1.6'],
  ])('%s (§%s), byte for byte', (_name, number) => {
    const doc = examples(number).response!;
    const reply = readReply(doc);
    const rendered = renderReply({
      ...reply,
      cltrid: reply.cltrid!,
      svtrid: reply.svtrid!,
      chksum: reply.chksum!,
      noData: doc.includes('<resData>') ? 'empty' : 'absent',
    });
    expect(rendered).toBe(doc);
  });
});

describe('the running simulator answers each command with its example’s msg and value', () => {
  let running: RunningCom35Simulator;
  let client: RawCom35Client;
  beforeAll(async () => {
    running = await startCom35Simulator();
    client = await RawCom35Client.connect(running.tcpPort, SIM_ACCOUNT.clid, SIM_ACCOUNT.password);
    await client.read(); // the greeting
  });
  afterAll(async () => {
    client.destroy();
    await running.close();
  });

  const domain = (name: string, type = '0') => ({ domaintype: type, domain: name });
  // In this order on one session: Login first; names are the simulator's seeded ones.
  it.each([
    ['client', 'Login', '7.1.3.6', { clid: SIM_ACCOUNT.clid }],
    ['domain', 'CheckDomain', '7.2.2.2.6', domain('free-name.com')],
    ['domain', 'InfoDomain', '7.2.2.3.6', domain('sim-example.com')],
    ['domain', 'RenewDomain', '7.2.2.5.6', { ...domain('sim-example.com'), period: '1' }],
    [
      'domain',
      'UpdateDomainStatus',
      '7.2.2.7.6',
      { ...domain('sim-example.com'), remstatus: 'clientTransferProhibited' },
    ],
    [
      'domain',
      'UpdateDomainExtra',
      '7.2.2.8.6',
      { ...domain('sim-example.com'), addextra: 'clientAutoRenew' },
    ],
    [
      'domain',
      'UpdateDomainDns',
      '7.2.2.9.6',
      { ...domain('sim-example.com'), nameserver: ['ns1.a.net', 'ns2.a.net'] },
    ],
    ['domain', 'InfoDomainExtra', '7.2.2.11.6', domain('sim-example.com')],
    ['domain', 'QueryCustTransfer', '7.2.5.2.6', { ...domain('member-move.info', '805'), op: 'In' }],
    ['domain', 'QueryRegTransfer', '7.2.6.2.6', domain('incoming-transfer.com')],
    ['account', 'GetAccountBalance', '7.6.1.6', {}],
    ['account', 'GetCustomerInfo', '7.6.2.6', {}],
  ])('%s/%s as in §%s', async (category, action, number, params) => {
    const example = readReply(examples(number).response!);
    const reply = await client.send({ category, action, params });
    expect(reply).toMatchObject({ action, code: example.code, msg: example.msg, value: example.value });
    expect(replyVerifies(reply, client.creds)).toBe(true);
  });
});

describe('result codes (§8.4 错误代码)', () => {
  it('every code the simulator answers carries the msg §8.4 prints for it', () => {
    const table = new Map(
      [...section('8.4').matchAll(/^(\d{4}) "([^"]+)"$/gm)].map((m) => [Number(m[1]), m[2]!] as const),
    );
    expect(table.size).toBeGreaterThan(20);
    for (const [code, msg] of Object.entries(ERROR_MSG))
      expect([code, msg]).toEqual([code, table.get(Number(code))]);
  });
});

describe('domain types (§7.2.2.1) and scripts (§6.5 item 2): both readings, the manual’s table', () => {
  // name as a user writes it → the type ID the table gives, and how 35.com wants the name sent.
  it.each([
    ['example.com', '0', 'example.com'],
    ['中文.com', '0', 'xn--fiq228c.com'],
    ['example.net', '0', 'example.net'],
    ['中文.中国', '200', '中文.中国'],
    ['example.cn', '220', 'example.cn'],
    ['中文.cn', '220', '中文.cn'],
    ['example.biz', '800', 'example.biz'],
    ['example.info', '805', 'example.info'],
    ['example.mobi', '903', 'example.mobi'],
    ['example.asia', '905', 'example.asia'],
    ['example.name', '804', 'example.name'],
    ['example.cc', '660', 'example.cc'],
    ['中文.cc', '661', 'xn--fiq228c.cc'],
    ['example.club', '740', 'example.club'],
    ['example.在线', '720', 'example.xn--3ds443g'],
    ['中文.在线', '721', 'xn--fiq228c.xn--3ds443g'],
    ['example.中文网', '730', 'example.xn--fiq228c5hs'],
    ['中文.中文网', '731', 'xn--fiq228c.xn--fiq228c5hs'],
    ['example.wang', '750', 'example.wang'],
    ['中文.wang', '751', 'xn--fiq228c.wang'],
    ['example.top', '770', 'example.top'],
    ['中文.top', '771', 'xn--fiq228c.top'],
    ['example.网址', '211', 'example.xn--ses554g'],
    ['中文.网址', '212', 'xn--fiq228c.xn--ses554g'],
  ])('%s → type %s, sent as %s', (name, type, wire) => {
    expect([wireName(name), domainTypeOf(wireName(name))]).toEqual([wire, type]);
    const ascii = new URL(`http://${name}/`).hostname;
    expect(gateway.toWireDomain(ascii)).toEqual({ domain: wire, domaintype: type });
  });

  it.each(['example.org', '中文.info', 'example.网络'])(
    '%s has no type in the table, in both readings',
    (name) => {
      expect(domainTypeOf(wireName(name))).toBeUndefined();
      expect(() => gateway.toWireDomain(new URL(`http://${name}/`).hostname)).toThrow();
    },
  );
});
