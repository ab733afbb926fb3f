/**
 * The renewals list's filters as they travel in the page's query string (a GET form, so a view is
 * a URL and its CSV is downloaded with the same parameters). An empty field means "any". Values
 * are checked as the REST API checks `GET /v1/renewals` (the same states, doors, kinds and account rule).
 */
import { z } from 'zod';
import { accountNameSchema } from '../core/account-names';
import { CURSOR_PATTERN } from '../core/cursor';
import { GatewayError } from '../core/errors';
import { ITEM_KINDS } from '../core/model';
import { RENEWAL_SOURCES, RENEWAL_STATES, type RenewalFilter } from '../core/renewals';

const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsAbsent, schema.optional());

const RenewalsQuerySchema = z.object({
  state: optional(z.enum(RENEWAL_STATES)),
  source: optional(z.enum(RENEWAL_SOURCES)),
  account: optional(accountNameSchema),
  kind: optional(z.enum(ITEM_KINDS)),
  cursor: optional(z.string().regex(CURSOR_PATTERN, 'not a cursor of this page')),
});

export type RenewalsQuery = z.infer<typeof RenewalsQuerySchema>;

export function parseRenewalsQuery(params: Record<string, string>): RenewalsQuery {
  const parsed = RenewalsQuerySchema.safeParse(params);
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error);
}

/** The API's 400 for a bad query or form, naming each field; rendered by routes.tsx's one mapping. */
export function invalidInput(error: z.ZodError): GatewayError {
  return new GatewayError('invalid_request', {
    message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  });
}

export function renewalFilter(query: RenewalsQuery, limit: number): RenewalFilter {
  return {
    state: query.state,
    source: query.source,
    account: query.account,
    kind: query.kind,
    cursor: query.cursor,
    limit,
  };
}

/** The query string of a view (without its cursor unless given): pager links and the CSV. */
export function renewalsSearch(query: RenewalsQuery, cursor?: string): string {
  const params = new URLSearchParams();
  const entries: Array<[string, string | undefined]> = [
    ['state', query.state],
    ['source', query.source],
    ['account', query.account],
    ['kind', query.kind],
    ['cursor', cursor],
  ];
  for (const [name, value] of entries) if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
