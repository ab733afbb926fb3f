/**
 * Exports of the portfolio: the CSV of the current view and the per-key iCal feed of expiries.
 * Both walk the inventory a page at a time (keyset cursor) into a streamed response, so a
 * 10,000-domain portfolio never sits in memory at once.
 */
import { type Context, Hono } from 'hono';
import { type InventoryDomain, type InventoryFilter, listInventory } from '../core/domains';
import { GatewayError } from '../core/errors';
import { hasScope } from '../handlers/auth';
import { csvLine } from './csv';
import { CALENDAR_FOOTER, CALENDAR_HEADER, expiryEventLines, icalText } from './ical';
import { EXPORT_PAGE_SIZE, inventoryFilter, parsePortfolioQuery } from './portfolio-query';
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

const CSV_COLUMNS = [
  'domain',
  'account',
  'registrar',
  'expires_at',
  'days_left',
  'auto_renew',
  'locked',
  'status',
  'last_sync',
];

function csvRow(d: InventoryDomain, now: number): string {
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no');
  const left =
    d.expiresAt === undefined ? undefined : Math.floor((Date.parse(d.expiresAt) - now) / 86_400_000);
  return csvLine([
    d.domain,
    d.account,
    d.provider,
    d.expiresAt,
    left,
    flag(d.autoRenew),
    flag(d.locked),
    d.status.join(' '),
    d.lastSeen,
  ]);
}

/** `GET /app/portfolio.csv?<the view's filters>`: every row of the view, not only the page shown. */
export function portfolioCsv(c: Context<DashboardBindings>) {
  const parsed = parsePortfolioQuery(c.req.query());
  if (!parsed.ok) throw new GatewayError('invalid_request', { message: parsed.problems.join('; ') });
  const filter = inventoryFilter({ ...parsed.query, cursor: undefined }, EXPORT_PAGE_SIZE);
  const now = Date.now();
  const body = streamPages(inventoryPages(c.env.DB, filter), {
    head: csvLine(CSV_COLUMNS),
    render: (items) => items.map((d) => csvRow(d, now)).join(''),
    tail: '',
  });
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
