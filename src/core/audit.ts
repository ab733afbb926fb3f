/**
 * The audit trail (`audit_log` of migrations/0001_core.sql): every state change that matters, with
 * who did it and through which door. Details are JSON and must never hold a secret. This is the
 * only module that reads or writes `audit_log` (test/node/table-owners.test.ts keeps it so).
 */
export interface AuditEntry {
  entity: 'renewal' | 'api_key' | 'webhook' | 'domain';
  entityId: string;
  action: string;
  from?: string;
  to?: string;
  /** The principal's name (API key name, `admin`, a Telegram user…). */
  actor: string;
  source: 'api' | 'webhook' | 'telegram' | 'dashboard' | 'system';
  detail?: Record<string, unknown>;
}

/** One line of an entity's trail, as read back. */
export interface AuditLine {
  at: string;
  action: string;
  from?: string;
  to?: string;
  actor: string;
  source: string;
  /** Absent when the line has none; `{}` when what was stored is not a JSON object. */
  detail?: Record<string, unknown>;
}

const COLUMNS = 'at, entity, entity_id, action, from_state, to_state, actor, source, detail';

/**
 * The insert of one audit line, for the caller's own batch. With `onlyIf` (an SQL condition and
 * its values) the line is written only if the condition holds when the statement runs: a state
 * change and its audit line in one batch (one transaction), the line conditioned on the change
 * having applied, so a lost race leaves no trace.
 */
export function auditStatement(
  db: D1Database,
  entry: AuditEntry,
  at: string,
  onlyIf?: { sql: string; values: unknown[] },
  /**
   * A scalar query for the entity's state when the line is written, used as both `from` and `to`:
   * a line that changes no state, written in a batch whose earlier statements may have moved it.
   */
  stateNow?: { sql: string; values: unknown[] },
): D1PreparedStatement {
  const state = stateNow ? `(${stateNow.sql})` : '?';
  const stateValues = stateNow ? stateNow.values : undefined;
  const head = [at, entry.entity, entry.entityId, entry.action];
  const tail = [entry.actor, entry.source, entry.detail === undefined ? null : JSON.stringify(entry.detail)];
  const states = stateValues ? [...stateValues, ...stateValues] : [entry.from ?? null, entry.to ?? null];
  const values = [...head, ...states, ...tail];
  const select = `SELECT ?, ?, ?, ?, ${state}, ${state}, ?, ?, ?`;
  if (!onlyIf) return db.prepare(`INSERT INTO audit_log (${COLUMNS}) ${select}`).bind(...values);
  return db
    .prepare(`INSERT INTO audit_log (${COLUMNS}) ${select} WHERE ${onlyIf.sql}`)
    .bind(...values, ...onlyIf.values);
}

export async function recordAudit(db: D1Database, entry: AuditEntry, now = new Date()): Promise<void> {
  await auditStatement(db, entry, now.toISOString()).run();
}

/** The trail of one entity, oldest first. */
export async function auditTrail(
  db: D1Database,
  entity: AuditEntry['entity'],
  entityId: string,
): Promise<AuditLine[]> {
  const { results } = await db
    .prepare(
      `SELECT at, action, from_state, to_state, actor, source, detail FROM audit_log
       WHERE entity = ? AND entity_id = ? ORDER BY id`,
    )
    .bind(entity, entityId)
    .all<{
      at: string;
      action: string;
      from_state: string | null;
      to_state: string | null;
      actor: string;
      source: string;
      detail: string | null;
    }>();
  return results.map((r) => {
    return {
      at: r.at,
      action: r.action,
      ...(r.from_state ? { from: r.from_state } : {}),
      ...(r.to_state ? { to: r.to_state } : {}),
      actor: r.actor,
      source: r.source,
      ...(r.detail ? { detail: jsonObject(r.detail) } : {}),
    };
  });
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}
