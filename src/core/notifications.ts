/**
 * Outbound notifications: final renewal outcomes, expiry reminders and low-balance alerts, through
 * the channels the composition root (src/index.ts) registers in a `Notifier`. Core knows no
 * channel but its own alert webhook; the billing callbacks and the Telegram bot plug in here.
 *
 * Two kinds of channel:
 * - a **subscriber channel** tells one party that asked for a renewal (a billing source, a Telegram
 *   confirmation message) of its outcome. Its subscribers are stored with the intent
 *   (renewals/subscribers.ts), and each (renewal, subscriber, final state) is claimed once before
 *   it is told, and released if telling failed, so the retried job tries again;
 * - a **broadcast channel** tells whoever follows everything (the alert webhook, the chats
 *   subscribed to the bot's reminders and alerts).
 *
 * The alert webhook (`ALERT_WEBHOOK_URL`, signed with Standard Webhooks when `ALERT_WEBHOOK_SECRET`
 * is set) sends the billing callbacks' envelope: a `{type, timestamp, data}` body with `webhook-id`
 * and `webhook-timestamp` headers, and `webhook-signature` when a secret is set. "Sent once per
 * window" of reminders and alerts is a row in `notifications_sent`, claimed before sending
 * (`claimNotification`) and released if every delivery failed, so the next run tries again.
 */
import type { Env } from '../env';
import { configFor } from '../env';
import { withDeadline } from './deadline';
import type { Logger } from './log';
import type { Money, ServiceKind } from './model';
import { claimNotice, releaseNotice, type StoredSubscriber, subscribersOf } from './renewals/subscribers';
import { FINAL_STATES, type Renewal } from './renewals/types';
import { standardHeaders } from './webhook-signing';

/**
 * The `webhook-id` of a renewal's final outcome, on every channel and every attempt: the renewal id
 * (already `rnw_…`) and the state, e.g. `rnw_3f2a…_confirmed`.
 */
export function renewalEventId(renewalId: string, state: string): string {
  return `${renewalId}_${state}`;
}

export interface ExpiryReminder {
  /** The item's key: the domain's name, or `<kind>:<id>` for a service (core/items.ts). */
  domain: string;
  /** Set for a service: what it is (`hosting`, `mail`, `certificate`), and its id at the account. */
  kind?: ServiceKind;
  id?: string;
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
  | { type: 'domain.expiring' | 'service.expiring'; id: string; data: ExpiryReminder }
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

/** Tells one subscriber of this channel that its renewal is final; false when there was nothing to send. */
export interface SubscriberChannel {
  deliver(env: Env, renewal: Renewal, subscriber: StoredSubscriber, logger: Logger): Promise<boolean>;
}

/** Tells everyone who follows; each method returns false when there was nobody to tell. */
export interface BroadcastChannel {
  renewalFinal?(env: Env, renewal: Renewal, logger: Logger): Promise<boolean>;
  reminder?(env: Env, reminder: ExpiryReminder, logger: Logger): Promise<boolean>;
  lowBalance?(env: Env, alert: LowBalanceAlert, logger: Logger): Promise<boolean>;
}

export interface Notifier {
  /** A renewal reached a final state: every subscriber (each once) and every broadcast channel. */
  renewalFinal(env: Env, renewal: Renewal, logger: Logger): Promise<void>;
  /** One subscriber, claimed once per final state; true when this call told it. */
  tellSubscriber(env: Env, renewal: Renewal, subscriber: StoredSubscriber, logger: Logger): Promise<boolean>;
  reminder(env: Env, reminder: ExpiryReminder, logger: Logger): Promise<void>;
  lowBalance(env: Env, alert: LowBalanceAlert, logger: Logger): Promise<void>;
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

/** The alert webhook as a broadcast channel: every final renewal, reminder and low-balance alert. */
export const alertWebhookChannel: BroadcastChannel = {
  renewalFinal: (env, renewal, logger) =>
    postAlertWebhook(
      env,
      { type: 'renewal.finalized', id: renewalEventId(renewal.id, renewal.state), data: renewal },
      logger,
    ),
  reminder: (env, reminder, logger) =>
    postAlertWebhook(
      env,
      {
        type: reminder.kind ? 'service.expiring' : 'domain.expiring',
        id: `expiring.${reminder.domain}.${reminder.expiresAt.slice(0, 10)}.${reminder.windowDays}d`,
        data: reminder,
      },
      logger,
    ),
  lowBalance: (env, alert, logger) =>
    postAlertWebhook(
      env,
      {
        type: 'account.low_balance',
        id: `low-balance.${alert.account}.${alert.reason}.${Date.now()}`,
        data: alert,
      },
      logger,
    ),
};

export function createNotifier(channels: {
  subscribers: Readonly<Record<string, SubscriberChannel>>;
  broadcasts: readonly BroadcastChannel[];
}): Notifier {
  const tellSubscriber: Notifier['tellSubscriber'] = async (env, renewal, subscriber, logger) => {
    const channel = channels.subscribers[subscriber.channel];
    if (!channel) {
      logger.warn('no channel registered for a renewal subscriber; not told', {
        renewal: renewal.id,
        channel: subscriber.channel,
      });
      return false;
    }
    // Only a final state is news: a subscriber is never told of a renewal still under way.
    if (!FINAL_STATES.has(renewal.state)) return false;
    if (!(await claimNotice(env.DB, subscriber, renewal.state))) return false;
    try {
      return await channel.deliver(env, renewal, subscriber, logger);
    } catch (error) {
      await releaseNotice(env.DB, subscriber, renewal.state);
      throw error;
    }
  };
  return {
    tellSubscriber,
    async renewalFinal(env, renewal, logger) {
      // Subscribers first, each claimed on its own: a retried job tells only those not yet told.
      const told = await Promise.allSettled(
        (await subscribersOf(env.DB, renewal.id)).map((s) => tellSubscriber(env, renewal, s, logger)),
      );
      await deliver(
        channels.broadcasts.flatMap((c) => (c.renewalFinal ? [c.renewalFinal(env, renewal, logger)] : [])),
      );
      const failed = told.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    reminder: (env, reminder, logger) =>
      deliver(channels.broadcasts.flatMap((c) => (c.reminder ? [c.reminder(env, reminder, logger)] : []))),
    lowBalance: (env, alert, logger) =>
      deliver(channels.broadcasts.flatMap((c) => (c.lowBalance ? [c.lowBalance(env, alert, logger)] : []))),
  };
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
