/**
 * Outbound billing callbacks: a `domain.renew` delivery subscribes to its renewal
 * (`billingSubscriber`, stored by `requestRenewal`); when the renewal reaches a final state, its
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
import { type Logger, urlWithoutCredentials } from './log';
import type { Money } from './model';
import { renewalEventId, type SubscriberChannel } from './notifications';
import { getRow, type RenewalRow } from './renewals/store';
import { findSubscriber, type RenewalSubscriber } from './renewals/subscribers';
import { standardHeaders } from './webhook-signing';

export const CALLBACK_JOB = 'webhook.callback';

/** The renewal subscribers' channel of the billing callbacks; the subscriber's key is the source. */
export const BILLING_CHANNEL = 'billing';

const CALLBACK_TIMEOUT_MS = 10_000;
const MAX_RETRY_DELAY_SECONDS = 3600;

/** The delivery that asked for a renewal: where and what to call back. */
export interface BillingRequester {
  source: BillingSource;
  deliveryId: string;
  reference: string;
}

/** The subscriber a `domain.renew` delivery passes to `requestRenewal`. */
export function billingSubscriber(r: BillingRequester): RenewalSubscriber {
  return {
    channel: BILLING_CHANNEL,
    key: r.source,
    detail: { deliveryId: r.deliveryId, reference: r.reference },
  };
}

export interface CallbackJob {
  type: typeof CALLBACK_JOB;
  renewalId: string;
  source: BillingSource;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * Telling a billing subscriber is queueing its first callback attempt (`webhook.callback`); the
 * notifier has claimed it once per (renewal, source, state), and gives the claim back if the send
 * fails. A source without a callback URL is told nothing.
 */
export const billingCallbackChannel: SubscriberChannel = {
  async deliver(env, renewal, subscriber, logger) {
    const source = subscriber.key;
    if (!isBillingSource(source)) return false;
    if (!configFor(env).webhooks.sources[source]?.callbackUrl) {
      logger.info('no callback URL for this billing source; result not sent', {
        source,
        renewalId: renewal.id,
      });
      return false;
    }
    const job: CallbackJob = { type: CALLBACK_JOB, renewalId: renewal.id, source, attempt: 1 };
    await env.RENEWALS.send(job);
    return true;
  },
};

function isBillingSource(value: string): value is BillingSource {
  return (BILLING_SOURCES as readonly string[]).includes(value);
}

/** Seconds before attempt `attempt + 1`: base, 2×base, 4×base…, capped at one hour. */
export function callbackRetryDelaySeconds(config: WebhookConfig, attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, config.callbackRetryBaseSeconds * 2 ** Math.max(0, attempt - 1));
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
  row: Pick<
    RenewalRow,
    | 'id'
    | 'domain'
    | 'years'
    | 'expected_expiry'
    | 'state'
    | 'reason'
    | 'new_expiry'
    | 'charged_amount'
    | 'charged_currency'
  >,
  link: Pick<BillingRequester, 'deliveryId' | 'reference'>,
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
export async function runCallbackJob(
  body: { type: string; [key: string]: unknown },
  env: Env,
  logger: Logger,
): Promise<void> {
  const job = body as unknown as CallbackJob;
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
  const row = await getRow(env.DB, job.renewalId);
  const subscriber = await findSubscriber(env.DB, job.renewalId, BILLING_CHANNEL, job.source);
  if (!row || !subscriber) {
    logger.error('callback for an unknown renewal; dropped', {
      renewalId: job.renewalId,
      source: job.source,
    });
    return;
  }
  const link = {
    deliveryId: subscriber.detail?.deliveryId ?? '',
    reference: subscriber.detail?.reference ?? '',
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
