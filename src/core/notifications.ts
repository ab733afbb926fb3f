/**
 * Outbound notifications: final renewal outcomes, expiry reminders and low-balance alerts.
 *
 * Today every notification goes to the optional outbound alert webhook (`ALERT_WEBHOOK_URL`,
 * signed with Standard Webhooks when `ALERT_WEBHOOK_SECRET` is set); the Telegram bot and the
 * billing callbacks add their own deliveries in the functions below. The alert webhook sends the
 * billing callbacks' envelope: a `{type, timestamp, data}` body with `webhook-id` and
 * `webhook-timestamp` headers, and `webhook-signature` when a secret is set. "Sent once per window" is a
 * row in `notifications_sent`, claimed before sending (`claimNotification`) and released if every
 * delivery failed, so the next run tries again.
 */
import { telegramLowBalance, telegramReminder, telegramRenewalFinal } from '../bot/notify';
import type { Env } from '../env';
import { configFor } from '../env';
import { withDeadline } from './deadline';
import type { Logger } from './log';
import type { Money } from './model';
import type { Renewal } from './renewals/types';
import { enqueueBillingCallbacks, renewalEventId } from './webhook-callbacks';
import { standardHeaders } from './webhook-signing';

export interface ExpiryReminder {
  domain: string;
  account: string;
  provider: string;
  expiresAt: string;
  /** Whole days left (0 on the day, negative once expired). */
  daysLeft: number;
  /** The reminder window this one belongs to (e.g. 30, 7, 1). */
  windowDays: number;
}

export interface LowBalanceAlert {
  account: string;
  provider: string;
  available: Money;
  /** Why it is low: below the configured threshold, or below the coming renewals' cost. */
  reason: 'below_threshold' | 'below_upcoming_renewals';
  threshold?: Money;
  /** Cost of the renewals due within `forecastDays`, in the balance's currency. */
  upcoming?: { cost: Money; domains: number; days: number };
}

export type OutboundEvent =
  | { type: 'renewal.finalized'; id: string; data: Renewal }
  | { type: 'domain.expiring'; id: string; data: ExpiryReminder }
  | { type: 'account.low_balance'; id: string; data: LowBalanceAlert };

/**
 * POST one event to the alert webhook, if configured. Throws when the receiver does not answer
 * 2xx, so the caller (a queue job or a reminder run) can retry. The body is the billing callbacks'
 * Standard Webhooks envelope `{type, timestamp, data}`; the event id travels in `webhook-id`, signed
 * or not, so a receiver can drop a repeat.
 */
export async function postAlertWebhook(env: Env, event: OutboundEvent, logger: Logger): Promise<boolean> {
  const alerts = configFor(env).alerts;
  if (!alerts) return false;
  const { url, secret } = alerts;
  const now = new Date();
  const body = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
  const seconds = Math.floor(now.getTime() / 1000);
  const signed = secret
    ? await standardHeaders([secret], event.id, seconds, body)
    : { 'webhook-id': event.id, 'webhook-timestamp': String(seconds) };
  const headers = new Headers({
    ...signed,
    'content-type': 'application/json',
    'user-agent': 'registrar-gateway',
  });
  const res = await withDeadline(10_000, async (signal) => {
    const answer = await fetch(url, { method: 'POST', headers, body, signal });
    await answer.body?.cancel();
    return answer;
  });
  if (!res.ok) {
    // The URL may carry a token: log the host only.
    logger.warn('alert webhook refused the event', {
      event: event.type,
      status: res.status,
      host: new URL(url).host,
    });
    throw new Error(`alert webhook answered ${res.status}`);
  }
  return true;
}

/**
 * Run every channel; fail (so the caller retries or releases its "sent" claim) only when a
 * channel failed and none delivered.
 */
async function deliver(channels: Array<Promise<boolean>>): Promise<void> {
  const results = await Promise.allSettled(channels);
  const delivered = results.some((r) => r.status === 'fulfilled' && r.value);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure && !delivered) throw failure.reason;
}

/** A renewal reached confirmed, failed or needs_attention. */
export async function notifyRenewalFinal(env: Env, renewal: Renewal, logger: Logger): Promise<void> {
  // Billing webhooks: queue the signed callback to the billing system(s) that asked for it (once).
  await enqueueBillingCallbacks(env, renewal, logger);
  await deliver([
    postAlertWebhook(
      env,
      { type: 'renewal.finalized', id: renewalEventId(renewal.id, renewal.state), data: renewal },
      logger,
    ),
    telegramRenewalFinal(env, renewal, logger),
  ]);
}

export async function notifyReminder(env: Env, reminder: ExpiryReminder, logger: Logger): Promise<void> {
  await deliver([
    postAlertWebhook(
      env,
      {
        type: 'domain.expiring',
        id: `expiring.${reminder.domain}.${reminder.expiresAt.slice(0, 10)}.${reminder.windowDays}d`,
        data: reminder,
      },
      logger,
    ),
    telegramReminder(env, reminder, logger),
  ]);
}

export async function notifyLowBalance(env: Env, alert: LowBalanceAlert, logger: Logger): Promise<void> {
  await deliver([
    postAlertWebhook(
      env,
      {
        type: 'account.low_balance',
        id: `low-balance.${alert.account}.${alert.reason}.${Date.now()}`,
        data: alert,
      },
      logger,
    ),
    telegramLowBalance(env, alert, logger),
  ]);
}

/** Claim "sent once": true if this (kind, subject, period) had not been sent before. */
export async function claimNotification(
  db: D1Database,
  kind: string,
  subject: string,
  period: string,
  detail?: unknown,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO notifications_sent (kind, subject, period, sent_at, detail) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    .bind(
      kind,
      subject,
      period,
      new Date().toISOString(),
      detail === undefined ? null : JSON.stringify(detail),
    )
    .run();
  return (result.meta.changes ?? 0) > 0;
}

/** Undo a claim whose delivery failed, or forget an alert whose condition has cleared. */
export async function releaseNotification(
  db: D1Database,
  kind: string,
  subject: string,
  period?: string,
): Promise<void> {
  if (period === undefined) {
    await db
      .prepare('DELETE FROM notifications_sent WHERE kind = ? AND subject = ?')
      .bind(kind, subject)
      .run();
  } else {
    await db
      .prepare('DELETE FROM notifications_sent WHERE kind = ? AND subject = ? AND period = ?')
      .bind(kind, subject, period)
      .run();
  }
}
