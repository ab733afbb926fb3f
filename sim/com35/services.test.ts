/**
 * The 35.com simulator's hosts and mail (35.com API user manual §7.3.2.5, §7.3.2.15, §7.4.2.5,
 * §7.4.2.16, §7.4.3, §7.7.1), over a real socket with the simulator's own peer: checksums,
 * required parameters, ranges, formats, flags, the ten-year ceiling, money and points.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { md5 } from './checksums';
import { SEED_POINTS, SIM_ACCOUNT, type SimState } from './logic';
import { RawCom35Client, type RawCommand, replyVerifies, signedRequest } from './raw-client';
import { addYearsToDay, toMdy } from './services';
import { type RunningCom35Simulator, startCom35Simulator } from './start';

let sim: RunningCom35Simulator;
const clients: RawCom35Client[] = [];

beforeAll(async () => {
  sim = await startCom35Simulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

async function loggedIn(): Promise<RawCom35Client> {
  const c = await RawCom35Client.connect(sim.tcpPort, SIM_ACCOUNT.clid, SIM_ACCOUNT.password);
  clients.push(c);
  await c.read();
  expect((await c.login()).code).toBe(1000);
  return c;
}

const control = (name: string, body: unknown) =>
  fetch(`${sim.controlUrl}/__sim/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());
const state = () => fetch(`${sim.controlUrl}/__sim/state`).then((r) => r.json()) as Promise<SimState>;

const service = async (name: string) => (await state()).services.find((s) => s.name === name)!;
const expiryOf = async (name: string) => toMdy((await service(name)).expiredate);

const hostInfo = (vhostname: string, flag = '1002'): RawCommand => ({
  category: 'vhost',
  action: 'GetInfo',
  params: { flag, vhostname, op: 'GetVhostInfo' },
});
const mailInfo = (domain: string, flag = '1001'): RawCommand => ({
  category: 'mail',
  action: 'GetInfo',
  params: { flag, domain, op: 'GetMailInfo' },
});
const renewHost = (vhostname: string, year: string, currentexpiredate: string, extra = {}): RawCommand => ({
  category: 'vhost',
  action: 'RenewVhost',
  params: { flag: '1002', vhostname, year, currentexpiredate, ...extra },
});
const renewMail = (
  domain: string,
  flag: string,
  currentexpiredate: string,
  extra: Record<string, string> = {},
): RawCommand => ({
  category: 'mail',
  action: 'RenewMail',
  params: { flag, domain, year: '1', currentexpiredate, ...extra },
});

describe('35.com simulator: GetInfo of a host and of a mail domain', () => {
  it('answers GetVhostInfo with the manual fields and m/d/Y dates, signed', async () => {
    const c = await loggedIn();
    const r = await c.send(hostInfo('simzq1'));
    expect(r.code).toBe(1000);
    expect(replyVerifies(r, c.creds)).toBe(true);
    expect(r.dataMap).toMatchObject({
      vhostname: ['simzq1'],
      flag: ['1002'],
      typeID: ['1011'],
      isrunning: ['1'],
    });
    expect(r.dataMap.expiredate?.[0]).toBe(await expiryOf('simzq1'));
    expect(r.dataMap.expiredate?.[0]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  });

  it('takes the checksum in a <checksum> tag as the GetInfo tables print it, or <chksum> as the examples do', async () => {
    const c = await loggedIn();
    const text = signedRequest(mailInfo('sim-mail.com'), c.creds, c.cltrid()).replace(
      /<chksum>(\w+)<\/chksum>/,
      '<checksum>$1</checksum>',
    );
    expect(text).toContain('<checksum>');
    await c.writeRaw(text);
    const r = await c.read();
    expect(r.code).toBe(1000);
    expect(r.dataMap).toMatchObject({ domain: ['sim-mail.com'], flag: ['1001'], typeID: ['10001'] });
    expect((await c.send(mailInfo('sim-mail.com'))).code).toBe(1000);
  });

  it('refuses a checksum made with another literal than the printed "GetInfo" (6000)', async () => {
    const c = await loggedIn();
    const text = signedRequest(hostInfo('simzq1'), c.creds, 'X1');
    // The same request, signed as if the literal were lower-case like the domain commands'.
    const wrong = md5(`${c.creds.clid}${c.creds.passwordMd5}X1getinfo1002simzq1`);
    await c.writeRaw(text.replace(/<chksum>\w+<\/chksum>/, `<chksum>${wrong}</chksum>`));
    expect((await c.read()).code).toBe(6000);
  });

  it('knows an object only under its own flag (2303), and wants op (2003) with its right value (2005)', async () => {
    const c = await loggedIn();
    expect((await c.send(hostInfo('simzq1', '1001'))).code).toBe(2303);
    expect((await c.send(hostInfo('simct1', '1001'))).code).toBe(1000);
    expect((await c.send(mailInfo('sim-exmail.com', '1001'))).code).toBe(2303);
    expect((await c.send(mailInfo('sim-exmail.com', '1002'))).code).toBe(1000);
    expect((await c.send(hostInfo('nosuchhost'))).code).toBe(2303);
    const noOp = await c.send({
      category: 'vhost',
      action: 'GetInfo',
      params: { flag: '1002', vhostname: 'simzq1' },
    });
    expect(noOp).toMatchObject({ code: 2003, value: 'op' });
    const wrongOp = await c.send({
      category: 'vhost',
      action: 'GetInfo',
      params: { flag: '1002', vhostname: 'simzq1', op: 'GetMailInfo' },
    });
    expect(wrongOp.code).toBe(2005);
    expect((await c.send(hostInfo('simzq1', '1003'))).code).toBe(2004);
    expect((await c.send(hostInfo('ab'))).code).toBe(2004);
  });
});

describe('35.com simulator: RenewVhost', () => {
  it('renews once: the expiry moves a year, the money is taken, and the reply spells `amount ` with its trailing space', async () => {
    const c = await loggedIn();
    const before = await service('simzq1');
    const r = await c.send(renewHost('simzq1', '1', toMdy(before.expiredate)));
    expect(r.code).toBe(1000);
    expect(replyVerifies(r, c.creds)).toBe(true);
    expect(c.lastText).toContain('<data name="amount ">138</data>');
    expect(r.dataMap.expiredate?.[0]).toBe(toMdy(addYearsToDay(before.expiredate, 1)));
    const after = await state();
    expect(after.balance).toBe('862.00');
    expect(after.serviceRenewals).toMatchObject([
      { category: 'vhost', name: 'simzq1', years: 1, charged: { amount: '138', currency: 'CNY' } },
    ]);
    expect(after.commands.RenewVhost).toBe(1);
  });

  it('wants every parameter (2003 naming it), year 1-10 (2004), whole years (2005) and an m/d/Y date (2005)', async () => {
    const c = await loggedIn();
    const current = await expiryOf('simzq1');
    const missing = await c.send({
      category: 'vhost',
      action: 'RenewVhost',
      params: { flag: '1002', vhostname: 'simzq1', year: '1' },
    });
    expect(missing).toMatchObject({ code: 2003, value: 'currentexpiredate' });
    expect((await c.send(renewHost('simzq1', '0', current))).code).toBe(2004);
    expect((await c.send(renewHost('simzq1', '11', current))).code).toBe(2004);
    expect((await c.send(renewHost('simzq1', 'one', current))).code).toBe(2005);
    for (const bad of ['2027-01-31', '13/01/2027', '02/30/2027', '1/5/2027'])
      expect((await c.send(renewHost('simzq1', '1', bad))).code, bad).toBe(2005);
    expect((await state()).serviceRenewals).toEqual([]);
  });

  it('refuses a currentexpiredate that is not the current expiry (2306) and changes nothing', async () => {
    const c = await loggedIn();
    const current = (await service('simzq1')).expiredate;
    const r = await c.send(renewHost('simzq1', '1', toMdy(addYearsToDay(current, -1))));
    expect(r.code).toBe(2306);
    expect(r.value).toContain(toMdy(current));
    expect((await service('simzq1')).expiredate).toBe(current);
  });

  it('keeps the ten-year ceiling: 2 years past it are refused (2004), 1 year within it is done', async () => {
    const c = await loggedIn();
    const current = await expiryOf('simcap1');
    const refused = await c.send(renewHost('simcap1', '2', current));
    expect(refused.code).toBe(2004);
    expect(refused.value).toContain('more than 10 years');
    expect((await c.send(renewHost('simcap1', '2', current, { GetPrice: '1' }))).code).toBe(2004);
    expect((await c.send(renewHost('simcap1', '1', current))).code).toBe(1000);
  });

  it('refuses a package sub-product (2305) and a host of another flag (2303)', async () => {
    const c = await loggedIn();
    expect((await c.send(renewHost('simpkg1', '1', await expiryOf('simpkg1')))).code).toBe(2305);
    const traditional = await c.send(renewHost('simct1', '1', await expiryOf('simct1')));
    expect(traditional.code).toBe(2303);
  });

  it('refuses when the money runs short (2104)', async () => {
    const c = await loggedIn();
    await control('balance', { amount: '100.00' });
    const r = await c.send(renewHost('simzq1', '1', await expiryOf('simzq1')));
    expect(r).toMatchObject({ code: 2104, value: '100.00' });
  });

  it('answers a GetPrice=1 query with the price parts and does nothing, counted apart from renewals', async () => {
    const c = await loggedIn();
    const before = await service('simzq1');
    const r = await c.send(renewHost('simzq1', '2', toMdy(before.expiredate), { GetPrice: '1' }));
    expect(r.code).toBe(1000);
    expect(r.dataMap).toMatchObject({ vhostPrice: ['276'], addPrice: ['0'], dbPrice: ['0'] });
    expect(c.lastText).toContain('<data name="amount ">276</data>');
    const after = await state();
    expect(after.balance).toBe('1000.00');
    expect(after.serviceRenewals).toEqual([]);
    expect((await service('simzq1')).expiredate).toBe(before.expiredate);
    expect(after.commands['RenewVhost:GetPrice']).toBe(1);
    expect(after.commands.RenewVhost).toBeUndefined();
    // A traditional host's price (§7.7.1.2.1): flag 1001.
    const traditional = await c.send(
      renewHost('simct1', '1', await expiryOf('simct1'), { flag: '1001', GetPrice: '1' }),
    );
    expect(traditional.dataMap.vhostPrice).toEqual(['180']);
  });

  it('loses the reply of a renewal after acting under a drop_after fault on RenewVhost, which no price query takes', async () => {
    const c = await loggedIn();
    await control('faults', { fault: { kind: 'drop_after' }, match: 'RenewVhost', times: 1 });
    const current = await expiryOf('simzq1');
    expect((await c.send(renewHost('simzq1', '1', current, { GetPrice: '1' }))).code).toBe(1000);
    await c.writeRaw(signedRequest(renewHost('simzq1', '1', current), c.creds, c.cltrid()));
    expect(await c.closed()).toBe(true);
    const after = await state();
    expect(after.serviceRenewals).toHaveLength(1);
    expect(after.commands.RenewVhost).toBe(1);
  });
});

describe('35.com simulator: RenewMail', () => {
  it('renews a normal mail domain with money (`amount`), or with points when selltype=E (`points`)', async () => {
    const c = await loggedIn();
    const money = await c.send(renewMail('sim-mail.com', '1001', await expiryOf('sim-mail.com')));
    expect(money.code).toBe(1000);
    expect(money.dataMap.amount).toEqual(['220']);
    const points = await c.send(
      renewMail('sim-mail.com', '1001', await expiryOf('sim-mail.com'), { selltype: 'E' }),
    );
    expect(points.code).toBe(1000);
    expect(points.dataMap.points).toEqual(['1100']);
    expect(points.dataMap.amount).toBeUndefined();
    const after = await state();
    expect(after.balance).toBe('780.00');
    expect(after.points).toBe(SEED_POINTS - 1100);
    expect(
      (await c.send(renewMail('sim-mail.com', '1001', await expiryOf('sim-mail.com'), { selltype: 'X' })))
        .code,
    ).toBe(2005);
  });

  it('renews an exclusive-sale mail domain (flag 1002) in points, refusing a shortfall (2104)', async () => {
    const c = await loggedIn();
    const r = await c.send(renewMail('sim-exmail.com', '1002', await expiryOf('sim-exmail.com')));
    expect(r.code).toBe(1000);
    expect(r.dataMap.points).toEqual(['1100']);
    await control('points', { points: 100 });
    const short = await c.send(renewMail('sim-exmail.com', '1002', await expiryOf('sim-exmail.com')));
    expect(short.code).toBe(2104);
    expect((await state()).balance).toBe('1000.00');
  });

  it("prices an exclusive mail's renewal as ` points` with its leading space and the points account's typeID", async () => {
    const c = await loggedIn();
    const r = await c.send(
      renewMail('sim-exmail.com', '1002', await expiryOf('sim-exmail.com'), { GetPrice: '1' }),
    );
    expect(r.code).toBe(1000);
    expect(c.lastText).toContain('<data name=" points">1100</data>');
    expect(r.dataMap.typeID).toEqual(['10003']);
    const normal = await c.send(
      renewMail('sim-mail.com', '1001', await expiryOf('sim-mail.com'), { GetPrice: '1' }),
    );
    expect(normal.dataMap.amount).toEqual(['220']);
    expect((await state()).serviceRenewals).toEqual([]);
  });

  it('is seeded through the control port like domains', async () => {
    await control('services', {
      category: 'mail',
      name: 'seeded.example',
      flag: '1001',
      typeID: '10002',
      expiredate: '2027-03-01',
    });
    const c = await loggedIn();
    const r = await c.send(mailInfo('seeded.example'));
    expect(r.dataMap.expiredate).toEqual(['03/01/2027']);
  });
});
