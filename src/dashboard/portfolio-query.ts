/**
 * The portfolio's filters as they travel in the page's query string (a GET form, so a view can be
 * bookmarked and its CSV downloaded with the same parameters). An empty field means "any".
 * Values are checked as the REST API checks them (the same account and status rules).
 *
 * The view holds two tables: domains and services (hosting, mail, certificates), each paged by its
 * own cursor (`cursor`, `scursor`). `kind` narrows it to one of them; the account and expiry
 * window apply to both; name, TLD and status describe domains only, so a view using them lists
 * domains only (a service has no TLD, and its statuses are not a domain's).
 */
import { z } from 'zod';
import { accountNameSchema } from '../core/account-names';
import { CURSOR_PATTERN } from '../core/cursor';
import type { InventoryFilter } from '../core/domains';
import { ITEM_KINDS } from '../core/model';
import type { ServiceFilter } from '../core/services';
import { DomainStatusSchema } from '../handlers/v1/common';

/** Rows per page on screen; the CSV and the calendar walk pages of the largest size instead. */
export const SCREEN_PAGE_SIZE = 50;
export const EXPORT_PAGE_SIZE = 500;

const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsAbsent, schema.optional());

const PortfolioQuerySchema = z.object({
  q: optional(z.string().trim().toLowerCase().max(253, 'at most 253 characters')),
  account: optional(accountNameSchema),
  tld: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .transform((v) => v.replace(/^\./, ''))
      .pipe(z.string().regex(/^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){0,3}$/, 'not a TLD such as com or co.uk')),
  ),
  within: optional(z.coerce.number().int('a whole number of days').min(0).max(3650)),
  status: optional(DomainStatusSchema),
  sort: optional(z.enum(['name', 'expiry'])),
  kind: optional(z.enum(ITEM_KINDS)),
  cursor: optional(z.string().regex(CURSOR_PATTERN, 'not a cursor of this page')),
  scursor: optional(z.string().regex(CURSOR_PATTERN, 'not a cursor of this page')),
});

export type PortfolioQuery = z.infer<typeof PortfolioQuerySchema>;

export type QueryParse = { ok: true; query: PortfolioQuery } | { ok: false; problems: string[] };

export function parsePortfolioQuery(params: Record<string, string>): QueryParse {
  const parsed = PortfolioQuerySchema.safeParse(params);
  if (parsed.success) return { ok: true, query: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

/** The core filter of a view (the cursor and page size are the caller's). */
export function inventoryFilter(query: PortfolioQuery, limit: number): InventoryFilter {
  return {
    account: query.account,
    expiringWithinDays: query.within,
    status: query.status,
    nameContains: query.q,
    tld: query.tld,
    sort: query.sort === 'expiry' ? 'expiry' : 'domain',
    cursor: query.cursor,
    limit,
  };
}

/** Whether the view lists domains: any kind, or `domain`. */
export function showsDomains(query: PortfolioQuery): boolean {
  return query.kind === undefined || query.kind === 'domain';
}

/** Whether the view lists services: no domain-only filter, and any kind or a service kind. */
export function showsServices(query: PortfolioQuery): boolean {
  const domainOnly = query.q !== undefined || query.tld !== undefined || query.status !== undefined;
  return !domainOnly && query.kind !== 'domain';
}

/** The core filter of the view's services (soonest expiry first: the one order services have). */
export function serviceFilter(query: PortfolioQuery, limit: number, now = Date.now()): ServiceFilter {
  return {
    account: query.account,
    kind: query.kind === undefined || query.kind === 'domain' ? undefined : query.kind,
    expiresBefore:
      query.within === undefined ? undefined : new Date(now + query.within * 86_400_000).toISOString(),
    cursor: query.scursor,
    limit,
  };
}

/** The query string of a view (without its cursor unless given): links to pages and exports. */
export function viewSearch(
  query: PortfolioQuery,
  cursor?: string,
  serviceCursor: string | undefined = query.scursor,
): string {
  const params = new URLSearchParams();
  const entries: Array<[string, string | number | undefined]> = [
    ['q', query.q],
    ['account', query.account],
    ['tld', query.tld],
    ['within', query.within],
    ['status', query.status],
    ['sort', query.sort],
    ['kind', query.kind],
    ['cursor', cursor],
    ['scursor', serviceCursor],
  ];
  for (const [name, value] of entries) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
