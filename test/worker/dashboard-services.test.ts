/**
 * Services beside domains in the dashboard, through the real /app routes: the portfolio's
 * services section (kind, id, account, registrar, expiry or "being issued", status, the quoted
 * price with points as points) and its kind filter, the portfolio CSV's kind column, the service
 * Renew form's refusals (no years, a certificate, an unknown service, a viewer), and the renewals
 * list, detail and CSV showing a service renewal's kind and item, the timeline and money pages
 * counting services (points apart). The listing tests seed the service inventory through its store
 * (core/services.ts): D1 state, as a sync would leave it. The last test renews the 35.com
 * simulator's seeded 智强 host from the dashboard over real sockets, counted once at the simulator.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceInfo } from '../../src/core/model';
import { upsertService } from '../../src/core/services';
import { ADMIN_KEY, api, clearApiTables, keyWith, seedInventory } from './api-support';
import { type Browser, browser, csrfOf, domainsOf, signIn } from './dashboard-support';
import { sim } from './helpers';
import { clearRenewalTables, daysFromNow, waitForState } from './renewals-support';

interface Seed {
  account: string;
  provider: string;
  info: ServiceInfo;
  price?: { amount: string; currency: string };
}

const service = (
  kind: ServiceInfo['kind'],
  id: string,
  expiresAt: string | undefined,
  extra: Partial<ServiceInfo> = {},
): ServiceInfo => ({
  kind,
  id,
  name: id,
  ...(expiresAt ? { expiresAt } : {}),
  status: 'active',
  rawStatus: 'active',
  ref: {},
  ...extra,
});

const HOST: Seed = {
  account: 'com35',
  provider: 'com35',
  info: service('hosting', 'weipeng1', daysFromNow(20), { rawStatus: '1001' }),
  price: { amount: '138', currency: 'CNY' },
};
const MAIL_POINTS: Seed = {
  account: 'com35',
  provider: 'com35',
  info: service('mail', 'mail.example.cn', daysFromNow(40)),
  price: { amount: '120', currency: 'POINTS' },
};
const CERT_ISSUING: Seed = {
  account: 'mrdomain',
  provider: 'mrdomain',
  info: service('certificate', '48213', undefined, {
    name: 'shop.example.es',
    status: 'pending',
    rawStatus: 'process',
  }),
};
const MR_HOST: Seed = {
  account: 'mrdomain',
  provider: 'mrdomain',
  info: service('hosting', 'hosting-es-1', daysFromNow(200)),
  price: { amount: '59.90', currency: 'EUR' },
};
const GONE: Seed = {
  account: 'com35',
  provider: 'com35',
  info: service('hosting', 'gone-host', daysFromNow(5)),
};
const LIVE = [HOST, MAIL_POINTS, CERT_ISSUING, MR_HOST];
const DOMAINS = [
  { domain: 'alpha.com', account: 'dynadot', expiresAt: daysFromNow(10) },
  { domain: 'beta.net', account: 'com35', expiresAt: daysFromNow(25) },
];

let admin: Browser;

async function page(b: Browser, path: string, status = 200): Promise<string> {
  const res = await b.get(path);
  expect(res.status, path).toBe(status);
  return res.text();
}

/** `account/kind/id` of each row of the services table, in order. */
function servicesOf(html: string): string[] {
  return [...html.matchAll(/<tr data-service="([^"]+)">/g)].map((m) => m[1]!);
}

/** The cells of one service's row, tags stripped. */
function rowOf(html: string, key: string): string[] {
  const row = new RegExp(`<tr data-service="${key}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const keyOf = (s: Seed) => `${s.account}/${s.info.kind}/${s.info.id}`;

beforeAll(async () => {
  await clearRenewalTables();
  await clearApiTables();
  await env.DB.prepare('DELETE FROM services').run();
  const now = new Date().toISOString();
  await env.DB.batch(
    [...LIVE, GONE].map((s) => upsertService(env.DB, s.account, s.provider, s.info, now, s.price)),
  );
  await env.DB.prepare('UPDATE services SET vanished_at = ? WHERE id = ?').bind(now, GONE.info.id).run();
  await seedInventory(DOMAINS);
  admin = browser();
  expect((await signIn(admin, ADMIN_KEY)).status).toBe(303);
});

describe('the portfolio lists services beside domains', () => {
  it('shows each live service with its kind, expiry, status and quoted price; points as points', async () => {
    const html = await page(admin, '/app');
    expect(domainsOf(html)).toEqual(['alpha.com', 'beta.net']);
    expect(html).toContain('<h2 id="services-heading">Services</h2>');
    // Soonest expiry first; the certificate being issued (no expiry) last; the vanished one absent.
    expect(servicesOf(html)).toEqual([HOST, MAIL_POINTS, MR_HOST, CERT_ISSUING].map(keyOf));
    const host = rowOf(html, keyOf(HOST));
    expect(host.slice(0, 5)).toEqual([
      'hosting',
      'weipeng1',
      'com35',
      'com35',
      HOST.info.expiresAt!.slice(0, 10),
    ]);
    expect(host).toContain('active 1001');
    expect(host).toContain('138 CNY');
    expect(rowOf(html, keyOf(MAIL_POINTS))).toContain('120 points');
    const cert = rowOf(html, keyOf(CERT_ISSUING));
    expect(cert.slice(0, 2)).toEqual(['certificate', '48213 (shop.example.es)']);
    expect(cert).toContain('being issued');
    expect(cert).toContain('Renew through the API (needs a CSR)');
  });

  it('gives hosting and mail a Renew form with years required and no default, to a key that may renew', async () => {
    const html = await page(admin, '/app');
    const forms = [
      ...html.matchAll(/<form method="post" action="\/app\/services\/renew\/confirm"[\s\S]*?<\/form>/g),
    ];
    expect(forms).toHaveLength(3);
    for (const [form] of forms) {
      expect(form).toMatch(/<input type="number" name="years" min="1" max="10" required=""/);
      expect(form).not.toMatch(/name="years"[^>]*value=/);
      expect(form).toContain('name="csrf"');
    }
    const viewer = browser();
    await signIn(viewer, await keyWith(['read']));
    const seen = await page(viewer, '/app');
    expect(servicesOf(seen)).toHaveLength(4);
    expect(seen).not.toContain('/app/services/renew/confirm');
    expect(seen).not.toContain('Renew through the API');
  });

  it('filters by kind and account; name, TLD and status filters list domains only', async () => {
    const hosting = await page(admin, '/app?kind=hosting');
    expect(servicesOf(hosting)).toEqual([keyOf(HOST), keyOf(MR_HOST)]);
    expect(hosting).not.toContain('domains-heading');
    const domainsOnly = await page(admin, '/app?kind=domain');
    expect(domainsOf(domainsOnly)).toEqual(['alpha.com', 'beta.net']);
    expect(domainsOnly).not.toContain('services-heading');
    expect(servicesOf(await page(admin, '/app?account=com35'))).toEqual([keyOf(HOST), keyOf(MAIL_POINTS)]);
    expect(servicesOf(await page(admin, '/app?within=30'))).toEqual([keyOf(HOST)]);
    for (const search of ['?tld=com', '?q=alpha', '?status=active']) {
      const html = await page(admin, `/app${search}`);
      expect(html, search).not.toContain('services-heading');
      expect(domainsOf(html).length, search).toBeGreaterThan(0);
    }
    const selected = await page(admin, '/app?kind=mail');
    expect(selected).toContain('<option value="mail" selected="">mail</option>');
    expect((await admin.get('/app?kind=vps')).status).toBe(400);
  });

  it('pages services by their own cursor, leaving the domains page where it is', async () => {
    const now = new Date().toISOString();
    const many = Array.from({ length: 55 }, (_, i) =>
      upsertService(
        env.DB,
        'mrdomain',
        'mrdomain',
        service('hosting', `bulk-${String(i).padStart(2, '0')}`, daysFromNow(300 + i)),
        now,
      ),
    );
    await env.DB.batch(many);
    try {
      const first = await page(admin, '/app?kind=hosting');
      expect(servicesOf(first)).toHaveLength(50);
      const next = /<nav class="pager" aria-label="Services"><a href="([^"]+)" rel="next">/.exec(first)?.[1];
      expect(next).toContain('scursor=');
      const second = await page(admin, next!.replace(/&amp;/g, '&'));
      const all = [...servicesOf(first), ...servicesOf(second)];
      expect(all).toHaveLength(57);
      expect(new Set(all).size).toBe(57);
    } finally {
      await env.DB.prepare("DELETE FROM services WHERE id LIKE 'bulk-%'").run();
    }
  });
});

/** RFC 4180 rows of a CSV without quoted fields (these seeds need none). */
function csvRows(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((l) => l.split(','));
}

describe('the portfolio CSV', () => {
  it('has a kind column: domains are `domain`, then each service with its quoted price', async () => {
    const res = await admin.get('/app/portfolio.csv');
    expect(res.status).toBe(200);
    const [header, ...rows] = csvRows(await res.text());
    // The whole header is dashboard-portfolio.test.ts's; here, the columns services fill.
    expect(header?.slice(0, 2)).toEqual(['kind', 'item']);
    const column = (name: string) => {
      const at = header!.indexOf(name);
      expect(at, name).toBeGreaterThan(1);
      return (row: string[]) => row[at];
    };
    const [expiry, name, price, currency] = ['expires_at', 'name', 'renewal_price', 'renewal_currency'].map(
      column,
    );
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).toEqual([
      'domain:alpha.com',
      'domain:beta.net',
      ...[HOST, MAIL_POINTS, MR_HOST, CERT_ISSUING].map((s) => `${s.info.kind}:${s.info.id}`),
    ]);
    const mail = rows.find((r) => r[1] === MAIL_POINTS.info.id)!;
    expect([price!(mail), currency!(mail)]).toEqual(['120', 'POINTS']);
    const cert = rows.find((r) => r[1] === CERT_ISSUING.info.id)!;
    expect([expiry!(cert), name!(cert), price!(cert)]).toEqual(['', 'shop.example.es', '']);
  });

  it('follows the view: one kind, or domains only under a domain filter', async () => {
    const mail = csvRows(await (await admin.get('/app/portfolio.csv?kind=mail')).text()).slice(1);
    expect(mail.map((r) => r[1])).toEqual([MAIL_POINTS.info.id]);
    const tld = csvRows(await (await admin.get('/app/portfolio.csv?tld=net')).text()).slice(1);
    expect(tld.map((r) => `${r[0]}:${r[1]}`)).toEqual(['domain:beta.net']);
  });
});

describe('renewing a service from the dashboard: refusals', () => {
  async function confirm(b: Browser, form: Record<string, string>) {
    const csrf = csrfOf(await page(b, '/app'));
    return b.post('/app/services/renew/confirm', { csrf, ...form });
  }

  it('asks for years, refuses a certificate and an unknown service, each with a clear page', async () => {
    const target = { account: HOST.account, kind: 'hosting', id: HOST.info.id };
    const noYears = await confirm(admin, target);
    expect(noYears.status).toBe(400);
    expect(await noYears.text()).toContain('years: required: how many years to renew');
    const tooMany = await confirm(admin, { ...target, years: '11' });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('years must be a whole number from 1 to 10');
    const cert = await confirm(admin, {
      account: CERT_ISSUING.account,
      kind: 'certificate',
      id: CERT_ISSUING.info.id,
      years: '1',
    });
    expect(cert.status).toBe(400);
    expect(await cert.text()).toContain('a certificate renewal needs a CSR: renew it through the API');
    const unknown = await confirm(admin, { ...target, id: 'no-such-host', years: '1' });
    expect(unknown.status).toBe(404);
    const vanished = await confirm(admin, { ...target, id: GONE.info.id, years: '1' });
    expect(vanished.status).toBe(404);
  });

  it('confirms with the quoted price and a one-time id; a viewer may not', async () => {
    const res = await confirm(admin, {
      account: MAIL_POINTS.account,
      kind: 'mail',
      id: MAIL_POINTS.info.id,
      years: '2',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Confirm the renewal of a service');
    expect(html).toMatch(/<dt>Years<\/dt><dd>2<\/dd>/);
    expect(html).toContain('<dd>120 points</dd>');
    expect(html).toMatch(/name="batch" value="[a-f0-9]{32}"/);
    expect(html).toContain('action="/app/services/renew/submit"');

    const viewer = browser();
    await signIn(viewer, await keyWith(['read']));
    const refused = await confirm(viewer, {
      account: HOST.account,
      kind: 'hosting',
      id: HOST.info.id,
      years: '1',
    });
    expect(refused.status).toBe(403);
    const submitted = await viewer.post('/app/services/renew/submit', {
      csrf: csrfOf(await page(viewer, '/app')),
      batch: 'a'.repeat(32),
      account: HOST.account,
      kind: 'hosting',
      id: HOST.info.id,
      years: '1',
    });
    expect(submitted.status).toBe(403);
  });

  it('answers a renewal the engine refuses with the status the API gives the same request', async () => {
    // A hosting service recorded at an account whose registrar renews no hosting.
    const now = new Date().toISOString();
    await upsertService(
      env.DB,
      'dynadot',
      'dynadot',
      service('hosting', 'odd-host', daysFromNow(30)),
      now,
    ).run();
    try {
      const viaApi = await api('/v1/services/dynadot/hosting/odd-host/renew', {
        method: 'POST',
        body: { years: 1 },
      });
      // Unsupported: 501, the same refusal for both doors, nothing recorded.
      expect(viaApi.status).toBe(501);
      const csrf = csrfOf(await page(admin, '/app'));
      const viaDashboard = await admin.post('/app/services/renew/submit', {
        csrf,
        batch: 'b'.repeat(32),
        account: 'dynadot',
        kind: 'hosting',
        id: 'odd-host',
        years: '1',
      });
      expect(viaDashboard.status).toBe(viaApi.status);
      expect(await viaDashboard.text()).toContain(
        'account dynadot (dynadot) has no hosting services to renew',
      );
      const recorded = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM renewals WHERE domain = 'hosting:odd-host'",
      ).first<{ n: number }>();
      expect(recorded?.n).toBe(0);
    } finally {
      await env.DB.prepare("DELETE FROM services WHERE id = 'odd-host'").run();
    }
  });
});

describe('the renewals views show the kind and the item', () => {
  const ID = `rnw_${'5'.repeat(32)}`;

  beforeAll(async () => {
    // A confirmed renewal of the 35.com host, as the engine records one (item key `hosting:<id>`).
    const at = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO renewals (id, domain, account, provider, expected_expiry, years, request_hash, state,
         source, actor, created_at, updated_at, new_expiry)
       VALUES (?, ?, 'com35', 'com35', ?, 1, 'seed', 'confirmed', 'api', 'admin', ?, ?, ?)`,
    )
      .bind(ID, `hosting:${HOST.info.id}`, HOST.info.expiresAt!.slice(0, 10), at, at, daysFromNow(385))
      .run();
  });

  it('lists it with its kind, filters by kind, and its page names it', async () => {
    const list = await page(admin, '/app/renewals');
    expect(list).toContain('<th scope="col">Kind</th>');
    expect(list).toMatch(
      new RegExp(`<a href="/app/renewals/${ID}">weipeng1</a></th><td data-kind="">hosting</td>`),
    );
    expect(await page(admin, '/app/renewals?kind=hosting')).toContain(`/app/renewals/${ID}`);
    expect(await page(admin, '/app/renewals?kind=domain')).not.toContain(`/app/renewals/${ID}`);
    expect(await page(admin, '/app/renewals?kind=mail')).not.toContain(`/app/renewals/${ID}`);
    expect((await admin.get('/app/renewals?kind=vps')).status).toBe(400);

    const detail = await page(admin, `/app/renewals/${ID}`);
    expect(detail).toContain('<h1>Renewal: hosting weipeng1</h1>');
    expect(detail).toContain('<dt>Kind</dt><dd>hosting</dd>');
    expect(detail).toContain('<dt>Item</dt><dd>weipeng1</dd>');
  });

  it('gives the renewals CSV kind and item columns', async () => {
    const [header, ...rows] = csvRows(await (await admin.get('/app/renewals.csv?kind=hosting')).text());
    expect(header?.slice(0, 4)).toEqual(['id', 'domain', 'kind', 'item']);
    expect(rows.map((r) => r.slice(0, 4))).toEqual([[ID, 'hosting:weipeng1', 'hosting', 'weipeng1']]);
  });
});

describe('the timeline and money pages count services', () => {
  /** Cells of the timeline row of week `i` (0: the week starting today). */
  function week(html: string, i: number) {
    const rows = [...html.matchAll(/<tr data-week="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
    const row = rows[i] ?? '';
    return {
      total: Number(/data-total="">(\d+)</.exec(row)?.[1]),
      cost: /data-cost="">([^<]*)</.exec(row)?.[1],
      points: /data-points="">([^<]*)</.exec(row)?.[1],
      unpriced: Number(/data-unpriced="">(\d+)</.exec(row)?.[1]),
    };
  }

  it('puts a service in the week it expires, priced by its quote; points in their own column', async () => {
    const html = await page(admin, '/app/timeline');
    expect(html).toContain('<th scope="col">Points (not money)</th>');
    // The host expires in 20 days (week 2), the points-priced mail in 40 (week 5); no domain then.
    expect(week(html, 2)).toEqual({ total: 1, cost: '138 CNY', points: '0', unpriced: 0 });
    expect(week(html, 5)).toEqual({ total: 1, cost: '', points: '120', unpriced: 0 });
  });

  it('adds a service to its account forecast in money and lists points apart, never in a total', async () => {
    const prices = await (await api('/v1/prices?tld=net&operation=renew&years=1')).json<{
      prices: Array<{ account: string; price: { amount: string; currency: string } }>;
    }>();
    // 35.com has no domain price list: beta.net is counted, unpriced.
    expect(prices.prices.map((p) => p.account)).not.toContain('com35');
    const html = await page(admin, '/app/money');
    const row = /<tr data-account="com35">([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';
    const forecast = (days: number) =>
      new RegExp(`data-forecast="${days}"[^>]*>([\\s\\S]*?)</td>`).exec(row)?.[1] ?? '';
    // 30 days: the host (138 CNY) and beta.net; the mail (40 days) is not due yet.
    expect(/data-cost="">([^<]*)</.exec(forecast(30))?.[1]).toBe('138 CNY');
    expect(forecast(30)).toContain('2 domains and services, 1 unpriced');
    expect(forecast(30)).not.toContain('data-points');
    // 90 days: the same money, and the mail's 120 points beside it, not in it.
    expect(/data-cost="">([^<]*)</.exec(forecast(90))?.[1]).toBe('138 CNY');
    expect(forecast(90)).toContain(
      '<span class="hint" data-points="">120 points (points, not in the total)</span>',
    );
    expect(forecast(90)).toContain('3 domains and services, 1 unpriced');
  });
});

describe("renewing the 35.com simulator's seeded host from the dashboard", () => {
  const HOSTED = { account: 'com35', kind: 'hosting', id: 'simzq1' };

  async function renewCalls(): Promise<{ commands: number; renewals: number }> {
    const state = await sim('com35').state<{
      commands: Record<string, number>;
      serviceRenewals: Array<{ name: string }>;
    }>();
    return {
      commands: state.commands.RenewVhost ?? 0,
      renewals: state.serviceRenewals.filter((r) => r.name === HOSTED.id).length,
    };
  }

  it("refuses two years past the ten-year ceiling with the registrar's words, nothing renewed", async () => {
    await sim('com35').reset();
    const capped = { account: 'com35', kind: 'hosting', id: 'simcap1' };
    try {
      expect((await api(`/v1/services/com35/hosting/${capped.id}`)).status).toBe(200);
      const csrf = csrfOf(await page(admin, '/app?kind=hosting'));
      const form = { csrf, batch: 'c'.repeat(32), ...capped, years: '2' };
      const viaApi = await api(`/v1/services/com35/hosting/${capped.id}/renew`, {
        method: 'POST',
        body: { years: 2 },
      });
      const refused = await admin.post('/app/services/renew/submit', form);
      expect([viaApi.status, refused.status]).toEqual([400, 400]);
      const detail = (await viaApi.json<{ detail: string }>()).detail;
      expect(await refused.text()).toContain(
        detail.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      );
      expect(await renewCalls()).toEqual({ commands: 0, renewals: 0 });
      const recorded = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM renewals WHERE domain = 'hosting:simcap1'",
      ).first<{ n: number }>();
      expect(recorded?.n).toBe(0);
    } finally {
      await env.DB.prepare("DELETE FROM services WHERE account = 'com35' AND id = 'simcap1'").run();
    }
  });

  it('confirms, and a double submit and a replay renew it once at the simulator', async () => {
    await sim('com35').reset();
    try {
      // A live read records the host in the inventory (35.com has no listing command).
      const read = await api(`/v1/services/com35/hosting/${HOSTED.id}`);
      expect(read.status, await read.clone().text()).toBe(200);
      const before = await read.json<{ expiresAt: string }>();

      const portfolio = await page(admin, '/app?kind=hosting&account=com35');
      expect(servicesOf(portfolio)).toContain(`com35/hosting/${HOSTED.id}`);
      const csrf = csrfOf(portfolio);
      const confirm = await admin.post('/app/services/renew/confirm', { csrf, ...HOSTED, years: '1' });
      expect(confirm.status).toBe(200);
      const batch = /name="batch" value="([a-f0-9]{32})"/.exec(await confirm.text())?.[1];
      expect(batch).toBeDefined();

      const form = { csrf, batch: batch!, ...HOSTED, years: '1' };
      const [first, second] = await Promise.all([
        admin.post('/app/services/renew/submit', form),
        admin.post('/app/services/renew/submit', form),
      ]);
      expect([first.status, second.status]).toEqual([303, 303]);
      const location = first.headers.get('location')!;
      expect(location).toMatch(/^\/app\/renewals\/rnw_[a-f0-9]{32}$/);
      expect(second.headers.get('location')).toBe(location);
      const id = location.split('/').pop()!;
      expect(await waitForState(id)).toBe('confirmed');

      // The same confirmation once more, after the renewal is final: the same renewal, no new call.
      const replay = await admin.post('/app/services/renew/submit', form);
      expect(replay.headers.get('location')).toBe(location);
      expect(await renewCalls()).toEqual({ commands: 1, renewals: 1 });

      const detail = await page(admin, location);
      expect(detail).toContain(`<h1>Renewal: hosting ${HOSTED.id}</h1>`);
      expect(detail).toContain('<dt>Door</dt><dd>dashboard</dd>');
      const after = await (await api(`/v1/services/com35/hosting/${HOSTED.id}`)).json<{
        expiresAt: string;
      }>();
      expect(after.expiresAt.slice(0, 4)).toBe(String(Number(before.expiresAt.slice(0, 4)) + 1));
    } finally {
      await env.DB.prepare("DELETE FROM services WHERE account = 'com35' AND id = ?").bind(HOSTED.id).run();
    }
  });
});
