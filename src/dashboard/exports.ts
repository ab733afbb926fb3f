/**
 * Exports of the portfolio: the CSV of the current view (its domains, then its services) and the
 * per-key iCal feed of expiries. Both walk the inventory a page at a time (keyset cursor) into a
 * streamed response, so a 10,000-domain portfolio never sits in memory at once.
 */
import { type Context, Hono } from 'hono';
import { type InventoryDomain, type InventoryFilter, listInventory } from '../core/domains';
import { GatewayError } from '../core/errors';
import { type InventoryService, listServices, type ServiceFilter } from '../core/services';
import { hasScope } from '../handlers/auth';
import { csvLine } from './csv';
import { CALENDAR_FOOTER, CALENDAR_HEADER, expiryEventLines, icalText } from './ical';
import { daysLeft } from './item-format';
import {
  EXPORT_PAGE_SIZE,
  inventoryFilter,
  parsePortfolioQuery,
  serviceFilter,
  showsDomains,
  showsServices,
} from './portfolio-query';
import { type DashboardBindings, principalForKeyRef } from './session';
import { calendarKeyRef } from './tokens';

/** Streams `head`, then each page `next` fetches (from its cursor) through `render`, then `tail`. */
export function streamPages<T>(
  next: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
  parts: { head: string; render: (page: T[]) => string; tail: string },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let state: 'head' | 'rows' | 'done' = 'head';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (state === 'head') {
        state = 'rows';
        controller.enqueue(encoder.encode(parts.head));
        return;
      }
      const page = await next(cursor);
      const text = parts.render(page.items);
      if (text) controller.enqueue(encoder.encode(text));
      cursor = page.nextCursor;
      if (!cursor) {
        controller.enqueue(encoder.encode(parts.tail));
        state = 'done';
        controller.close();
      }
    },
  });
}

/** The pages of an inventory view, walked by its keyset cursor. */
function inventoryPages(db: D1Database, filter: InventoryFilter) {
  return (cursor: string | undefined) => listInventory(db, { ...filter, cursor });
}

type Page<T> = { items: T[]; nextCursor?: string };
type Pages<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * One walk over two keyset-paged lists, the first then the second: the cursor says which list it
 * is in (`a.` or `b.`) and that list's own cursor.
 */
export function chainPages<T>(first: Pages<T> | undefined, second: Pages<T> | undefined): Pages<T> {
  const parts = [first, second].flatMap((p, i) => (p ? [{ tag: i === 0 ? 'a' : 'b', pages: p }] : []));
  return async (cursor) => {
    const at = cursor === undefined ? 0 : parts.findIndex((p) => cursor.startsWith(`${p.tag}.`));
    const part = parts[at];
    if (!part) return { items: [] };
    const page = await part.pages(cursor?.slice(2) || undefined);
    const following = parts[at + 1];
    const nextCursor = page.nextCursor
      ? `${part.tag}.${page.nextCursor}`
      : following
        ? `${following.tag}.`
        : undefined;
    return { items: page.items, ...(nextCursor ? { nextCursor } : {}) };
  };
}

/** `kind` first: domains are `domain`; `item` is the domain name or the service's id. */
const CSV_COLUMNS = [
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
];

function domainCsvRow(d: InventoryDomain, now: Date): string {
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no');
  return csvLine([
    'domain',
    d.domain,
    d.account,
    d.provider,
    d.expiresAt,
    daysLeft(d.expiresAt, now),
    flag(d.autoRenew),
    flag(d.locked),
    d.status.join(' '),
    d.lastSeen,
    d.domain,
    undefined,
    undefined,
  ]);
}

/** A service: no auto-renew or lock of its own; its quoted price (currency `POINTS` for points). */
function serviceCsvRow(s: InventoryService, now: Date): string {
  return csvLine([
    s.kind,
    s.id,
    s.account,
    s.provider,
    s.expiresAt,
    daysLeft(s.expiresAt, now),
    undefined,
    undefined,
    s.status,
    s.lastSeen,
    s.name,
    s.renewalPrice?.amount,
    s.renewalPrice?.currency,
  ]);
}

/** The pages of a service view, walked by its keyset cursor. */
function servicePages(db: D1Database, filter: ServiceFilter): Pages<string> {
  return async (cursor) => {
    const now = new Date();
    const page = await listServices(db, { ...filter, cursor });
    return { ...page, items: page.items.map((s) => serviceCsvRow(s, now)) };
  };
}

/** `GET /app/portfolio.csv?<the view's filters>`: every row of the view, not only the page shown. */
export function portfolioCsv(c: Context<DashboardBindings>) {
  const parsed = parsePortfolioQuery(c.req.query());
  if (!parsed.ok) throw new GatewayError('invalid_request', { message: parsed.problems.join('; ') });
  const query = { ...parsed.query, cursor: undefined, scursor: undefined };
  const db = c.env.DB;
  const domains: Pages<string> = async (cursor) => {
    const now = new Date();
    const page = await inventoryPages(db, inventoryFilter(query, EXPORT_PAGE_SIZE))(cursor);
    return { ...page, items: page.items.map((d) => domainCsvRow(d, now)) };
  };
  const body = streamPages(
    chainPages(
      showsDomains(query) ? domains : undefined,
      showsServices(query) ? servicePages(db, serviceFilter(query, EXPORT_PAGE_SIZE)) : undefined,
    ),
    { head: csvLine(CSV_COLUMNS), render: (lines) => lines.join(''), tail: '' },
  );
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="portfolio.csv"',
  });
}

/**
 * `GET /app/calendar/<token>.ics`: no cookie (calendar apps have none); the token is the secret,
 * re-checked against the key it names on every fetch, so revoking the key ends the feed.
 */
export function calendarRoutes() {
  const app = new Hono<DashboardBindings>();
  app.get('/:file{[A-Za-z0-9_.-]+\\.ics}', async (c) => {
    const key = c.get('sessionKey');
    const token = c.req.param('file').slice(0, -'.ics'.length);
    const keyRef = key ? await calendarKeyRef(key, token) : undefined;
    const principal = keyRef ? await principalForKeyRef(keyRef, c.get('config'), c.env.DB) : undefined;
    // One answer for a forged token and a revoked key: the URL no longer exists.
    if (!principal || !hasScope(principal, 'read')) {
      throw new GatewayError('not_found', { message: 'no such calendar' });
    }
    const stamp = new Date();
    const filter: InventoryFilter = { sort: 'expiry', limit: EXPORT_PAGE_SIZE };
    const body = streamPages(inventoryPages(c.env.DB, filter), {
      head: icalText(CALENDAR_HEADER),
      render: (items) =>
        icalText(
          items.flatMap((d) =>
            d.expiresAt ? expiryEventLines({ ...d, expiresAt: d.expiresAt }, stamp) : [],
          ),
        ),
      tail: icalText(CALENDAR_FOOTER),
    });
    return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8' });
  });
  return app;
}
