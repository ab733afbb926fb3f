/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against the
 * running local stack (simulators + `wrangler dev`), as an operator uses it: sign in with the API
 * key, find a seeded domain by search, download the CSV (domains and services) and check its rows
 * against the REST API,
 * switch to Chinese, sign out; see the expiry timeline and the money page (with a price
 * comparison); bulk renew two domains (a double click on "Confirm renewal") and watch the
 * progress reach final, settle a needs_attention renewal, a viewer sees no renew control. Every
 * page is checked by axe-core (no serious or critical
 * violation) and screenshotted into test/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack';
import { CHROMIUM_ARGS, findChromium } from './chromium';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = join(REPO, 'test', 'artifacts');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const CHROMIUM = findChromium('the dashboard browser test');

let local: LocalStack;

beforeAll(async () => {
  if (!CHROMIUM) return;
  // Reconciliation without waiting between reads: the needs_attention renewal settles in seconds.
  local = await startLocalStack({
    workerVars: { RENEWAL_RECONCILE_DELAYS: '0', RENEWAL_DECIDE_AFTER_SECONDS: '0' },
  });
  // The inventory the dashboard shows: synced from the simulators, as `npm start` does.
  const sync = await fetch(`${local.url}/v1/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${local.adminApiKey}` },
  });
  expect(sync.status).toBeLessThan(300);
  await sync.text();
}, 180_000);

afterAll(async () => {
  await local?.close();
});

/** Every domain the REST API lists, walked through its cursor pages. */
async function apiInventory(): Promise<Array<{ domain: string; expiresAt?: string }>> {
  const items: Array<{ domain: string; expiresAt?: string }> = [];
  let cursor: string | undefined;
  do {
    const res = await fetch(`${local.url}/v1/domains?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${local.adminApiKey}` },
    });
    const page = (await res.json()) as {
      items: { domain: string; expiresAt?: string }[];
      nextCursor?: string;
    };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** How many of those expire from now to `days` ahead. */
/** Every live service the REST API lists (hosting, mail, certificates). */
async function apiServices(): Promise<Array<{ kind: string; id: string; expiresAt?: string }>> {
  const items: Array<{ kind: string; id: string; expiresAt?: string }> = [];
  let cursor: string | undefined;
  do {
    const res = await fetch(`${local.url}/v1/services?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${local.adminApiKey}` },
    });
    const page = (await res.json()) as {
      items: { kind: string; id: string; expiresAt?: string }[];
      nextCursor?: string;
    };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Domains and services expiring within `days` (the timeline's window), by the REST API. */
async function apiExpiringWithin(days: number): Promise<number> {
  const now = Date.now();
  const items = [...(await apiInventory()), ...(await apiServices())];
  return items.filter((d) => {
    const at = d.expiresAt ? Date.parse(d.expiresAt) : Number.NaN;
    return at >= now && at <= now + days * 86_400_000;
  }).length;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: the serious and critical violations (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Screenshot and accessibility check of one page. */
async function checkPage(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

describe('the dashboard in headless Chromium', () => {
  it.skipIf(!CHROMIUM)(
    'signs in, searches, downloads the CSV, switches to Chinese and signs out',
    { timeout: 120_000 },
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      try {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 1000 },
          locale: 'en-US',
          acceptDownloads: true,
        });
        const page = await context.newPage();
        const origins = new Set<string>();
        page.on('request', (r) => {
          origins.add(new URL(r.url()).origin);
        });

        // Sign in.
        const first = await page.goto(`${local.url}/app`);
        expect(first?.status()).toBe(200);
        expect(page.url()).toBe(`${local.url}/app/sign-in`);
        await checkPage(page, 'sign-in');
        await page.getByLabel('API key').fill(local.adminApiKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${local.url}/app`);
        await expect(page.getByRole('heading', { level: 1, name: 'Portfolio' }).count()).resolves.toBe(1);
        await checkPage(page, 'portfolio');

        // Find a seeded domain by search.
        await page.getByLabel('Name contains').fill('sim-dynadot');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL(/q=sim-dynadot/);
        const found = await page.locator('tbody th[scope=row]').allTextContents();
        expect(found).toContain('sim-dynadot.com');
        expect(found.every((name) => name.includes('sim-dynadot'))).toBe(true);
        await checkPage(page, 'search');

        // Download the CSV of the whole (unfiltered) view: one row per domain the API lists.
        await page.getByRole('link', { name: 'Clear filters' }).click();
        await page.waitForURL(`${local.url}/app`);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Download CSV' }).click(),
        ]);
        const csvPath = join(ARTIFACTS, 'dashboard-portfolio.csv');
        await download.saveAs(csvPath);
        const lines = readFileSync(csvPath, 'utf8').split('\r\n').filter(Boolean);
        expect(lines[0]).toBe(
          'kind,item,account,registrar,expires_at,days_left,auto_renew,locked,status,last_sync,name,renewal_price,renewal_currency',
        );
        const rows = lines.slice(1).map((l) => l.split(','));
        const csvDomains = rows.filter((r) => r[0] === 'domain').map((r) => r[1]);
        expect(csvDomains.length).toBeGreaterThan(0);
        expect(csvDomains).toEqual((await apiInventory()).map((d) => d.domain));
        // Then the services, kind and id as GET /v1/services lists them (soonest expiry first).
        expect(rows.filter((r) => r[0] !== 'domain').map((r) => `${r[0]}:${r[1]}`)).toEqual(
          (await apiServices()).map((s) => `${s.kind}:${s.id}`),
        );

        // The expiry timeline: the chart and its table hold every domain and service expiring within 90 days.
        await page.getByRole('link', { name: 'Expiry timeline' }).click();
        await page.waitForURL(`${local.url}/app/timeline`);
        await expect(page.getByRole('heading', { level: 1, name: 'Expiry timeline' }).count()).resolves.toBe(
          1,
        );
        const totals = await page.locator('#timeline-table td[data-total]').allTextContents();
        expect(totals.reduce((sum, n) => sum + Number(n), 0)).toBe(await apiExpiringWithin(90));
        if (totals.length > 0) {
          await expect(
            page.getByRole('img', { name: 'Domains and services expiring per week' }).count(),
          ).resolves.toBe(1);
        }
        await checkPage(page, 'timeline');

        // Money: a row per account, then the renewal prices of .com across accounts.
        await page.getByRole('link', { name: 'Money' }).click();
        await page.waitForURL(`${local.url}/app/money`);
        expect(await page.locator('#balances-table tbody tr').count()).toBeGreaterThan(1);
        await page.getByLabel('TLD').fill('com');
        await page.getByRole('button', { name: 'Compare' }).click();
        await page.waitForURL(/\/app\/money\?tld=com/);
        expect(await page.locator('#prices-table tbody tr').count()).toBeGreaterThan(0);
        await checkPage(page, 'money');
        await page.getByRole('link', { name: 'Portfolio' }).click();
        await page.waitForURL(`${local.url}/app`);

        // Switch to Chinese: the same page, in Chinese, and it stays so.
        await page.getByRole('button', { name: /中文/ }).click();
        await page.waitForURL(`${local.url}/app`);
        expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
        await expect(page.getByRole('heading', { level: 1, name: '域名总览' }).count()).resolves.toBe(1);
        await checkPage(page, 'portfolio-zh');

        // Sign out (in Chinese), and the portfolio is closed again.
        await page.getByRole('button', { name: '退出登录' }).click();
        await page.waitForURL(`${local.url}/app/sign-in`);
        await checkPage(page, 'signed-out-zh');
        await page.goto(`${local.url}/app`);
        expect(page.url()).toBe(`${local.url}/app/sign-in`);
        expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'rgw_session' }));

        // Offline: every request stayed on the gateway (styles and script are its static assets).
        expect([...origins]).toEqual([local.url]);
      } finally {
        await browser.close();
      }
    },
  );

  it.skipIf(!CHROMIUM)(
    'bulk renews two domains once each, settles a needs_attention renewal, hides renewing from a viewer',
    { timeout: 120_000 },
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const dynadot = local.stack.simulators.dynadot!.controlUrl;
      const simRenewals = async (domain: string) => {
        const state = (await (await fetch(`${dynadot}/__sim/state`)).json()) as {
          renewals: { domain: string }[];
        };
        return state.renewals.filter((r) => r.domain === domain).length;
      };
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await (
          await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' })
        ).newPage();
        await page.goto(`${local.url}/app/sign-in`);
        await page.getByLabel('API key').fill(local.adminApiKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${local.url}/app`);

        // The Dynadot account's domains expiring within 30 days (the simulator seeds two).
        await page.goto(`${local.url}/app?account=dynadot&within=30&sort=expiry`);
        await page.getByRole('button', { name: 'Select all expiring in 30 days' }).click();
        const picked = await page
          .locator('input[name=pick]:checked')
          .evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value.split('/')[1]!));
        expect(picked).toHaveLength(2);
        await checkPage(page, 'bulk-select');
        await page.getByRole('button', { name: 'Renew selected' }).click();
        await expect(page.getByRole('heading', { level: 1, name: 'Confirm renewal' }).count()).resolves.toBe(
          1,
        );
        await checkPage(page, 'bulk-confirm');

        // A double click on Confirm: one renewal each at the registrar, progress until final.
        await page.getByRole('button', { name: 'Confirm renewal' }).dblclick();
        await page.waitForURL(`${local.url}/app/renewals/submit`);
        await page.locator('#progress-summary[data-done=true]').waitFor({ timeout: 60_000 });
        const states = await page.locator('[data-renewal]').allTextContents();
        expect(states).toEqual(['confirmed', 'confirmed']);
        await checkPage(page, 'bulk-progress');
        for (const domain of picked) expect(await simRenewals(domain)).toBe(1);

        // A renewal Dynadot drops before acting on: the engine cannot prove it, an operator settles it.
        await fetch(`${dynadot}/__sim/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fault: { kind: 'drop_before' }, match: 'renew' }),
        });
        const asked = await fetch(`${local.url}/v1/domains/sim-dynadot.com/renew`, {
          method: 'POST',
          headers: { authorization: `Bearer ${local.adminApiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ years: 1, account: 'dynadot' }),
        });
        const { id } = (await asked.json()) as { id: string };
        const settleButton = page.locator(`form[action="/app/renewals/${id}/resolve"] button`);
        for (let i = 0; i < 60 && (await settleButton.count()) === 0; i++) {
          await page.goto(`${local.url}/app/renewals`);
          if ((await settleButton.count()) === 0) await page.waitForTimeout(500);
        }
        await fetch(`${dynadot}/__sim/faults`, { method: 'DELETE' });
        await checkPage(page, 'renewals');
        const form = page.locator(`form[action="/app/renewals/${id}/resolve"]`);
        await form.getByLabel('It did not renew (failed)').check();
        await form.getByLabel('What you checked').fill('checked the Dynadot panel: not renewed');
        await settleButton.click();
        await page.waitForURL(`${local.url}/app/renewals/${id}`);
        await expect(page.locator('.facts .state').textContent()).resolves.toBe('failed');
        await checkPage(page, 'renewal');
        expect(await simRenewals('sim-dynadot.com')).toBe(0);

        // A viewer: no checkbox, no renew button, no settle form.
        const created = await fetch(`${local.url}/v1/api-keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${local.adminApiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'viewer', scopes: ['read'] }),
        });
        const { key: token } = (await created.json()) as { key: string };
        const viewer = await (await browser.newContext({ locale: 'en-US' })).newPage();
        await viewer.goto(`${local.url}/app/sign-in`);
        await viewer.getByLabel('API key').fill(token);
        await viewer.getByRole('button', { name: 'Sign in' }).click();
        await viewer.waitForURL(`${local.url}/app`);
        expect(await viewer.getByRole('button', { name: 'Renew selected' }).count()).toBe(0);
        expect(await viewer.locator('input[name=pick]').count()).toBe(0);
        await viewer.goto(`${local.url}/app/renewals`);
        expect(await viewer.locator('form.settle').count()).toBe(0);
      } finally {
        await browser.close();
      }
    },
  );
});
