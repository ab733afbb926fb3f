/**
 * The simulator's hosting services (User Manual §7 Module: Service) and SSL certificates (§8 Module:
 * SSL): the documented shapes, paging, and every refusal the strictness rules promise, each
 * charging nothing.
 */
import { describe, expect, it } from 'vitest';
import { DOCUMENT_CSR, useMrdomainSimulator } from './test-support';

const simulator = useMrdomainSimulator();
const { creds, post, control, state } = simulator;

const HOSTING = 'hosting-shop.com';
const LEGACY = 'legacy-site.net';
const CERT = '132442';
const LEGACY_CERT = '130839';

/** `date` plus whole years, 29 Feb falling back to 28 Feb (so a leap day cannot fail a test). */
function plusYears(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  const year = Number(y) + years;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return `${year}-${m}-${m === '02' && d === '29' && !leap ? '28' : d}`;
}

async function service(name: string) {
  // biome-ignore lint/suspicious/noExplicitAny: state is JSON
  return (await state()).services.find((s: any) => s.name === name);
}

async function certificate(id: string) {
  // biome-ignore lint/suspicious/noExplicitAny: state is JSON
  return (await state()).certificates.find((c: any) => String(c.certificateID) === id);
}

/** A refusal: the code, and neither a renewal recorded nor a cent taken. */
async function refusedWithNothingSpent(
  reply: Promise<{ json: { errorCode: number; messages?: string[]; success: boolean } }>,
  code: number,
) {
  const before = await state();
  const { json } = await reply;
  expect(json).toMatchObject({ success: false, errorCode: code });
  const after = await state();
  expect(after.serviceRenewals).toEqual(before.serviceRenewals);
  expect(after.account.balance).toBe(before.account.balance);
  return json.messages ?? [];
}

const sslRenew = (params: Record<string, string>) =>
  post('ssl/renew', {
    ...creds(),
    certificateID: CERT,
    csrData: DOCUMENT_CSR,
    adminContactID: 'SIM-12312',
    ...params,
  });

describe('MrDomain simulator: service/list and service/getinfo (User Manual §7.1, §7.2)', () => {
  it('lists the seeded services with the documented fields, page by page', async () => {
    const all = (await post('service/list', creds())).json;
    expect(all.responseData.queryInfo).toEqual({ page: 1, pageLength: 1000, results: 2, total: 2 });
    expect(all.responseData.services).toEqual([
      {
        name: HOSTING,
        type: 'Basic Hosting Service',
        productkey: 'basic',
        status: 'active',
        tsExpir: (await service(HOSTING)).tsExpir,
      },
      expect.objectContaining({ name: LEGACY, productkey: 'mini', status: 'active' }),
    ]);
    const second = (await post('service/list', { ...creds(), pageLength: '1', page: '2' })).json;
    expect(second.responseData.queryInfo).toEqual({ page: 2, pageLength: 1, results: 1, total: 2 });
    expect(second.responseData.services.map((s: { name: string }) => s.name)).toEqual([LEGACY]);
    const renewable = (await post('service/list', { ...creds(), renewable: '1' })).json;
    expect(renewable.responseData.services.map((s: { name: string }) => s.name)).toEqual([HOSTING]);
    const byTld = (await post('service/list', { ...creds(), tld: 'net' })).json;
    expect(byTld.responseData.services.map((s: { name: string }) => s.name)).toEqual([LEGACY]);
  });

  it('answers getinfo status with tsCreate, renewable and renewalMode; refuses what it must', async () => {
    const { json } = await post('service/getinfo', { ...creds(), serviceName: LEGACY });
    expect(json.responseData).toMatchObject({ name: LEGACY, status: 'active', renewable: false });
    expect(json.responseData.tsCreate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(json.responseData.renewalMode).toBe('autorenew');

    const missing = (await post('service/getinfo', creds())).json;
    expect(missing).toMatchObject({ errorCode: 101, messages: ['serviceName is required'] });
    expect((await post('service/getinfo', { ...creds(), serviceName: 'nope.com' })).json.errorCode).toBe(
      4001,
    );
    const resources = { ...creds(), serviceName: HOSTING, infoType: 'resources' };
    expect((await post('service/getinfo', resources)).json.errorCode).toBe(104);
    const bogus = { ...creds(), serviceName: HOSTING, infoType: 'bogus' };
    expect((await post('service/getinfo', bogus)).json.errorCode).toBe(105);
  });
});

describe('MrDomain simulator: service/renew (User Manual §7.4)', () => {
  it('renews by `period` years, bills price × years + VAT, answers "renewed" and reads active after', async () => {
    const before = await service(HOSTING);
    const { json } = await post('service/renew', { ...creds(), serviceName: HOSTING, period: '2' });
    // 9.95 a year, two years, 21 % VAT: 24.079 → 24.08.
    expect(json).toMatchObject({ success: true, messages: ['Operation done correctly.'] });
    expect(json.responseData.billing).toEqual({ total: 24.08, currency: 'EUR' });
    expect(json.responseData.services).toEqual([
      {
        name: HOSTING,
        type: 'Basic Hosting Service',
        productkey: 'basic',
        status: 'renewed',
        tsExpir: plusYears(before.tsExpir, 2),
      },
    ]);
    const info = (await post('service/getinfo', { ...creds(), serviceName: HOSTING })).json.responseData;
    expect(info).toMatchObject({ status: 'active', tsExpir: plusYears(before.tsExpir, 2) });
    const s = await state();
    expect(s.account.balance).toBe('475.92');
    expect(s.calls['service/renew']).toBe(1);
    expect(s.serviceRenewals).toEqual([
      expect.objectContaining({ kind: 'hosting', id: HOSTING, years: 2, total: '24.08' }),
    ]);
  });

  it('refuses without charging: not renewable 4009, unknown 4001, missing 101, bad period 105, no money 1100', async () => {
    const renew = (params: Record<string, string>) => post('service/renew', { ...creds(), ...params });
    expect(await refusedWithNothingSpent(renew({ serviceName: LEGACY }), 4009)).toEqual([
      `service ${LEGACY} cannot be renewed now (status active)`,
    ]);
    await refusedWithNothingSpent(renew({ serviceName: 'nope.com' }), 4001);
    expect(await refusedWithNothingSpent(renew({}), 101)).toEqual(['serviceName is required']);
    for (const period of ['0', '11', 'two']) {
      await refusedWithNothingSpent(renew({ serviceName: HOSTING, period }), 105);
    }
    await control('balance', { amount: '12.03' });
    await refusedWithNothingSpent(renew({ serviceName: HOSTING }), 1100);
    await control('balance', { amount: '12.04' });
    expect((await renew({ serviceName: HOSTING })).json.success).toBe(true);
  });

  it('acts on POST only: the same fields in a GET query are "Login required" and renew nothing', async () => {
    const q = new URLSearchParams({ ...creds(), serviceName: HOSTING });
    const before = await state();
    const res = await fetch(`${simulator.sim().env.MRDOMAIN_BASE_URL}/service/renew/?${q}`);
    expect(((await res.json()) as { errorCode: number }).errorCode).toBe(200);
    expect((await state()).serviceRenewals).toEqual(before.serviceRenewals);
  });

  it('seeds services through the admin path, as domains are', async () => {
    await control('services', { name: 'seeded-site.org', productkey: 'advanced', tsExpir: '2031-01-31' });
    const { json } = await post('service/getinfo', { ...creds(), serviceName: 'seeded-site.org' });
    expect(json.responseData).toMatchObject({ type: 'Advanced Hosting Service', tsExpir: '2031-01-31' });
  });
});

describe('MrDomain simulator: ssl/list and ssl/getinfo (User Manual §8.5, §8.6)', () => {
  it('lists the seeded certificates with the documented fields, page by page', async () => {
    const first = (await post('ssl/list', { ...creds(), pageLength: '1' })).json;
    expect(first.responseData.queryInfo).toEqual({ page: 1, pageLength: 1, results: 1, total: 2 });
    expect(first.responseData.ssl).toEqual([
      {
        certificateID: 130839,
        commonName: `*.${LEGACY}`,
        status: 'valid',
        renewable: false,
        productID: 1,
        tsCreate: (await certificate(LEGACY_CERT)).tsCreate,
        tsExpir: (await certificate(LEGACY_CERT)).tsExpir,
        alternativeNames: [`*.${LEGACY}`, LEGACY],
      },
    ]);
    const second = (await post('ssl/list', { ...creds(), pageLength: '1', page: '2' })).json;
    expect(second.responseData.ssl.map((c: { certificateID: number }) => c.certificateID)).toEqual([132442]);
    const renewable = (await post('ssl/list', { ...creds(), renewable: '1' })).json;
    expect(renewable.responseData.ssl.map((c: { certificateID: number }) => c.certificateID)).toEqual([
      132442,
    ]);
  });

  it('answers getinfo by certificateID; refuses unknown 5001, not a number 105, missing 101', async () => {
    const { json } = await post('ssl/getinfo', { ...creds(), certificateID: CERT });
    expect(json.responseData).toMatchObject({ certificateID: 132442, status: 'valid', renewable: true });
    expect((await post('ssl/getinfo', { ...creds(), certificateID: '999' })).json.errorCode).toBe(5001);
    expect((await post('ssl/getinfo', { ...creds(), certificateID: 'abc' })).json.errorCode).toBe(105);
    expect((await post('ssl/getinfo', creds())).json).toMatchObject({
      errorCode: 101,
      messages: ['certificateID is required'],
    });
  });
});

describe('MrDomain simulator: ssl/renew (User Manual §8.8)', () => {
  it('answers as §8.8.3 (process, empty dates), then reads "renew" with the old dates until issued', async () => {
    const before = await certificate(CERT);
    const { json } = await sslRenew({ validationMethod: 'http' });
    expect(json.success).toBe(true);
    // 4.95 a year, one year, 21 % VAT: 5.9895 → 5.99.
    expect(json.responseData).toEqual({
      billing: { total: 5.99, currency: 'EUR' },
      ssl: {
        certificateID: 132442,
        commonName: `www.${HOSTING}`,
        status: 'process',
        renewable: false,
        productID: 55,
        tsCreate: '',
        tsExpir: '',
        alternativeNames: [HOSTING, `www.${HOSTING}`],
      },
    });
    const pending = (await post('ssl/getinfo', { ...creds(), certificateID: CERT })).json.responseData;
    expect(pending).toMatchObject({ status: 'renew', renewable: false, tsExpir: before.tsExpir });
    expect((await state()).serviceRenewals).toEqual([
      expect.objectContaining({
        kind: 'certificate',
        id: CERT,
        years: 1,
        total: '5.99',
        validationMethod: 'http',
      }),
    ]);
    expect(await refusedWithNothingSpent(sslRenew({}), 5000)).toEqual([
      'a renewal of certificate 132442 is already in process',
    ]);

    expect((await control('issue-certificates', { certificateID: 132442 })).issued).toHaveLength(1);
    const issued = (await post('ssl/getinfo', { ...creds(), certificateID: CERT })).json.responseData;
    expect(issued).toMatchObject({ status: 'valid', renewable: true, tsExpir: plusYears(before.tsExpir, 1) });
  });

  it('needs csrData, an admin contact and a known certificate (101, 3001, 5001)', async () => {
    const noCsr = { ...creds(), certificateID: CERT, adminContactID: 'SIM-12312' };
    expect(await refusedWithNothingSpent(post('ssl/renew', noCsr), 101)).toEqual(['csrData is required']);
    expect(await refusedWithNothingSpent(sslRenew({ adminContactID: '' }), 101)).toEqual([
      'adminContactID (or the adminContact data fields) is required',
    ]);
    await refusedWithNothingSpent(sslRenew({ adminContactID: 'XXX-99999' }), 3001);
    await refusedWithNothingSpent(sslRenew({ certificateID: '999' }), 5001);
    await refusedWithNothingSpent(sslRenew({ validationMethod: 'carrier-pigeon' }), 105);
  });

  it('takes the full contact data instead of an id, naming the first missing field', async () => {
    const contact = {
      adminContactID: '',
      adminContactType: 'individual',
      adminContactFirstName: 'Ana',
      adminContactLastName: 'García',
      adminContactIdentNumber: '12345678Z',
      adminContactEmail: 'ana@example.com',
      adminContactPhone: '+34.600000000',
      adminContactAddress: 'Calle Mayor 1',
      adminContactPostalCode: '28001',
      adminContactCity: 'Madrid',
      adminContactState: 'Madrid',
      adminContactCountry: 'ES',
    };
    expect(await refusedWithNothingSpent(sslRenew({ ...contact, adminContactEmail: '' }), 101)).toEqual([
      'adminContactEmail is required',
    ]);
    await refusedWithNothingSpent(sslRenew({ ...contact, adminContactPhone: '600000000' }), 105);
    expect((await sslRenew(contact)).json.success).toBe(true);
  });

  it('refuses a CSR that is not a PEM certificate request with 5000 and a message', async () => {
    for (const csrData of [
      'not a csr',
      DOCUMENT_CSR.replaceAll('CERTIFICATE REQUEST', 'CERTIFICATE'),
      '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
    ]) {
      const messages = await refusedWithNothingSpent(sslRenew({ csrData }), 5000);
      expect(messages[0]).toMatch(/^csrData is not a PEM certificate request/);
    }
  });

  it('refuses a period outside the product, a certificate that is not renewable, and too little money', async () => {
    expect(await refusedWithNothingSpent(sslRenew({ period: '2' }), 105)).toEqual([
      'period must be from 1 to 1 years for DonDominio Domain SSL',
    ]);
    await refusedWithNothingSpent(sslRenew({ certificateID: LEGACY_CERT }), 5000);
    await control('balance', { amount: '5.98' });
    await refusedWithNothingSpent(sslRenew({}), 1100);
  });

  it('refuses wrong credentials before anything (201)', async () => {
    await refusedWithNothingSpent(sslRenew({ apipasswd: 'wrong-password' }), 201);
  });
});
