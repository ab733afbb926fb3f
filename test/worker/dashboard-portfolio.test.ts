/**
 * The portfolio page and its exports over a seeded inventory of 1,200 domains (more than two CSV
 * pages of 500, 24 screen pages): search, filters, both sort orders walked page by page with the
 * cursor, the CSV of a filtered view (every row, correct quoting, formula-injection guard) and the
 * iCal feed (RFC 5545 shape, revoked with its key).
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/core/api-keys';
import { ADMIN_KEY, clearApiTables, keyWith, seedInventory } from './api-support';
import { type Browser, browser, domainsOf, nextPageOf, signIn } from './dashboard-support';

const DAY = 86_400_000;
const days = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const ACCOUNTS = ['dynadot', 'mrdomain', 'logicboxes'];
const TLDS = ['com', 'net', 'co.uk'];

/** Domain i: spread over three accounts and TLDs; expiries from 3 days ago to ~4 years ahead. */
function seeded(i: number) {
  const name = `site${String(i).padStart(4, '0')}.${TLDS[i % 3]}`;
  return {
    domain: name,
    account: ACCOUNTS[i % 3]!,
    expiresAt: days(((i * 37) % 1500) - 3),
    status: i % 50 === 0 ? ['expired', 'grace'] : ['active'],
  };
}
const COUNT = 1200;
const ALL = Array.from({ length: COUNT }, (_, i) => seeded(i));
// Names a spreadsheet would read as formulas, and one needing quotes.
const TRICKY = [
  { domain: '=cmd.com', account: 'dynadot', expiresAt: days(9), status: ['active'] },
  { domain: '+sum.com', account: 'dynadot', expiresAt: days(9), status: ['active'] },
  { domain: '-minus.com', account: 'dynadot', expiresAt: days(9), status: ['active'] },
  { domain: '@at.com', account: 'dynadot', expiresAt: days(9), status: ['active'] },
  { domain: 'quote"comma,.com', account: 'dynadot', expiresAt: days(9), status: ['active'] },
];

let admin: Browser;

beforeAll(async () => {
  await clearApiTables();
  for (let i = 0; i < ALL.length; i += 100) await seedInventory(ALL.slice(i, i + 100));
  await seedInventory([
    ...TRICKY,
    { domain: 'gone.com', account: 'dynadot', expiresAt: days(5), vanished: true },
  ]);
  admin = browser();
  await signIn(admin, ADMIN_KEY);
});

/** Walks every screen page of a view; the names in order and how many pages it took. */
async function walk(search: string): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let path: string | undefined = `/app${search}`;
  let pages = 0;
  while (path && pages < 100) {
    const res = await admin.get(path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    names.push(...domainsOf(html));
    path = nextPageOf(html);
    pages++;
  }
  return { names, pages };
}

const held = [...ALL, ...TRICKY];

describe('the portfolio page', () => {
  it('is the first page after sign-in, with every column, in one response', async () => {
    const html = await (await admin.get('/app')).text();
    for (const column of [
      'Domain',
      'Account',
      'Registrar',
      'Expiry',
      'Days left',
      'Auto-renew',
      'Lock',
      'Last sync',
    ])
      expect(html).toContain(`<th scope="col">${column}</th>`);
    expect(domainsOf(html)).toHaveLength(50);
    expect(html).toContain('<main id="main"');
    expect(html).toContain('href="#main"');
  });

  it('walks all domains once, by name, 50 a page, vanished ones left out', async () => {
    const { names, pages } = await walk('');
    expect(names).toEqual(held.map((d) => d.domain).sort());
    expect(pages).toBe(Math.ceil(held.length / 50));
  });

  it('sorts by expiry (soonest first) across pages', async () => {
    const { names } = await walk('?sort=expiry&account=mrdomain');
    const expected = held
      .filter((d) => d.account === 'mrdomain')
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.domain.localeCompare(b.domain))
      .map((d) => d.domain);
    expect(names).toEqual(expected);
  });

  it('searches by name and filters by account, TLD, expiry window and status', async () => {
    expect((await walk('?q=site012')).names).toEqual(
      held
        .filter((d) => d.domain.includes('site012'))
        .map((d) => d.domain)
        .sort(),
    );
    const cases: Array<[string, (d: (typeof held)[number]) => boolean]> = [
      ['?tld=co.uk', (d) => d.domain.endsWith('.co.uk')],
      ['?tld=.net&account=logicboxes', (d) => d.domain.endsWith('.net') && d.account === 'logicboxes'],
      ['?within=30', (d) => Date.parse(d.expiresAt) <= Date.now() + 30 * DAY],
      ['?status=grace', (d) => d.status.includes('grace')],
      ['?q=_', () => false],
    ];
    for (const [search, keep] of cases) {
      expect((await walk(search)).names, search).toEqual(
        held
          .filter(keep)
          .map((d) => d.domain)
          .sort(),
      );
    }
  });

  it('answers 400 naming the field for a bad filter', async () => {
    for (const search of [
      '?within=abc',
      '?status=sleeping',
      '?account=Bad%20Name',
      '?cursor=!!',
      '?sort=size',
    ]) {
      const res = await admin.get(`/app${search}`);
      expect(res.status, search).toBe(400);
    }
    // A cursor of the name order is refused by the expiry order.
    const next = nextPageOf(await (await admin.get('/app')).text())!;
    const cursor = new URL(next, 'http://x').searchParams.get('cursor')!;
    expect((await admin.get(`/app?sort=expiry&cursor=${cursor}`)).status).toBe(400);
  });
});

/** RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field, 'the CSV ends with CRLF').toBe('');
  return rows;
}

describe('Download CSV', () => {
  it('streams every row of the filtered view (all pages), not only the page shown', async () => {
    const res = await admin.get('/app/portfolio.csv?q=site&sort=expiry');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="portfolio.csv"');
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual([
      'kind',
      'item',
      'account',
      'registrar',
      'expires_at',
      'days_left',
      'auto_renew',
      'locked',
      'status',
      'last_sync',
      'name',
      'renewal_price',
      'renewal_currency',
    ]);
    const expected = held.filter((d) => d.domain.includes('site'));
    expect(expected.length).toBeGreaterThan(500);
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['domain']));
    const byName = new Map(rows.map((r) => [r[1]!.replace(/^'/, ''), r]));
    for (const d of expected) expect(byName.get(d.domain)?.[4], d.domain).toBe(d.expiresAt);
    // In the view's order: expiry, soonest first.
    const expiries = rows.map((r) => r[4]!);
    expect(expiries).toEqual([...expiries].sort());
  });

  it('quotes as RFC 4180 says and defuses cells a spreadsheet would run as formulas', async () => {
    const text = await (await admin.get('/app/portfolio.csv?within=10&account=dynadot')).text();
    const rows = parseCsv(text).slice(1);
    const names = rows.map((r) => r[1]);
    expect(names).toEqual(
      expect.arrayContaining(["'=cmd.com", "'+sum.com", "'-minus.com", "'@at.com", 'quote"comma,.com']),
    );
    expect(text).toContain('"quote""comma,.com"');
    for (const row of rows) {
      for (const cell of row) expect(cell, row.join('|')).not.toMatch(/^[=+@]/);
      expect(row[5], 'days left stays a number').toMatch(/^-?\d+$/);
    }
  });

  it('needs a session', async () => {
    const res = await browser().get('/app/portfolio.csv');
    expect(res.status).toBe(303);
  });
});

/** The calendar URL shown on the portfolio page. */
async function calendarPath(b: Browser): Promise<string> {
  const html = await (await b.get('/app')).text();
  const url = /id="calendar-url"[^>]*value="([^"]+)"/.exec(html)?.[1];
  expect(url).toBeDefined();
  return new URL(url!).pathname;
}

describe('the iCal feed', () => {
  it('is RFC 5545: CRLF lines of at most 75 octets, one all-day event per expiry with UID and DTSTAMP', async () => {
    const path = await calendarPath(admin);
    expect(path).toMatch(/^\/app\/calendar\/[a-z0-9-]+\.[A-Za-z0-9_-]+\.ics$/);
    // No cookie: a calendar app fetches it.
    const res = await browser().get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const physical = text.split('\r\n').slice(0, -1);
    for (const line of physical) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    // Unfolded: a continuation line starts with one space.
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    const events = lines.filter((l) => l === 'BEGIN:VEVENT').length;
    expect(events).toBe(held.length);
    const uids = lines.filter((l) => l.startsWith('UID:'));
    expect(new Set(uids).size).toBe(held.length);
    expect(lines.filter((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toHaveLength(held.length);
    const first = held[0]!;
    expect(lines).toContain(`DTSTART;VALUE=DATE:${first.expiresAt.slice(0, 10).replace(/-/g, '')}`);
    // TEXT values escape commas and quotes stay as they are.
    expect(lines.some((l) => l.startsWith('SUMMARY:quote"comma\\,.com expires (dynadot)'))).toBe(true);
  });

  it('dies with its key, and a forged token is not found', async () => {
    const key = await keyWith(['read']);
    const b = browser();
    await signIn(b, key);
    const path = await calendarPath(b);
    expect((await browser().get(path)).status).toBe(200);
    const forged = path.replace(/\.([A-Za-z0-9_-]{4})/, '.AAAA');
    expect((await browser().get(forged)).status).toBe(404);
    const { results } = await env.DB.prepare("SELECT id FROM api_keys WHERE name = 'test-read'").all<{
      id: string;
    }>();
    await revokeApiKey(env.DB, results[0]!.id);
    expect((await browser().get(path)).status).toBe(404);
  });
});
