import { describe, expect, it } from 'vitest';
import { acceptedRequestChecksums, formulaOf, md5, termsText } from './checksums';
import { EndTagSplitter, TooLong } from './stream';
import { NotADocument, readReply, readRequest, renderReply, renderRequest } from './wire';

const signer = { clid: '9', passwordMd5: 'h' };

describe('EndTagSplitter: messages end at the root end tag (the manual has no other framing)', () => {
  const req = (n: number) => `<?xml version="1.0"?><request><cltrid>${n}</cltrid></request>`;

  it('cuts one chunk holding two messages, and skips whitespace and BOMs between them', () => {
    const s = new EndTagSplitter('</request>', 1024);
    const out = s.push(Buffer.from(`\r\n\uFEFF${req(1)}\n \uFEFF${req(2)}\n`));
    expect(out.map(String)).toEqual([req(1), req(2)]);
  });

  it('joins a message written one byte at a time, end tag straddling every boundary', () => {
    const s = new EndTagSplitter('</request>', 1024);
    const bytes = Buffer.from(req(3) + req(4));
    const out: string[] = [];
    for (const b of bytes) out.push(...s.push(Uint8Array.of(b)).map(String));
    expect(out).toEqual([req(3), req(4)]);
  });

  it('refuses a message longer than its limit, with or without an end tag', () => {
    expect(() => new EndTagSplitter('</request>', 20).push(Buffer.from('<request>'.padEnd(30, 'x')))).toThrow(
      TooLong,
    );
    expect(() => new EndTagSplitter('</request>', 20).push(Buffer.from(req(5)))).toThrow(TooLong);
  });
});

describe('readRequest', () => {
  it('trims padded text and names, keeps repeated params in order, takes <checksum> for <chksum>', () => {
    const r = readRequest(
      '<?xml version="1.0"?>\n<request>\n  <category> domain </category>\n  <action> UpdateDomainDns </action>\n' +
        '  <params>\n    <param name=" domain">a&amp;b.com </param>\n    <param name="nameserver">ns1</param>\n' +
        '    <param name="nameserver">ns2</param>\n  </params>\n  <cltrid> C1</cltrid>\n' +
        '  <checksum> ABCDEF</checksum>\n</request>',
    );
    expect(r).toEqual({
      category: 'domain',
      action: 'UpdateDomainDns',
      params: [
        { name: 'domain', value: 'a&b.com' },
        { name: 'nameserver', value: 'ns1' },
        { name: 'nameserver', value: 'ns2' },
      ],
      cltrid: 'C1',
      chksum: 'abcdef',
    });
  });

  it.each([
    ['an empty message', '  '],
    ['unclosed XML', '<request><category>domain</request>'],
    ['a reply instead of a request', '<response><code>1000</code></response>'],
  ])('refuses %s as NotADocument', (_name, text) => {
    expect(() => readRequest(text)).toThrow(NotADocument);
  });
});

describe('replies: what the simulator writes, its peer reads back exactly', () => {
  it('keeps msg and value as written, data in order, and omits or empties resData as asked', () => {
    const fields = {
      category: 'domain',
      action: 'InfoDomain',
      code: 1000,
      msg: ' Command <complateted> & "done" ',
      value: 'L125:no value',
      data: [
        { name: 'dns', value: 'ns1.x.com' },
        { name: 'dns', value: 'ns2.x.com' },
        { name: 'r_city', value: '厦门市' },
      ],
      noData: 'empty' as const,
      cltrid: 'C2',
      svtrid: 'C2-API-SRV',
      chksum: 'f'.repeat(32),
    };
    const r = readReply(renderReply(fields));
    expect(r).toMatchObject({ code: 1000, msg: fields.msg, value: fields.value, data: fields.data });
    expect(r.dataMap.dns).toEqual(['ns1.x.com', 'ns2.x.com']);
    expect(renderReply({ ...fields, data: [], noData: 'absent' })).not.toContain('resData');
    expect(renderReply({ ...fields, data: [], noData: 'empty' })).toContain('<resData>\n  </resData>');
  });

  it('refuses a reply whose code is not four digits', () => {
    expect(() => readReply('<response><code>OK</code><msg>m</msg></response>')).toThrow(NotADocument);
  });
});

describe('checksum formulas as the manual prints them', () => {
  it('reads dns1/dns2 as the first and second dns param (CreateDomain, §7.2.2.4.1)', () => {
    const params = [
      { name: 'domaintype', value: '0' },
      { name: 'mltype', value: '0' },
      { name: 'domain', value: 'a.com' },
      { name: 'period', value: '1' },
      { name: 'dns', value: 'n1' },
      { name: 'dns', value: 'n2' },
      { name: 'template_id', value: 'T' },
      { name: 'password', value: 'P' },
    ];
    expect(termsText(formulaOf('domain', 'CreateDomain')!, params)).toEqual({ text: '0a.com1n1n2TP' });
    expect(termsText(formulaOf('domain', 'CreateDomain')!, params.slice(0, 5))).toEqual({ missing: 'dns' });
  });

  it('counts "(如果有)" / "(如果存在)" terms only when sent (CreateHost §7.2.4.4.1, UpdateHost §7.2.4.5.1)', () => {
    const base = [
      { name: 'domaintype', value: '800' },
      { name: 'hostname', value: 'h' },
    ];
    const host = formulaOf('domain', 'UpdateHost')!;
    expect(termsText(host, base)).toEqual({ text: '800h' });
    expect(termsText(host, [...base, { name: 'remaddr', value: '9.9.9.9' }])).toEqual({
      text: '800h9.9.9.9',
    });
    expect(
      termsText(formulaOf('domain', 'CreateHost')!, [...base, { name: 'addr', value: '1.2.3.4' }]),
    ).toEqual({
      text: '800h1.2.3.4',
    });
  });

  it('accepts a printed trailing space in the literal with and without it (§7.2.5.2.1)', () => {
    const params = [
      { name: 'domaintype', value: '0' },
      { name: 'domain', value: 'a.com' },
      { name: 'op', value: 'In' },
    ];
    expect(acceptedRequestChecksums(formulaOf('domain', 'QueryCustTransfer')!, signer, 'T', params)).toEqual([
      md5('9hTquerycusttransfer 0a.comIn'),
      md5('9hTquerycusttransfer0a.comIn'),
    ]);
  });

  it('uses the printed literal, not the action name (DeleteDomain "deldomain", §7.2.2.6.1)', () => {
    const params = [
      { name: 'domaintype', value: '0' },
      { name: 'domain', value: 'a.com' },
    ];
    expect(acceptedRequestChecksums(formulaOf('domain', 'DeleteDomain')!, signer, 'T', params)).toEqual([
      md5('9hTdeldomain0a.com'),
    ]);
    expect(formulaOf('vhost', 'CheckVhost')).toBeUndefined();
  });

  it('writes requests the simulator reads back: one line, no <params> for account commands (§7.6.1.6)', () => {
    const text = renderRequest({
      category: 'account',
      action: 'GetAccountBalance',
      params: [],
      cltrid: 'C',
      chksum: 'x',
    });
    expect(text).not.toMatch(/\n|params/);
    expect(readRequest(text)).toMatchObject({ action: 'GetAccountBalance', params: [], cltrid: 'C' });
  });
});
