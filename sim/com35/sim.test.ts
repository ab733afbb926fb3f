import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { md5 } from './checksums';
import { SIM_ACCOUNT, type SimState } from './logic';
import { RawCom35Client, replyVerifies, signedRequest } from './raw-client';
import { type RunningCom35Simulator, startCom35Simulator } from './start';

let sim: RunningCom35Simulator;
const clients: RawCom35Client[] = [];

beforeAll(async () => {
  sim = await startCom35Simulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

async function client(password: string = SIM_ACCOUNT.password): Promise<RawCom35Client> {
  const c = await RawCom35Client.connect(sim.tcpPort, SIM_ACCOUNT.clid, password);
  clients.push(c);
  return c;
}

async function loggedIn(): Promise<RawCom35Client> {
  const c = await client();
  await c.read(); // greeting
  const login = await c.login();
  expect(login.code).toBe(1000);
  return c;
}

const control = (name: string, body: unknown) =>
  fetch(`${sim.controlUrl}/__sim/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());

const state = () => fetch(`${sim.controlUrl}/__sim/state`).then((r) => r.json()) as Promise<SimState>;

describe('35.com simulator: session rules', () => {
  it('sends the greeting first, exactly as the manual prints it (§7.1.2)', async () => {
    const c = await client();
    const g = await c.read();
    expect(g).toMatchObject({ category: 'client', action: 'Greeting', code: 1000 });
    expect(g.msg).toBe('Your Connection with API Server is Successful');
    expect(g.dataMap.svDate?.[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('answers 5500 "Did not Login" to a command before Login and keeps the connection', async () => {
    const c = await client();
    await c.read();
    const r = await c.send({ category: 'account', action: 'GetAccountBalance' });
    expect(r).toMatchObject({ code: 5500, msg: 'Did not Login' });
    expect((await c.login()).code).toBe(1000);
  });

  it('refuses a Login whose checksum does not match its account table with 2500 and closes', async () => {
    const c = await client('not-the-password');
    await c.read();
    const r = await c.login();
    expect(r).toMatchObject({ code: 2500, msg: 'Command failed;server ending session' });
    expect(await c.closed()).toBe(true);
    expect((await state()).loginFailures).toBe(1);
  });

  it('signs every reply with the session account (response checksum verifies)', async () => {
    const c = await loggedIn();
    const r = await c.send({ category: 'account', action: 'GetAccountBalance' });
    expect(r.code).toBe(1000);
    expect(r.msg).toBe('Command completeted successfully');
    expect(r.svtrid).toBe(`${r.cltrid}-API-SRV`);
    expect(replyVerifies(r, c.creds)).toBe(true);
    expect(r.dataMap.balance).toEqual(['1000.00']);
  });

  it('answers 6000 "Checksum error" to a request with a wrong checksum', async () => {
    const c = await loggedIn();
    const wrong = { clid: SIM_ACCOUNT.clid, passwordMd5: md5('other') };
    const r = await c.send(
      { category: 'domain', action: 'CheckDomain', params: { domaintype: '0', domain: 'a.com' } },
      wrong,
    );
    expect(r).toMatchObject({ code: 6000, msg: 'Checksum error', value: 'no value' });
    expect((await state()).checksumFailures).toBe(1);
  });

  it('answers 2003 naming a missing parameter and 2000 for an unknown command', async () => {
    const c = await loggedIn();
    const text = signedRequest(
      { category: 'domain', action: 'CheckDomain', params: { domaintype: '0', domain: 'a.com' } },
      c.creds,
      'X1',
    ).replace('<param name="domain">a.com</param>', '');
    await c.writeRaw(text);
    expect(await c.read()).toMatchObject({ code: 2003, value: 'domain' });
    await c.writeRaw(
      text
        .replace(/CheckDomain/, 'FlyToTheMoon')
        .replace('X1', 'X2')
        .replace('<params>', '<params><param name="domain">a.com</param>'),
    );
    expect(await c.read()).toMatchObject({ code: 2000, msg: 'Unknown command', value: 'FlyToTheMoon' });
  });

  it('enforces the per-session command limit with 2500 and a close', async () => {
    await control('config', { commandLimit: 3 });
    const c = await loggedIn();
    for (let i = 0; i < 3; i++)
      expect((await c.send({ category: 'account', action: 'GetAccountBalance' })).code).toBe(1000);
    const over = await c.send({ category: 'account', action: 'GetAccountBalance' });
    expect(over.code).toBe(2500);
    expect(await c.closed()).toBe(true);
    expect((await state()).commandLimitHits).toBe(1);
  });

  it('ends the session on Logout with 1500 and closes the connection', async () => {
    const c = await loggedIn();
    const r = await c.logout();
    expect(r).toMatchObject({ code: 1500, msg: 'Command completed successfully;ending session' });
    expect(await c.closed()).toBe(true);
  });

  it('never answers a second request written before the first reply (one command at a time)', async () => {
    const c = await loggedIn();
    await control('faults', { fault: { kind: 'delay', ms: 100 }, match: 'GetAccountBalance' });
    const one = signedRequest({ category: 'account', action: 'GetAccountBalance' }, c.creds, 'P1');
    const two = signedRequest({ category: 'account', action: 'GetCustomerInfo' }, c.creds, 'P2');
    await c.writeRaw(one + two);
    expect((await c.read()).cltrid).toBe('P1');
    await expect(c.read(300)).rejects.toThrow(/no reply/);
    expect(await state()).toMatchObject({ overlappingRequests: 1, maxInFlightPerSession: 2 });
  });
});

describe('35.com simulator: domains and money', () => {
  const renew = (c: RawCom35Client, domain: string, period = '1', domaintype = '0') =>
    c.send({ category: 'domain', action: 'RenewDomain', params: { domaintype, domain, period } });

  it('renews: debits the balance, moves the expiry, records the renewal', async () => {
    const c = await loggedIn();
    const before = await state();
    const ex = before.domains.find((d) => d.name === 'expiring-soon.com')!.exDate;
    const r = await renew(c, 'expiring-soon.com', '2');
    expect(r.code).toBe(1000);
    expect(r.value).toBe('L476:null');
    const expected = `${Number(ex.slice(0, 4)) + 2}${ex.slice(4)}`;
    expect(r.dataMap.exDate).toEqual([expected]);
    const after = await state();
    expect(after.balance).toBe('862.00');
    expect(after.renewals).toMatchObject([{ domain: 'expiring-soon.com', years: 2 }]);
  });

  it('refuses a repeat renewal within 5 minutes (2105), allows it after', async () => {
    const c = await loggedIn();
    expect((await renew(c, 'sim-example.com')).code).toBe(1000);
    expect(await renew(c, 'sim-example.com')).toMatchObject({
      code: 2105,
      msg: 'Object is not eligible for renewal',
    });
    await control('advance', { ms: 5 * 60_000 + 1 });
    expect((await renew(c, 'sim-example.com')).code).toBe(1000);
    expect((await state()).renewals).toHaveLength(2);
  });

  it('answers 2104 with the balance when money is short, 2303 for a domain of another member', async () => {
    await control('balance', { amount: '10.00' });
    const c = await loggedIn();
    expect(await renew(c, 'expiring-soon.com')).toMatchObject({
      code: 2104,
      msg: 'Billing fail',
      value: '10.00',
    });
    expect(await renew(c, 'other-member.com')).toMatchObject({ code: 2303, msg: 'Object does not exist' });
    expect((await state()).renewals).toHaveLength(0);
  });

  it('refuses a domaintype that does not match the TLD (2306) and a period over 10 years (2004)', async () => {
    const c = await loggedIn();
    expect((await renew(c, 'expiring-soon.cn', '1', '0')).code).toBe(2306);
    expect((await renew(c, 'expiring-soon.cn', '11', '220')).code).toBe(2004);
    expect((await renew(c, 'expiring-soon.cn', '1', '220')).code).toBe(1000);
  });

  it('keeps .中国 names in native script (punycode is another, unknown name)', async () => {
    const c = await loggedIn();
    const info = (domain: string) =>
      c.send({ category: 'domain', action: 'InfoDomain', params: { domaintype: '200', domain } });
    expect((await info('中文.中国')).code).toBe(1000);
    expect((await info('xn--fiq228c.xn--fiqs8s')).code).toBe(2303);
  });

  it('checks, locks, sets auto-renew and name servers with each command’s own msg spelling', async () => {
    const c = await loggedIn();
    const check = await c.send({
      category: 'domain',
      action: 'CheckDomain',
      params: { domaintype: '0', domain: 'google.com' },
    });
    expect(check).toMatchObject({
      code: 1000,
      msg: 'Command completed successfully',
      value: 'L130:no value',
    });
    expect(check.dataMap.avail).toEqual(['0']);
    const p = { domaintype: '0', domain: 'expiring-soon.com' };
    const lock = await c.send({
      category: 'domain',
      action: 'UpdateDomainStatus',
      params: { ...p, addstatus: 'clientTransferProhibited' },
    });
    expect(lock).toMatchObject({ code: 1000, msg: 'Command complateted successfully', data: [] });
    const auto = await c.send({
      category: 'domain',
      action: 'UpdateDomainExtra',
      params: { ...p, remextra: 'clientAutoRenew' },
    });
    expect(auto.msg).toBe('Command completeted successfully');
    const dns = await c.send({
      category: 'domain',
      action: 'UpdateDomainDns',
      params: { ...p, nameserver: ['ns1.new.net', 'ns2.new.net', 'ns3.new.net'] },
    });
    expect(dns.code).toBe(1000);
    const extra = await c.send({ category: 'domain', action: 'InfoDomainExtra', params: p });
    expect(extra.dataMap).toMatchObject({ extra: ['ok'], status: ['clientTransferProhibited'] });
    const info = await c.send({ category: 'domain', action: 'InfoDomain', params: p });
    expect(info.dataMap.dns).toEqual(['ns1.new.net', 'ns2.new.net', 'ns3.new.net']);
    const one = await c.send({
      category: 'domain',
      action: 'UpdateDomainDns',
      params: { ...p, nameserver: ['ns1.x.net'] },
    });
    expect(one).toMatchObject({ code: 2003, value: 'nameserver' });
  });

  it('applies faults: split writes still frame, a wrong checksum does not verify', async () => {
    const c = await loggedIn();
    await control('faults', [
      { fault: { kind: 'split', chunk: 3 }, match: 'GetAccountBalance' },
      { fault: { kind: 'bad_checksum' }, match: 'GetCustomerInfo' },
    ]);
    const split = await c.send({ category: 'account', action: 'GetAccountBalance' });
    expect(replyVerifies(split, c.creds)).toBe(true);
    const bad = await c.send({ category: 'account', action: 'GetCustomerInfo' });
    expect(replyVerifies(bad, c.creds)).toBe(false);
  });
});
