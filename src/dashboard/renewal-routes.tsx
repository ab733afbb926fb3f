/**
 * The renewals part of the dashboard door: the list and its `needs_attention` queue, one renewal,
 * settling (the API's resolve route), bulk renew from the portfolio with its progress, and the
 * CSV. Each route parses the form or query, calls the engine the REST API calls, and renders.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../core/errors';
import {
  type EngineContext,
  getRenewal,
  listRenewals,
  type Renewal,
  renewalHistory,
  resolveRenewal,
} from '../core/renewals';
import {
  BULK_LIMIT,
  type BulkOutcome,
  batchOf,
  bulkItemsOf,
  ConfirmPage,
  isFinalState,
  ProgressPage,
  priceItems,
  requireBatch,
  submitBulk,
} from './bulk-renew';
import type { Frame } from './layout';
import { renewalsCsv } from './renewals-csv';
import { type AttentionItem, RenewalPage, RenewalsPage } from './renewals-page';
import { invalidInput, parseRenewalsQuery, renewalFilter } from './renewals-query';
import { type DashboardBindings, requireFormToken, requireSession } from './session';

const RENEWAL_ID = '{rnw_[a-f0-9]{32}}';
const SCREEN_PAGE_SIZE = 50;
/** The queue shows this many `needs_attention` renewals, oldest trail lines first fetched per card. */
const QUEUE_SIZE = 20;
const LAST_CHECKS = 4;

type DashboardContext = Context<DashboardBindings>;

function engineOf(c: DashboardContext): EngineContext {
  return { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') };
}

const SettleForm = z.object({
  outcome: z.enum(['confirmed', 'failed']),
  note: z.string().trim().min(1, 'say what you checked').max(500),
  newExpiry: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)')
      .optional(),
  ),
});

/** Renewals named in the query (`id` repeated), as far as they exist: progress and its JSON. */
async function renewalsNamed(c: DashboardContext): Promise<Renewal[]> {
  const ids = (c.req.queries('id') ?? []).slice(0, BULK_LIMIT);
  const found = await Promise.all(ids.map((id) => getRenewal(c.env.DB, id)));
  return found.filter((r): r is Renewal => r !== undefined);
}

export function registerRenewalPages(app: Hono<DashboardBindings>, frameOf: (c: DashboardContext) => Frame) {
  app.get('/renewals', requireSession('read'), async (c) => {
    const query = parseRenewalsQuery(c.req.query());
    const db = c.env.DB;
    const [page, queue] = await Promise.all([
      listRenewals(db, renewalFilter(query, SCREEN_PAGE_SIZE)),
      listRenewals(db, { state: 'needs_attention', limit: QUEUE_SIZE }),
    ]);
    const attention: AttentionItem[] = await Promise.all(
      queue.items.map(async (renewal) => ({
        renewal,
        lastChecks: (await renewalHistory(db, renewal.id)).slice(-LAST_CHECKS),
      })),
    );
    const accounts = c
      .get('config')
      .accounts.map((a) => a.name)
      .sort();
    const view = { query, items: page.items, nextCursor: page.nextCursor, attention, accounts };
    return c.html(<RenewalsPage frame={frameOf(c)} view={view} />);
  });

  app.get('/renewals.csv', requireSession('read'), renewalsCsv);

  // Bulk renew: the portfolio's picks → the confirmation (re-rendered by "Update totals" and
  // "Apply to all", keeping its one-time id) → one intent per domain.
  app.post('/renewals/confirm', requireSession('renew'), requireFormToken(), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const items = await priceItems(c.get('accounts'), bulkItemsOf(body));
    return c.html(<ConfirmPage frame={frameOf(c)} batch={batchOf(body)} items={items} />);
  });

  // The response is the progress page itself: a reload posts the same confirmation again, whose
  // keys answer with the renewals already recorded.
  app.post('/renewals/submit', requireSession('renew'), requireFormToken(), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const batch = requireBatch(body);
    const items = bulkItemsOf(body);
    if (items.length === 0) throw new GatewayError('invalid_request', { message: 'no domain was selected' });
    const outcomes = await submitBulk(engineOf(c), c.get('session')!.principal.name, batch, items);
    return c.html(<ProgressPage frame={frameOf(c)} outcomes={outcomes} />);
  });

  app.get('/renewals/progress', requireSession('read'), async (c) => {
    const outcomes: BulkOutcome[] = (await renewalsNamed(c)).map((renewal) => ({
      account: renewal.account,
      domain: renewal.domain,
      years: renewal.years,
      renewal,
    }));
    return c.html(<ProgressPage frame={frameOf(c)} outcomes={outcomes} />);
  });

  // What dashboard.js polls while a progress page has renewals not yet final.
  app.get('/renewals/status.json', requireSession('read'), async (c) => {
    const items = (await renewalsNamed(c)).map((r) => ({
      id: r.id,
      state: r.state,
      final: isFinalState(r.state),
    }));
    return c.json({ items, final: items.every((i) => i.final) });
  });

  app.get(`/renewals/:id${RENEWAL_ID}`, requireSession('read'), async (c) => {
    const id = c.req.param('id');
    const renewal = await getRenewal(c.env.DB, id);
    if (!renewal) throw new GatewayError('not_found', { message: `no renewal ${id}` });
    const history = await renewalHistory(c.env.DB, id);
    return c.html(<RenewalPage frame={frameOf(c)} renewal={renewal} history={history} />);
  });

  // Settling asserts what happened at the registrar: admins only, as POST /v1/renewals/{id}/resolve.
  app.post(`/renewals/:id${RENEWAL_ID}/resolve`, requireSession('admin'), requireFormToken(), async (c) => {
    const id = c.req.param('id');
    const parsed = SettleForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw invalidInput(parsed.error);
    const { outcome, note, newExpiry } = parsed.data;
    await resolveRenewal(engineOf(c), id, {
      outcome,
      note,
      ...(newExpiry ? { newExpiry: `${newExpiry}T00:00:00.000Z` } : {}),
      actor: c.get('session')!.principal.name,
      source: 'dashboard',
    });
    return c.redirect(`/app/renewals/${id}`, 303);
  });
}
