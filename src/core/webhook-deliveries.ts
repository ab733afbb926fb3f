/**
 * The replay store of billing webhooks in D1 (`webhook_deliveries`), and the count of refused
 * deliveries (`webhook_rejection_counts`).
 *
 * A verified delivery is claimed by inserting its `(source, delivery id)` row before anything is
 * done; the answer is stored on the same row afterwards. A second delivery of the same id gets
 * the stored answer and causes nothing. A delivery whose first processing is still running waits
 * for that answer; a claim left without an answer (the isolate died) is taken over after a while,
 * which is safe because the effects behind it (renewal intents) are idempotent themselves.
 */
import { pruneCallbackAttempts } from './webhook-callbacks';

export interface StoredAnswer {
  status: number;
  body: string;
}

export type ClaimResult =
  | { kind: 'claimed'; receivedAt: string }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'in_progress' };

/** A claim older than this with no answer is considered abandoned. */
export const ABANDONED_CLAIM_MS = 60_000;

interface DeliveryRow {
  received_at: string;
  response_status: number | null;
  response_body: string | null;
}

async function readDelivery(db: D1Database, source: string, id: string): Promise<DeliveryRow | null> {
  return db
    .prepare(
      'SELECT received_at, response_status, response_body FROM webhook_deliveries WHERE source = ? AND delivery_id = ?',
    )
    .bind(source, id)
    .first<DeliveryRow>();
}

export async function claimDelivery(
  db: D1Database,
  source: string,
  id: string,
  now: Date = new Date(),
): Promise<ClaimResult> {
  const receivedAt = now.toISOString();
  const inserted = await db
    .prepare(
      `INSERT INTO webhook_deliveries (source, delivery_id, received_at, verified)
       VALUES (?, ?, ?, 1) ON CONFLICT (source, delivery_id) DO NOTHING`,
    )
    .bind(source, id, receivedAt)
    .run();
  if (inserted.meta.changes === 1) return { kind: 'claimed', receivedAt };
  const row = await readDelivery(db, source, id);
  if (!row) return claimDelivery(db, source, id, now); // released between our two statements
  if (row.response_status !== null) {
    return { kind: 'replay', answer: { status: row.response_status, body: row.response_body ?? '' } };
  }
  if (now.getTime() - Date.parse(row.received_at) > ABANDONED_CLAIM_MS) {
    const takeover = await db
      .prepare(
        `UPDATE webhook_deliveries SET received_at = ?
         WHERE source = ? AND delivery_id = ? AND response_status IS NULL AND received_at = ?`,
      )
      .bind(receivedAt, source, id, row.received_at)
      .run();
    if (takeover.meta.changes === 1) return { kind: 'claimed', receivedAt };
  }
  return { kind: 'in_progress' };
}

/**
 * Claims a delivery, waiting up to `waitMs` for a concurrent first processing to answer, so that
 * a burst of identical deliveries all receive the first answer.
 */
export async function claimOrWait(
  db: D1Database,
  source: string,
  id: string,
  waitMs = 10_000,
  pollMs = 100,
): Promise<ClaimResult> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = await claimDelivery(db, source, id);
    if (result.kind !== 'in_progress' || Date.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Stores the answer of a claimed delivery: every later delivery of this id gets it back. */
export async function completeDelivery(
  db: D1Database,
  source: string,
  id: string,
  eventType: string | undefined,
  answer: StoredAnswer,
): Promise<void> {
  await db
    .prepare(
      `UPDATE webhook_deliveries SET event_type = ?, response_status = ?, response_body = ?
       WHERE source = ? AND delivery_id = ?`,
    )
    .bind(eventType ?? null, answer.status, answer.body, source, id)
    .run();
}

/**
 * Forgets a claim whose processing failed for a reason worth retrying (registrar unreachable), so
 * the sender's next attempt is processed afresh instead of replaying a transient failure.
 */
export async function releaseDelivery(db: D1Database, source: string, id: string): Promise<void> {
  await db
    .prepare(
      'DELETE FROM webhook_deliveries WHERE source = ? AND delivery_id = ? AND response_status IS NULL',
    )
    .bind(source, id)
    .run();
}

export interface Rejection {
  source: string;
  claimedId?: string;
  reason: string;
}

/** The UTC minute a refusal is counted in: `YYYY-MM-DDTHH:MM`, which sorts like the time itself. */
export function rejectionMinute(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * Counts one refused delivery under its (source, reason, minute): a flood of forged requests
 * updates one row per minute and reason instead of inserting one row per request. The claimed id
 * (sender-controlled text, capped) of the latest refusal is kept to help trace a misconfigured
 * sender.
 */
export async function recordRejection(db: D1Database, r: Rejection, now: Date = new Date()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO webhook_rejection_counts (source, reason, minute, count, last_claimed_id, last_at)
       VALUES (?1, ?2, ?3, 1, ?4, ?5)
       ON CONFLICT (source, reason, minute) DO UPDATE SET
         count = count + 1,
         last_claimed_id = COALESCE(excluded.last_claimed_id, last_claimed_id),
         last_at = excluded.last_at`,
    )
    .bind(r.source, r.reason, rejectionMinute(now), r.claimedId?.slice(0, 256) ?? null, now.toISOString())
    .run();
}

const DAY_MS = 86_400_000;

/**
 * Retention (daily cron). Delivery ids must outlive every sender's retry horizon (Stripe retries an
 * event for 3 days; each retry is re-signed, so only the id makes it a replay): 90 days. Refusals
 * are counted per minute and kept 30 days, so a flood of forged requests cannot grow D1 without
 * bound. Callback attempts are kept 90 days; the renewal ↔ source links stay (small, needed by late
 * callbacks).
 */
export async function pruneWebhookRecords(
  db: D1Database,
  now = Date.now(),
): Promise<{ deliveries: number; rejections: number; attempts: number }> {
  const before = (days: number) => new Date(now - days * DAY_MS);
  const [deliveries, rejections, attempts] = await db.batch([
    db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').bind(before(90).toISOString()),
    db.prepare('DELETE FROM webhook_rejection_counts WHERE minute < ?').bind(rejectionMinute(before(30))),
    pruneCallbackAttempts(db, before(90)),
  ]);
  return {
    deliveries: deliveries!.meta.changes,
    rejections: rejections!.meta.changes,
    attempts: attempts!.meta.changes,
  };
}
