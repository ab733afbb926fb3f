/**
 * Who to tell when a renewal is final: the `renewal_subscribers` table (migration 0009), owned
 * here. A door names its subscriber when it calls `requestRenewal`, which writes it in the same
 * batch that creates or joins the renewal; the notifier (core/notifications.ts) reads it when the
 * renewal is final, and claims each (renewal, subscriber, final state) once before telling it.
 */
import { renewalExists } from './store';
import type { RenewalSubscriber } from './types';

export type { RenewalSubscriber } from './types';

export interface StoredSubscriber extends RenewalSubscriber {
  renewalId: string;
}

interface Row {
  renewal_id: string;
  channel: string;
  subscriber: string;
  detail: string | null;
}

function toSubscriber(row: Row): StoredSubscriber {
  let detail: Record<string, string> | undefined;
  try {
    detail = row.detail ? (JSON.parse(row.detail) as Record<string, string>) : undefined;
  } catch {
    detail = undefined;
  }
  return {
    renewalId: row.renewal_id,
    channel: row.channel,
    key: row.subscriber,
    ...(detail ? { detail } : {}),
  };
}

/**
 * The insert for a request's batch: written only if the renewal exists when it runs (so a refused
 * request, which created nothing, leaves no subscriber), and the first subscription of a key wins
 * (a replayed delivery keeps the delivery id that started it).
 */
export function subscribeStatement(
  db: D1Database,
  renewalId: string,
  s: RenewalSubscriber,
  now: string,
): D1PreparedStatement {
  const exists = renewalExists(renewalId);
  return db
    .prepare(
      `INSERT INTO renewal_subscribers (renewal_id, channel, subscriber, detail, created_at)
       SELECT ?, ?, ?, ?, ? WHERE ${exists.sql}
       ON CONFLICT DO NOTHING`,
    )
    .bind(renewalId, s.channel, s.key, s.detail ? JSON.stringify(s.detail) : null, now, ...exists.values);
}

export async function subscribersOf(db: D1Database, renewalId: string): Promise<StoredSubscriber[]> {
  const { results } = await db
    .prepare(
      'SELECT renewal_id, channel, subscriber, detail FROM renewal_subscribers WHERE renewal_id = ? ORDER BY created_at',
    )
    .bind(renewalId)
    .all<Row>();
  return results.map(toSubscriber);
}

export async function findSubscriber(
  db: D1Database,
  renewalId: string,
  channel: string,
  key: string,
): Promise<StoredSubscriber | undefined> {
  const row = await db
    .prepare(
      `SELECT renewal_id, channel, subscriber, detail FROM renewal_subscribers
       WHERE renewal_id = ? AND channel = ? AND subscriber = ?`,
    )
    .bind(renewalId, channel, key)
    .first<Row>();
  return row ? toSubscriber(row) : undefined;
}

/**
 * Claim "this subscriber is told of this final state": true for exactly one caller per
 * (renewal, subscriber, state), whoever races (the engine's finalization, a request that joined a
 * renewal already final, a retried job).
 */
export async function claimNotice(db: D1Database, s: StoredSubscriber, state: string): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE renewal_subscribers SET notified_state = ?1
       WHERE renewal_id = ?2 AND channel = ?3 AND subscriber = ?4
         AND (notified_state IS NULL OR notified_state != ?1)`,
    )
    .bind(state, s.renewalId, s.channel, s.key)
    .run();
  return (res.meta.changes ?? 0) === 1;
}

/** Give a claim back after the delivery failed, so the retried job tries again. */
export async function releaseNotice(db: D1Database, s: StoredSubscriber, state: string): Promise<void> {
  await db
    .prepare(
      `UPDATE renewal_subscribers SET notified_state = NULL
       WHERE renewal_id = ? AND channel = ? AND subscriber = ? AND notified_state = ?`,
    )
    .bind(s.renewalId, s.channel, s.key, state)
    .run();
}
