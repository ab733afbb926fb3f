/**
 * "Download CSV" of the renewals list: every renewal of the current filter (not only the page
 * shown), newest first, walked 100 at a time (the engine's largest page), under the portfolio
 * CSV's rules (csv.ts: RFC 4180, the formula guard). `domain` is the item's key (a domain's name, or
 * `<kind>:<id>` for a service), as the API's `domain` field; `kind` and `item` split it.
 */
import type { Context } from 'hono';
import { listRenewals, type Renewal } from '../core/renewals';
import { csvLine } from './csv';
import { streamPages } from './exports';
import { parseRenewalsQuery, renewalFilter } from './renewals-query';
import type { DashboardBindings } from './session';

const EXPORT_PAGE_SIZE = 100;

const CSV_COLUMNS = [
  'id',
  'domain',
  'kind',
  'item',
  'account',
  'registrar',
  'years',
  'state',
  'expected_expiry',
  'new_expiry',
  'cost',
  'currency',
  'door',
  'asked_by',
  'reason',
  'requested_at',
  'updated_at',
];

function csvRow(r: Renewal): string {
  return csvLine([
    r.id,
    r.domain,
    r.kind,
    r.item,
    r.account,
    r.provider,
    r.years,
    r.state,
    r.expectedExpiry,
    r.newExpiry,
    r.charged?.amount,
    r.charged?.currency,
    r.source,
    r.actor,
    r.reason,
    r.createdAt,
    r.updatedAt,
  ]);
}

/** `GET /app/renewals.csv?<the list's filters>`. */
export function renewalsCsv(c: Context<DashboardBindings>) {
  const query = parseRenewalsQuery(c.req.query());
  const filter = renewalFilter({ ...query, cursor: undefined }, EXPORT_PAGE_SIZE);
  const body = streamPages((cursor) => listRenewals(c.env.DB, { ...filter, cursor }), {
    head: csvLine(CSV_COLUMNS),
    render: (items) => items.map(csvRow).join(''),
    tail: '',
  });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="renewals.csv"',
  });
}
