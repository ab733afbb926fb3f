/**
 * The dashboard's renewals against the simulators over real sockets: bulk renew from the
 * portfolio (the confirmation with its prices, then two domains renewed once each at their
 * registrars even after a double submit and a replayed confirmation), a viewer refused, a
 * `needs_attention` renewal settled from its queue, and the renewals CSV.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestRenewal } from '../../src/core/renewals';
import { ADMIN_KEY, clearApiTables, keyWith, seedInventory } from './api-support';
import { type Browser, browser, csrfOf, signIn } from './dashboard-support';
import { sim } from './helpers';
import {
  clearRenewalTables,
  daysFromNow,
  engine,
  getRenewalApi,
  pump,
  seedDomain,
  upstreamRenewals,
  waitForState,
} from './renewals-support';

const A = { account: 'dynadot', domain: 'bulk-a.com' };
const B = { account: 'logicboxes', domain: 'bulk-b.com' };
const STUCK = { account: 'dynadot', domain: 'bulk-stuck.com' };
/** Held at Alibaba, whose API has no price list: "price unknown". */
const UNPRICED = { account: 'alibaba', domain: 'bulk-unpriced.com' };

let admin: Browser;

/** The renewal ids of a progress page, in row order. */
function renewalIdsOf(html: string): string[] {
  return [...html.matchAll(/data-renewal="(rnw_[a-f0-9]+)"/g)].map((m) => m[1]!);
}

async function page(b: Browser, path: string): Promise<string> {
  const res = await b.get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

async function dashboardRenewalCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM renewals WHERE source = 'dashboard'").first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

beforeAll(async () => {
  await clearRenewalTables();
  await clearApiTables();
  for (const { account } of [A, B, STUCK]) {
    await sim(account).reset();
  }
  const inventory = [];
  for (const [i, { account, domain }] of [A, B, STUCK].entries()) {
    const expiresAt = daysFromNow(10 + i);
    await seedDomain(account, domain, expiresAt);
    inventory.push({ domain, account, expiresAt });
  }
  await seedInventory([...inventory, { ...UNPRICED, expiresAt: daysFromNow(12) }]);
  admin = browser();
  expect((await signIn(admin, ADMIN_KEY)).status).toBe(303);
});

describe('bulk renew from the portfolio', () => {
  it('confirms with prices, then renews each domain once, after a double submit and a replay too', async () => {
    const portfolio = await page(admin, '/app');
    expect(portfolio).toContain('Renew selected');
    expect(portfolio).toContain(`value="${A.account}/${A.domain}"`);
    const csrf = csrfOf(portfolio);
    const picks: Array<[string, string]> = [
      ['pick', `${A.account}/${A.domain}`],
      ['pick', `${B.account}/${B.domain}`],
    ];

    // The confirmation: each domain, its account, 1 year, a price or "price unknown", the totals.
    const confirm = await admin.post('/app/renewals/confirm', [['csrf', csrf], ...picks]);
    expect(confirm.status).toBe(200);
    const confirmation = await confirm.text();
    expect(confirmation).toContain('Confirm renewal');
    for (const { account, domain } of [A, B]) {
      expect(confirmation).toMatch(new RegExp(`${domain}[\\s\\S]*?<td>${account}</td>`));
    }
    expect(confirmation.match(/name="years" min="1" max="10" value="1"/g)).toHaveLength(2);
    expect(confirmation).toContain('Total per currency');
    // The simulators' price lists: Dynadot 10.99 USD, LogicBoxes 9 USD.
    expect(confirmation).toContain('<td class="num">10.99 USD</td>');
    expect(confirmation).toContain('<td class="num">9 USD</td>');
    expect(confirmation).toContain('<ul class="totals"><li>19.99 USD</li></ul>');
    const batch = /name="batch" value="([a-f0-9]{32})"/.exec(confirmation)?.[1];
    expect(batch).toBeDefined();

    const unpriced = await (
      await admin.post('/app/renewals/confirm', [
        ['csrf', csrf],
        ['pick', `${UNPRICED.account}/${UNPRICED.domain}`],
      ])
    ).text();
    expect(unpriced).toContain('<td class="num">price unknown</td>');
    expect(unpriced).toContain('Domains whose price is unknown: 1');

    // "Apply to all" re-renders with every row's years and keeps the one-time id.
    const twoYears = await (
      await admin.post('/app/renewals/confirm', [
        ['csrf', csrf],
        ['batch', batch!],
        ...picks,
        ['years', '1'],
        ['years', '1'],
        ['allYears', '2'],
        ['action', 'all'],
      ])
    ).text();
    expect(twoYears.match(/name="years" min="1" max="10" value="2"/g)).toHaveLength(2);
    expect(twoYears).toContain(`name="batch" value="${batch}"`);

    const submission: Array<[string, string]> = [
      ['csrf', csrf],
      ['batch', batch!],
      ...picks,
      ['years', '1'],
      ['years', '1'],
    ];
    // A double click: two submits of one confirmation at once.
    const [first, second] = await Promise.all([
      admin.post('/app/renewals/submit', submission),
      admin.post('/app/renewals/submit', submission),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const ids = renewalIdsOf(await first.text());
    expect(ids).toHaveLength(2);
    expect(renewalIdsOf(await second.text())).toEqual(ids);

    for (const id of ids) expect(await waitForState(id)).toBe('confirmed');
    const status = await admin.get(`/app/renewals/status.json?id=${ids[0]}&id=${ids[1]}`);
    expect(await status.json()).toEqual({
      items: ids.map((id) => ({ id, state: 'confirmed', final: true })),
      final: true,
    });

    // The confirmation replayed after the renewals are final (a reload, a resent form): the same renewals.
    const replay = await admin.post('/app/renewals/submit', submission);
    expect(renewalIdsOf(await replay.text())).toEqual(ids);
    expect(await upstreamRenewals(A.account, A.domain)).toEqual([
      expect.objectContaining({ domain: A.domain, years: 1 }),
    ]);
    expect(await upstreamRenewals(B.account, B.domain)).toEqual([
      expect.objectContaining({ domain: B.domain, years: 1 }),
    ]);
    expect(await dashboardRenewalCount()).toBe(2);

    // The audit: who asked, through which door.
    const renewal = await getRenewalApi(ids[0]!);
    expect(renewal).toMatchObject({ domain: A.domain, source: 'dashboard', actor: 'admin' });
    expect(renewal.history[0]).toMatchObject({ action: 'requested', actor: 'admin', source: 'dashboard' });
    const detail = await page(admin, `/app/renewals/${ids[0]}`);
    expect(detail).toContain('History and audit');
    expect(detail).toContain('dashboard');

    // The progress page (the no-script refresh) shows them final, with nothing left to poll.
    const progress = await page(admin, `/app/renewals/progress?id=${ids[0]}&id=${ids[1]}`);
    expect(progress).toContain('Every renewal is final.');
    expect(progress).not.toContain('data-status-url');
  });

  it('shows a viewer no renew control and refuses its posts with 403, recording nothing', async () => {
    const viewer = browser();
    await signIn(viewer, await keyWith(['read']));
    const portfolio = await page(viewer, '/app');
    expect(portfolio).not.toContain('Renew selected');
    expect(portfolio).not.toContain('name="pick"');
    const csrf = csrfOf(portfolio);
    const before = await dashboardRenewalCount();
    const pick: [string, string] = ['pick', `${STUCK.account}/${STUCK.domain}`];
    expect((await viewer.post('/app/renewals/confirm', [['csrf', csrf], pick])).status).toBe(403);
    const submit = await viewer.post('/app/renewals/submit', [
      ['csrf', csrf],
      ['batch', 'a'.repeat(32)],
      pick,
      ['years', '1'],
    ]);
    expect(submit.status).toBe(403);
    expect(await submit.text()).toContain('This API key may not do that.');
    expect(await dashboardRenewalCount()).toBe(before);
    expect(await upstreamRenewals(STUCK.account, STUCK.domain)).toEqual([]);
  });
});

describe('the renewals list and the needs_attention queue', () => {
  it('queues a needs_attention renewal with what the engine knows, and an admin settles it', async () => {
    // Dynadot answers renew with a dropped connection before acting and has no expiry guard:
    // the engine cannot prove the outcome and hands it to a person.
    await sim(STUCK.account).faults({ fault: { kind: 'drop_before' }, match: 'renew' });
    const p = pump();
    const { renewal } = await requestRenewal(engine(p.env), {
      domain: STUCK.domain,
      years: 1,
      source: 'api',
      actor: 'ops-script',
    });
    await p.drain();
    await sim(STUCK.account).clearFaults();
    expect((await getRenewalApi(renewal.id)).state).toBe('needs_attention');

    const list = await page(admin, '/app/renewals');
    expect(list).toContain('Needs attention (1)');
    expect(list).toContain(`/app/renewals/${renewal.id}/resolve`);
    expect(list).toMatch(/no expiry guard/);
    expect(list).toContain('Last checks');

    // A key with `renew` but not `admin` sees the queue without the settle form, and may not post it.
    const renewer = browser();
    await signIn(renewer, await keyWith(['read', 'renew']));
    const renewerList = await page(renewer, '/app/renewals');
    expect(renewerList).toContain(STUCK.domain);
    expect(renewerList).not.toContain('/resolve');
    const refused = await renewer.post(`/app/renewals/${renewal.id}/resolve`, {
      csrf: csrfOf(renewerList),
      outcome: 'failed',
      note: 'x',
    });
    expect(refused.status).toBe(403);
    expect((await getRenewalApi(renewal.id)).state).toBe('needs_attention');

    const settled = await admin.post(`/app/renewals/${renewal.id}/resolve`, {
      csrf: csrfOf(list),
      outcome: 'failed',
      note: 'checked the Dynadot panel: not renewed',
      newExpiry: '',
    });
    expect(settled.status).toBe(303);
    expect(settled.headers.get('location')).toBe(`/app/renewals/${renewal.id}`);
    const after = await getRenewalApi(renewal.id);
    expect(after.state).toBe('failed');
    expect(after.history.at(-1)).toMatchObject({
      action: 'resolved_by_operator',
      actor: 'admin',
      source: 'dashboard',
    });
    expect(await page(admin, '/app/renewals')).toContain('Needs attention (0)');
    // Settling twice is the API's 409, as an HTML page.
    const again = await admin.post(`/app/renewals/${renewal.id}/resolve`, {
      csrf: csrfOf(list),
      outcome: 'failed',
      note: 'again',
    });
    expect(again.status).toBe(409);
    expect(await upstreamRenewals(STUCK.account, STUCK.domain)).toEqual([]);
  });

  it('filters by door and state and downloads the CSV of the filter', async () => {
    const dashboardOnly = await page(admin, '/app/renewals?source=dashboard');
    expect(dashboardOnly).toContain(A.domain);
    expect(dashboardOnly).toContain(B.domain);
    expect(dashboardOnly).not.toContain(`>${STUCK.domain}</a></th>`);

    const res = await admin.get('/app/renewals.csv?source=dashboard&state=confirmed');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'id,domain,kind,item,account,registrar,years,state,expected_expiry,new_expiry,cost,currency,door,asked_by,reason,requested_at,updated_at',
    );
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows.map((r) => r[1]).sort()).toEqual([A.domain, B.domain]);
    for (const r of rows) {
      expect([r[2], r[3]]).toEqual(['domain', r[1]]);
      expect([r[7], r[12], r[13]]).toEqual(['confirmed', 'dashboard', 'admin']);
    }

    const failed = (await (await admin.get('/app/renewals.csv?state=failed')).text()).split('\r\n');
    expect(failed.slice(1, -1).map((l) => l.split(',')[1])).toEqual([STUCK.domain]);
    expect((await admin.get('/app/renewals?state=nope')).status).toBe(400);
  });
});
