/**
 * The expiry timeline and money pages against the simulators: domains seeded at known expiries
 * over every account; the weekly counts and the cost per currency the pages show must equal what
 * this test computes from the seed and the prices the simulators quote (read through the REST
 * API's GET /v1/prices), and the balances those the simulators hold.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { ADMIN_KEY, api, clearApiTables, configuredAccounts, json, seedInventory } from './api-support';
import { type Browser, browser, signIn } from './dashboard-support';
import { sim } from './helpers';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Days ahead of each seeded domain: half-day offsets keep every one clear of a week's edge. */
const OFFSETS = [0.5, 3.5, 6.5, 10.5, 17.5, 29.5, 30.5, 44.5, 61.5, 83.5, 89.5];
const TLDS = ['com', 'net'];

interface Seed {
  domain: string;
  account: string;
  expiresAt: string;
  days: number;
}

const t0 = Date.now();
const accounts = configuredAccounts();
const seeds: Seed[] = accounts.flatMap((account, a) =>
  OFFSETS.filter((_, i) => (i + a) % 3 !== 0).map((days, i) => ({
    domain: `${account}-${i}.${TLDS[(i + a) % 2]}`,
    account,
    expiresAt: new Date(t0 + days * DAY).toISOString(),
    days,
  })),
);
// Outside the window: already expired, beyond 90 days, vanished.
const outside = [
  { domain: 'old.com', account: accounts[0]!, expiresAt: new Date(t0 - 2 * DAY).toISOString() },
  { domain: 'far.com', account: accounts[0]!, expiresAt: new Date(t0 + 95 * DAY).toISOString() },
  {
    domain: 'gone.com',
    account: accounts[0]!,
    expiresAt: new Date(t0 + 5 * DAY).toISOString(),
    vanished: true,
  },
];

/** Cents of a decimal amount (the simulators quote at most two places). */
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** `12.5 USD, 300 CNY` → { USD: 1250, CNY: 30000 }. */
function parseMoneyList(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(-?\d+(?:\.\d+)?) ([A-Z]{3})$/.exec(part);
    if (m) out[m[2]!] = cents(m[1]!);
  }
  return out;
}

/** The 1-year renewal price of each account and TLD, as the simulators quote it (undefined: none). */
const prices = new Map<string, { amount: string; currency: string } | undefined>();
const priceOf = (account: string, domain: string) => prices.get(`${account}/${domain.split('.').pop()}`);

function expectedCost(domains: readonly Seed[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of domains) {
    const price = priceOf(d.account, d.domain);
    if (price) out[price.currency] = (out[price.currency] ?? 0) + cents(price.amount);
  }
  return out;
}

let admin: Browser;

beforeAll(async () => {
  await clearApiTables();
  for (const account of accounts) await sim(account).reset();
  await seedInventory([...seeds, ...outside]);
  for (const tld of TLDS) {
    const res = await api(`/v1/prices?tld=${tld}&operation=renew&years=1`);
    expect(res.status).toBe(200);
    const body = await json<{
      prices: Array<{ account: string; price: { amount: string; currency: string } }>;
    }>(res);
    for (const account of accounts) {
      prices.set(`${account}/${tld}`, body.prices.find((p) => p.account === account)?.price);
    }
  }
  // At least two accounts quote, so the totals add up across accounts.
  expect([...prices.values()].filter(Boolean).length).toBeGreaterThanOrEqual(4);
  admin = browser();
  await signIn(admin, ADMIN_KEY);
});

interface WeekRow {
  counts: Record<string, number>;
  total: number;
  cost: Record<string, number>;
  unpriced: number;
}

function weekRows(html: string): WeekRow[] {
  const rows = [...html.matchAll(/<tr data-week="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  return rows.map((row) => ({
    counts: Object.fromEntries(
      [...row.matchAll(/data-account="([^"]+)">(\d+)</g)].map((m) => [m[1]!, Number(m[2])]),
    ),
    total: Number(/data-total="">(\d+)</.exec(row)?.[1]),
    cost: parseMoneyList(/data-cost="">([^<]*)</.exec(row)?.[1] ?? ''),
    unpriced: Number(/data-unpriced="">(\d+)</.exec(row)?.[1]),
  }));
}

describe('the expiry timeline', () => {
  it('counts each week per account and prices each week per currency, as the seed and simulators say', async () => {
    const res = await admin.get('/app/timeline');
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = weekRows(html);
    expect(rows).toHaveLength(13);
    for (const [i, row] of rows.entries()) {
      const inWeek = seeds.filter((s) => Math.floor((s.days * DAY) / WEEK) === i);
      for (const account of accounts) {
        const count = inWeek.filter((s) => s.account === account).length;
        expect(row.counts[account] ?? 0, `week ${i} ${account}`).toBe(count);
      }
      expect(row.total, `week ${i}`).toBe(inWeek.length);
      expect(row.cost, `week ${i} cost`).toEqual(expectedCost(inWeek));
      expect(row.unpriced, `week ${i}`).toBe(inWeek.filter((s) => !priceOf(s.account, s.domain)).length);
    }
    // The table holds every seeded domain in the window and nothing outside it.
    expect(rows.reduce((sum, r) => sum + r.total, 0)).toBe(seeds.length);
  });

  it('draws the chart as accessible SVG: a title, a description with the totals, one bar segment per account and week', async () => {
    const html = await (await admin.get('/app/timeline')).text();
    expect(html).toMatch(/<svg[^>]+role="img"[^>]+aria-labelledby="chart-title chart-desc"/);
    expect(html).toContain('<title id="chart-title">Domains and services expiring per week</title>');
    const desc = /<desc id="chart-desc">([^<]*)<\/desc>/.exec(html)?.[1];
    expect(desc).toContain(`${seeds.length}.`);
    const segments = new Set(seeds.map((s) => `${s.account}/${Math.floor((s.days * DAY) / WEEK)}`)).size;
    expect([
      ...html.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#/g),
    ]).toHaveLength(segments);
  });

  it('is in the navigation and needs a session', async () => {
    const html = await (await admin.get('/app/timeline')).text();
    expect(html).toMatch(/<a href="\/app\/timeline" aria-current="page">/);
    const anonymous = await browser().get('/app/timeline');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/app/sign-in');
  });
});

interface MoneyRow {
  balance: string;
  threshold: string;
  forecast: Record<string, Record<string, number>>;
}

function moneyRows(html: string): Record<string, MoneyRow> {
  const table = /<table id="balances-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const rows = [...table.matchAll(/<tr data-account="([^"]+)">([\s\S]*?)<\/tr>/g)];
  return Object.fromEntries(
    rows.map(([, account, row]) => [
      account!,
      {
        balance: /data-balance="[^>]*>([^<]*)/.exec(row!)?.[1] ?? '',
        threshold: /data-threshold="">([^<]*)</.exec(row!)?.[1] ?? '',
        forecast: Object.fromEntries(
          [...row!.matchAll(/data-forecast="(\d+)"[^>]*><span data-cost="">([^<]*)</g)].map((m) => [
            m[1]!,
            parseMoneyList(m[2]!),
          ]),
        ),
      },
    ]),
  );
}

/** One browser over the worker entry with other bindings (here: low-balance thresholds). */
function browserWith(vars: Record<string, string>): Browser {
  return browser(async (request) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, { ...env, ...vars } as never, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  });
}

describe('the money page', () => {
  it("shows each account's balance from its registrar and the 30/90-day renewal forecast", async () => {
    const res = await admin.get('/app/money');
    expect(res.status).toBe(200);
    const rows = moneyRows(await res.text());
    expect(Object.keys(rows).sort()).toEqual([...accounts].sort());
    let balances = 0;
    for (const account of accounts) {
      const row = rows[account]!;
      const apiBalance = await api(`/v1/accounts/${account}/balance`);
      if (apiBalance.status === 200) {
        const { available } = await json<{ available: { amount: string; currency: string } }>(apiBalance);
        expect(row.balance.trim(), account).toBe(`${available.amount} ${available.currency}`);
        // The simulator's own state holds that amount.
        const state = JSON.stringify(await sim(account).state());
        const amounts = [...state.matchAll(/"(?:balance|amount)":"?(\d+(?:\.\d+)?)/g)].map((m) =>
          Number(m[1]),
        );
        expect(amounts, account).toContain(Number(available.amount));
        balances++;
      } else {
        expect(apiBalance.status).toBe(501);
        expect(row.balance).toContain('This registrar reports no balance');
      }
      for (const days of [30, 90]) {
        const due = seeds.filter((s) => s.account === account && s.days <= days);
        expect(row.forecast[String(days)], `${account} ${days} days`).toEqual(expectedCost(due));
      }
    }
    expect(balances).toBeGreaterThanOrEqual(2);
  });

  it('shows the low-balance threshold of the currency and flags a balance below it', async () => {
    const dynadot = await json<{ available: { amount: string; currency: string } }>(
      await api('/v1/accounts/dynadot/balance'),
    );
    const above = String(Number(dynadot.available.amount) + 1);
    const b = browserWith({ LOW_BALANCE_THRESHOLDS: `${dynadot.available.currency}=${above}` });
    await signIn(b, ADMIN_KEY);
    const html = await (await b.get('/app/money')).text();
    const row = moneyRows(html).dynadot!;
    expect(row.threshold).toBe(`${above} ${dynadot.available.currency}`);
    expect(/<tr data-account="dynadot">[\s\S]*?<\/tr>/.exec(html)?.[0]).toContain('Below threshold');

    const low = browserWith({ LOW_BALANCE_THRESHOLDS: `${dynadot.available.currency}=1` });
    await signIn(low, ADMIN_KEY);
    const ok = await (await low.get('/app/money')).text();
    expect(/<tr data-account="dynadot">[\s\S]*?<\/tr>/.exec(ok)?.[0]).not.toContain('Below threshold');
  });
});

describe('the price comparison', () => {
  it("lists every account's renewal price for the TLD, as GET /v1/prices does", async () => {
    const html = await (await admin.get('/app/money?tld=.COM')).text();
    const table = /<table id="prices-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const shown = Object.fromEntries(
      [...table.matchAll(/<tr data-account="([^"]+)">[\s\S]*?data-price="">([^<]+)</g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    const expected = Object.fromEntries(
      accounts.flatMap((a) => {
        const price = prices.get(`${a}/com`);
        return price ? [[a, `${price.amount} ${price.currency}`]] : [];
      }),
    );
    expect(shown).toEqual(expected);
    // Accounts without a quote are named, not dropped.
    const unavailable = [...html.matchAll(/<li data-account="([^"]+)">/g)].map((m) => m[1]);
    expect([...unavailable, ...Object.keys(shown)].sort()).toEqual([...accounts].sort());
    expect(html).toContain('value=".COM"');
  });

  it('refuses a TLD that is not one with 400, on the page', async () => {
    const res = await admin.get('/app/money?tld=no%20tld');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not a TLD');
  });
});
