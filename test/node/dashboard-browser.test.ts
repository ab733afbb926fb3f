/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against the
 * running local stack (simulators + `wrangler dev`), as an operator uses it: sign in with the API
 * key, find a seeded domain by search, download the CSV and check its rows against the REST API,
 * see the expiry timeline and the money page (with a price comparison), switch to Chinese, sign out. Every page is checked by axe-core (no serious or critical
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
  local = await startLocalStack();
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
async function apiExpiringWithin(days: number): Promise<number> {
  const now = Date.now();
  return (await apiInventory()).filter((d) => {
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
          'domain,account,registrar,expires_at,days_left,auto_renew,locked,status,last_sync',
        );
        const csvDomains = lines.slice(1).map((l) => l.split(',')[0]);
        expect(csvDomains.length).toBeGreaterThan(0);
        expect(csvDomains).toEqual((await apiInventory()).map((d) => d.domain));

        // The expiry timeline: the chart and its table hold every domain expiring within 90 days.
        await page.getByRole('link', { name: 'Expiry timeline' }).click();
        await page.waitForURL(`${local.url}/app/timeline`);
        await expect(page.getByRole('heading', { level: 1, name: 'Expiry timeline' }).count()).resolves.toBe(
          1,
        );
        const totals = await page.locator('#timeline-table td[data-total]').allTextContents();
        expect(totals.reduce((sum, n) => sum + Number(n), 0)).toBe(await apiExpiringWithin(90));
        if (totals.length > 0) {
          await expect(page.getByRole('img', { name: 'Domains expiring per week' }).count()).resolves.toBe(1);
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
});
