import { describe, expect, it } from 'vitest';
import { type Reply, useMrdomainSimulator } from './test-support';

const simulator = useMrdomainSimulator();
const { creds, post, control, state } = simulator;

describe('MrDomain simulator: transport and envelope', () => {
  it('answers tool/hello like the User Manual (PHP-escaped slashes, version 1.0.20)', async () => {
    const { status, text, json } = await post('tool/hello', creds());
    expect(status).toBe(200);
    expect(text).toContain('"action":"tool\\/hello"');
    expect(json).toMatchObject({
      success: true,
      errorCode: 0,
      errorCodeMsg: '',
      action: 'tool/hello',
      version: '1.0.20',
    });
    expect(json.responseData).toMatchObject({ lang: 'en', version: '1.0.20', ip: '127.0.0.1' });
  });

  it('accepts multipart/form-data bodies as well as urlencoded', async () => {
    const { json } = await post('account/info', creds(), 'multipart');
    expect(json.success).toBe(true);
    expect(json.responseData).toMatchObject({ balance: 500, currency: 'EUR' });
  });

  it('accepts the Java sample multipart shape: fields as binary parts (User Manual §10.2.3 Java)', async () => {
    const boundary = '----sim-java-boundary';
    const part = (name: string, value: string, binary: boolean) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${
        binary ? 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n' : ''
      }\r\n${value}\r\n`;
    const body = `${part('apiuser', creds().apiuser, false)}${part('apipasswd', creds().apipasswd, false)}${part('domain', 'españa-tienda.com', true)}--${boundary}--\r\n`;
    const res = await fetch(`${simulator.sim().env.MRDOMAIN_BASE_URL}/domain/check/`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const text = await res.text();
    // PHP json_encode escapes non-ASCII (User Manual §3.2 IDN Converter).
    expect(text).toContain('"name":"espa\\u00f1a-tienda.com"');
    const json = JSON.parse(text) as Reply;
    expect(json.responseData.domains[0]).toMatchObject({
      name: 'españa-tienda.com',
      punycode: 'xn--espaa-tienda-dhb.com',
      available: true,
    });
  });

  it('answers a multipart body it cannot parse with 100 "Syntax error"', async () => {
    const res = await fetch(`${simulator.sim().env.MRDOMAIN_BASE_URL}/tool/hello/`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=nope' },
      body: 'this is not multipart at all',
    });
    expect(((await res.json()) as Reply).errorCode).toBe(100);
  });

  it('ignores GET parameters: credentials in the query string are "Login required"', async () => {
    const q = new URLSearchParams(creds());
    const res = await fetch(`${simulator.sim().env.MRDOMAIN_BASE_URL}/tool/hello/?${q}`);
    const json = (await res.json()) as Reply;
    expect(json).toMatchObject({
      success: false,
      errorCode: 200,
      errorCodeMsg: 'Login required',
      responseData: [],
    });
  });

  it('answers an unknown action with 102 before looking at credentials (User Manual §2.1)', async () => {
    const { json } = await post('tool/requestinvalid', {});
    expect(json).toEqual({
      success: false,
      errorCode: 102,
      errorCodeMsg: 'Object action invalid',
      action: 'tool/requestinvalid',
      version: '1.0.20',
      messages: ['invalid object/action'],
      responseData: [],
    });
  });

  it('refuses missing and wrong credentials with 200 and 201', async () => {
    expect((await post('tool/hello', { apiuser: creds().apiuser })).json.errorCode).toBe(200);
    expect((await post('tool/hello', { ...creds(), apipasswd: 'wrong-password' })).json.errorCode).toBe(201);
  });

  it('answers a documented action it does not simulate with 104, not a fake success', async () => {
    const { json } = await post('ssl/productlist', creds());
    expect(json).toMatchObject({ success: false, errorCode: 104, responseData: [] });
  });

  it('answers account states with the table codes (banned 1030, filtered 1007)', async () => {
    await control('account', { state: 'banned' });
    expect((await post('tool/hello', creds())).json.errorCode).toBe(1030);
    await control('account', { state: 'filtered' });
    expect((await post('tool/hello', creds())).json.errorCode).toBe(1007);
  });

  it('honours output-format=xml (User Manual §2.3)', async () => {
    const res = await fetch(`${simulator.sim().env.MRDOMAIN_BASE_URL}/tool/hello/`, {
      method: 'POST',
      body: new URLSearchParams({ ...creds(), 'output-format': 'xml' }),
    });
    const text = await res.text();
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<data><success>1<\/success><errorCode>0<\/errorCode>/,
    );
    expect(text).toContain('<action>tool/hello</action>');
  });
});

describe('MrDomain simulator: mass-check detector (User Manual §1.2 API Intended use; §5.1 Check)', () => {
  it('blocks the API user after a burst of domain/check and refuses every call while blocked', async () => {
    await control('detector', { maxChecks: 5, windowMs: 10_000, blockMs: 60_000 });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await post('domain/check', { ...creds(), domain: `burst-${i}.com` })).json.errorCode);
    expect(codes).toEqual([0, 0, 0, 0, 0, 1010, 1010]);
    expect((await post('tool/hello', creds())).json).toMatchObject({
      errorCode: 1010,
      errorCodeMsg: 'Account blocked',
    });
    const s = await state();
    expect(s.block.blocked).toBe(true);
    expect(s.block.blocks).toHaveLength(1);
    await control('unblock');
    expect((await post('tool/hello', creds())).json.errorCode).toBe(0);
  });

  it('lets spaced checks through', async () => {
    await control('detector', { maxChecks: 2, windowMs: 100, blockMs: 60_000 });
    for (let i = 0; i < 6; i++) {
      expect((await post('domain/check', { ...creds(), domain: `spaced-${i}.com` })).json.errorCode).toBe(0);
      await new Promise((r) => setTimeout(r, 60));
    }
  });
});

describe('MrDomain simulator: simultaneous access (User Manual §1.3 Limits)', () => {
  it('counts concurrency and refuses calls beyond the configured limit with 1011', async () => {
    await control('config', { processingMs: 80, maxConcurrent: 2 });
    const replies = await Promise.all(Array.from({ length: 4 }, () => post('tool/hello', creds())));
    const codes = replies.map((r) => r.json.errorCode).sort();
    expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(2);
    expect(codes).toContain(1011);
    expect((await state()).maxConcurrency).toBeGreaterThanOrEqual(3);
  });
});

describe('MrDomain simulator: domains, renewals and balance', () => {
  it('checks one name: taken, free, premium, unsupported TLD, invalid name', async () => {
    const check = async (domain: string) => (await post('domain/check', { ...creds(), domain })).json;
    expect((await check('alpha-shop.com')).responseData.domains[0]).toMatchObject({
      available: false,
      premium: false,
    });
    expect((await check('fresh-name.com')).responseData.domains[0]).toEqual({
      name: 'fresh-name.com',
      punycode: 'fresh-name.com',
      tld: 'com',
      available: true,
      premium: false,
      price: 9.95,
      currency: 'EUR',
    });
    expect((await check('premium.com')).responseData.domains[0]).toMatchObject({
      premium: true,
      price: 1250,
    });
    expect((await check('name.unknowntld')).errorCode).toBe(2002);
    expect((await check('bad_name!.com')).errorCode).toBe(2001);
  });

  it('renews with the right curExpDate, debits the balance by billing.total and moves the expiry', async () => {
    const before = await state();
    const alpha = before.domains.find((d: { name: string }) => d.name === 'alpha-shop.com');
    const { json } = await post('domain/renew', {
      ...creds(),
      domain: 'alpha-shop.com',
      curExpDate: alpha.tsExpir.replace(/-/g, ''),
      period: '2',
    });
    expect(json.success).toBe(true);
    // 10.95 × 2 + 21 % VAT = 26.499 → 26.50
    expect(json.responseData.billing).toEqual({ total: 26.5, currency: 'EUR' });
    const [y, m, d] = alpha.tsExpir.split('-');
    expect(json.responseData.domains[0]).toMatchObject({
      name: 'alpha-shop.com',
      status: 'renewed',
      renewPeriod: '2',
      tsExpir: `${Number(y) + 2}-${m}-${d}`,
    });
    const after = await state();
    expect(after.account.balance).toBe('473.50');
    expect(after.renewals).toHaveLength(1);
    expect(after.renewals[0]).toMatchObject({ domain: 'alpha-shop.com', years: 2 });
  });

  it('refuses a stale curExpDate with 2100 and charges nothing', async () => {
    const { json } = await post('domain/renew', {
      ...creds(),
      domain: 'alpha-shop.com',
      curExpDate: '2001-01-01',
    });
    expect(json).toMatchObject({ success: false, errorCode: 2100, responseData: [] });
    const s = await state();
    expect(s.renewals).toHaveLength(0);
    expect(s.account.balance).toBe('500.00');
  });

  it('refuses a renewal the balance cannot pay with 1100', async () => {
    await control('balance', { amount: '5.00' });
    const s = await state();
    const beta = s.domains.find((d: { name: string }) => d.name === 'beta-shop.net');
    const { json } = await post('domain/renew', {
      ...creds(),
      domain: 'beta-shop.net',
      curExpDate: beta.tsExpir,
    });
    expect(json.errorCode).toBe(1100);
    expect((await state()).renewals).toHaveLength(0);
  });

  it('refuses renew without curExpDate (101) and with a malformed one (105)', async () => {
    expect((await post('domain/renew', { ...creds(), domain: 'alpha-shop.com' })).json.errorCode).toBe(101);
    expect(
      (await post('domain/renew', { ...creds(), domain: 'alpha-shop.com', curExpDate: '2026-02-30' })).json
        .errorCode,
    ).toBe(105);
  });

  it('pages domain/list with queryInfo', async () => {
    const { json } = await post('domain/list', { ...creds(), page: '2', pageLength: '2' });
    expect(json.responseData.queryInfo).toEqual({ page: 2, pageLength: 2, results: 2, total: 5 });
    expect(json.responseData.domains.map((d: { name: string }) => d.name)).toEqual([
      'gamma-shop.es',
      'incoming-shop.com',
    ]);
  });

  it('refuses updates of a domain with modifications blocked (2202) and unknown domains (2008)', async () => {
    expect(
      (
        await post('domain/updatenameservers', {
          ...creds(),
          domain: 'locked-shop.com',
          nameservers: 'a.ns.com,b.ns.com',
        })
      ).json.errorCode,
    ).toBe(2202);
    expect((await post('domain/getinfo', { ...creds(), domain: 'nope-not-mine.com' })).json.errorCode).toBe(
      2008,
    );
  });

  it('reads booleans by PHP truthiness: "" and "0" are false, anything else (even "false") is true', async () => {
    const lock = async (raw: string) => {
      const upd = await post('domain/update', {
        ...creds(),
        domain: 'alpha-shop.com',
        updateType: 'transferBlock',
        transferBlock: raw,
      });
      expect(upd.json.success).toBe(true);
      return (await post('domain/getinfo', { ...creds(), domain: 'alpha-shop.com' })).json.responseData
        .transferBlock as boolean;
    };
    expect(await lock('')).toBe(false);
    expect(await lock('1')).toBe(true);
    expect(await lock('0')).toBe(false);
    // The old client's unlock: reported as done, and the domain is still locked.
    expect(await lock('false')).toBe(true);
  });

  it('validates nameserver counts (2 to 7) and sets transferBlock through domain/update', async () => {
    expect(
      (
        await post('domain/updatenameservers', {
          ...creds(),
          domain: 'beta-shop.net',
          nameservers: 'only.one.com',
        })
      ).json.errorCode,
    ).toBe(105);
    const upd = await post('domain/update', {
      ...creds(),
      domain: 'beta-shop.net',
      updateType: 'transferBlock',
      transferBlock: '1',
    });
    expect(upd.json).toMatchObject({ success: true, messages: ['Operation done correctly.'] });
    const info = await post('domain/getinfo', { ...creds(), domain: 'beta-shop.net' });
    expect(info.json.responseData.transferBlock).toBe(true);
    // .es has no transfer lock in this simulator: the field is absent and the update is refused.
    expect(
      (
        await post('domain/update', {
          ...creds(),
          domain: 'gamma-shop.es',
          updateType: 'transferBlock',
          transferBlock: 'true',
        })
      ).json.errorCode,
    ).toBe(2201);
  });
});
