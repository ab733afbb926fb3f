/**
 * Outbound billing callbacks: when a renewal a billing webhook asked for reaches a final state, its
 * result is POSTed to that source's callback URL, signed the Standard Webhooks way with the
 * source's secrets (one signature per secret, for rotations), through the queue (`webhook.callback` jobs), retried with exponential
 * backoff up to a bound, every attempt recorded in `webhook_callback_attempts`.
 *
 * The callback's `webhook-id` is the same on every attempt (`<renewal id>_<state>`, e.g.
 * `rnw_3f2a…_confirmed`), so the receiver can drop duplicates the Standard Webhooks way. The alert
 * webhook (notifications.ts) sends the same envelope, with the same id for a renewal's outcome.
 */
import type { BillingSource, Env, WebhookConfig } from '../env';
import { BILLING_SOURCES, configFor } from '../env';
import { withDeadline } from './deadline';
import type { JobMessage } from './jobs';
import { type Logger, urlWithoutCredentials } from './log';
import type { Money } from './model';
import { standardHeaders } from './webhook-signing';

export const CALLBACK_JOB = 'webhook.callback';

/**
 * The `webhook-id` of a renewal's final outcome, on every channel and every attempt: the renewal id
 * (already `rnw_…`) and the state, e.g. `rnw_3f2a…_confirmed`.
 */
export function renewalEventId(renewalId: string, state: string): string {
  return `${renewalId}_${state}`;
}

/** Renewal states after which nothing more happens (the engine's FINAL_STATES). */
export const CALLBACK_STATES: ReadonlySet<string> = new Set(['confirmed', 'failed', 'needs_attention']);

const CALLBACK_TIMEOUT_MS = 10_000;
const MAX_RETRY_DELAY_SECONDS = 3600;

export interface WebhookRenewalLink {
  renewalId: string;
  source: BillingSource;
  deliveryId: string;
  reference: string;
}

/** Remembers which delivery asked for a renewal; false when the renewal was already linked. */
export async function linkRenewal(
  db: D1Database,
  link: WebhookRenewalLink,
  now = new Date(),
): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO webhook_renewals (renewal_id, source, delivery_id, reference, created_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (renewal_id, source) DO NOTHING`,
    )
    .bind(link.renewalId, link.source, link.deliveryId, link.reference, now.toISOString())
    .run();
  return res.meta.changes === 1;
}

export interface CallbackJob extends JobMessage {
  type: typeof CALLBACK_JOB;
  renewalId: string;
  source: BillingSource;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * Called when a renewal reaches a final state (from `notifyRenewalFinal`): queues one callback per
 * billing source that asked for it and has a callback URL. Renewals no webhook asked for are
 * skipped, so this is safe to call for every renewal.
 */
export async function enqueueBillingCallbacks(
  env: Env,
  renewal: { id: string; state: string },
  logger: Logger,
): Promise<number> {
  if (!CALLBACK_STATES.has(renewal.state)) return 0;
  const { webhooks } = configFor(env);
  const links = await env.DB.prepare('SELECT source FROM webhook_renewals WHERE renewal_id = ?')
    .bind(renewal.id)
    .all<{ source: string }>();
  let queued = 0;
  for (const { source } of links.results) {
    if (!isBillingSource(source)) continue;
    if (!webhooks.sources[source]?.callbackUrl) {
      logger.info('no callback URL for this billing source; result not sent', {
        source,
        renewalId: renewal.id,
      });
      continue;
    }
    // Claimed once per (renewal, source, state): a retried finalization job does not queue twice.
    const claim = await env.DB.prepare(
      `UPDATE webhook_renewals SET callback_state = ?1
       WHERE renewal_id = ?2 AND source = ?3 AND (callback_state IS NULL OR callback_state != ?1)`,
    )
      .bind(renewal.state, renewal.id, source)
      .run();
    if (claim.meta.changes !== 1) continue;
    const job: CallbackJob = { type: CALLBACK_JOB, renewalId: renewal.id, source, attempt: 1 };
    try {
      await env.RENEWALS.send(job);
    } catch (error) {
      await env.DB.prepare(
        'UPDATE webhook_renewals SET callback_state = NULL WHERE renewal_id = ? AND source = ?',
      )
        .bind(renewal.id, source)
        .run();
      throw error;
    }
    queued++;
  }
  return queued;
}

function isBillingSource(value: string): value is BillingSource {
  return (BILLING_SOURCES as readonly string[]).includes(value);
}

/** Seconds before attempt `attempt + 1`: base, 2×base, 4×base…, capped at one hour. */
export function callbackRetryDelaySeconds(config: WebhookConfig, attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, config.callbackRetryBaseSeconds * 2 ** Math.max(0, attempt - 1));
}

interface RenewalRow {
  id: string;
  domain: string;
  account: string;
  years: number;
  expected_expiry: string;
  state: string;
  reason: string | null;
  new_expiry: string | null;
  charged_amount: string | null;
  charged_currency: string | null;
}

/** The body POSTed to the billing system: a Standard Webhooks event `{type, timestamp, data}`. */
export interface RenewalCallbackPayload {
  type: string;
  timestamp: string;
  data: {
    renewalId: string;
    domain: string;
    years: number;
    state: string;
    reason?: string;
    expectedExpiry: string;
    newExpiry?: string;
    charged?: Money;
    reference: string;
    deliveryId: string;
  };
}

export function callbackPayload(
  row: RenewalRow,
  link: WebhookRenewalLink,
  now: Date,
): RenewalCallbackPayload {
  return {
    type: `domain.renewal.${row.state}`,
    timestamp: now.toISOString(),
    data: {
      renewalId: row.id,
      domain: row.domain,
      years: row.years,
      state: row.state,
      ...(row.reason ? { reason: row.reason } : {}),
      expectedExpiry: row.expected_expiry,
      ...(row.new_expiry ? { newExpiry: row.new_expiry } : {}),
      ...(row.charged_amount && row.charged_currency
        ? { charged: { amount: row.charged_amount, currency: row.charged_currency } }
        : {}),
      reference: link.reference,
      deliveryId: link.deliveryId,
    },
  };
}

async function recordAttempt(
  db: D1Database,
  a: {
    renewalId: string;
    source: string;
    messageId: string;
    attempt: number;
    url: string;
    httpStatus?: number;
    error?: string;
    outcome: 'delivered' | 'retry_scheduled' | 'gave_up';
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO webhook_callback_attempts (renewal_id, source, message_id, attempt, at, url, http_status, error, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, attempt) DO NOTHING`,
    )
    .bind(
      a.renewalId,
      a.source,
      a.messageId,
      a.attempt,
      new Date().toISOString(),
      a.url,
      a.httpStatus ?? null,
      a.error ?? null,
      a.outcome,
    )
    .run();
}

/** Retention of the attempts (run by the webhook records' prune, core/webhook-deliveries.ts). */
export function pruneCallbackAttempts(db: D1Database, before: Date): D1PreparedStatement {
  return db.prepare('DELETE FROM webhook_callback_attempts WHERE at < ?').bind(before.toISOString());
}

/**
 * The `webhook.callback` job: one POST attempt. A failure schedules the next attempt as a new,
 * delayed queue message (so the backoff is ours and bounded by WEBHOOK_CALLBACK_MAX_ATTEMPTS) and
 * acknowledges this one.
 */
export async function runCallbackJob(body: JobMessage, env: Env, logger: Logger): Promise<void> {
  const job = body as CallbackJob;
  const config = configFor(env);
  const source = config.webhooks.sources[job.source];
  const url = source?.callbackUrl;
  if (!source || !url) {
    logger.warn('callback source no longer configured; dropped', {
      source: job.source,
      renewalId: job.renewalId,
    });
    return;
  }
  const row = await env.DB.prepare(
    `SELECT id, domain, account, years, expected_expiry, state, reason, new_expiry, charged_amount, charged_currency
     FROM renewals WHERE id = ?`,
  )
    .bind(job.renewalId)
    .first<RenewalRow>();
  const linkRow = await env.DB.prepare(
    'SELECT delivery_id, reference FROM webhook_renewals WHERE renewal_id = ? AND source = ?',
  )
    .bind(job.renewalId, job.source)
    .first<{ delivery_id: string; reference: string }>();
  if (!row || !linkRow) {
    logger.error('callback for an unknown renewal; dropped', {
      renewalId: job.renewalId,
      source: job.source,
    });
    return;
  }
  const link: WebhookRenewalLink = {
    renewalId: row.id,
    source: job.source,
    deliveryId: linkRow.delivery_id,
    reference: linkRow.reference,
  };
  const messageId = renewalEventId(row.id, row.state);
  const attempt = Math.max(1, Math.floor(job.attempt));
  const now = new Date();
  const text = JSON.stringify(callbackPayload(row, link, now));
  // One signature per configured secret: during a rotation the receiver verifies with either.
  const headers = await standardHeaders(source.secrets, messageId, Math.floor(now.getTime() / 1000), text);

  let httpStatus: number | undefined;
  let error: string | undefined;
  try {
    const res = await withDeadline(CALLBACK_TIMEOUT_MS, async (signal) => {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'registrar-gateway' },
        body: text,
        signal,
      });
      await answer.body?.cancel();
      return answer;
    });
    httpStatus = res.status;
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }

  // The URL may carry credentials (user-info, a token in the query): the D1 row, the logs and the
  // error text (fetch errors may quote the URL) keep its origin and path only.
  const shownUrl = urlWithoutCredentials(url);
  if (error) for (const form of [url, new URL(url).href]) error = error.split(form).join(shownUrl);
  const base = {
    renewalId: row.id,
    source: job.source,
    messageId,
    attempt,
    url: shownUrl,
    httpStatus,
    error,
  };
  if (!error) {
    await recordAttempt(env.DB, { ...base, outcome: 'delivered' });
    logger.info('billing callback delivered', { source: job.source, renewalId: row.id, attempt });
    return;
  }
  if (attempt >= config.webhooks.callbackMaxAttempts) {
    await recordAttempt(env.DB, { ...base, outcome: 'gave_up' });
    logger.error('billing callback given up', { source: job.source, renewalId: row.id, attempt, error });
    return;
  }
  const delaySeconds = callbackRetryDelaySeconds(config.webhooks, attempt);
  await recordAttempt(env.DB, { ...base, outcome: 'retry_scheduled' });
  logger.warn('billing callback failed; retry scheduled', {
    source: job.source,
    renewalId: row.id,
    attempt,
    delaySeconds,
    error,
  });
  const next: CallbackJob = { ...job, attempt: attempt + 1 };
  await env.RENEWALS.send(next, { delaySeconds });
}
