/**
 * The portfolio's filters as they travel in the page's query string (a GET form, so a view can be
 * bookmarked and its CSV downloaded with the same parameters). An empty field means "any".
 * Values are checked as the REST API checks them (the same account and status rules).
 */
import { z } from 'zod';
import { accountNameSchema } from '../core/account-names';
import { CURSOR_PATTERN } from '../core/cursor';
import type { InventoryFilter } from '../core/domains';
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
  cursor: optional(z.string().regex(CURSOR_PATTERN, 'not a cursor of this page')),
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

/** The query string of a view (without its cursor unless given): links to pages and exports. */
export function viewSearch(query: PortfolioQuery, cursor?: string): string {
  const params = new URLSearchParams();
  const entries: Array<[string, string | number | undefined]> = [
    ['q', query.q],
    ['account', query.account],
    ['tld', query.tld],
    ['within', query.within],
    ['status', query.status],
    ['sort', query.sort],
    ['cursor', cursor],
  ];
  for (const [name, value] of entries) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
