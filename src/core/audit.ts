/**
 * The audit trail (`audit_log` of migrations/0001_core.sql): every state change that matters, with
 * who did it and through which door. Details are JSON and must never hold a secret.
 */
export interface AuditEntry {
  entity: 'renewal' | 'api_key' | 'webhook' | 'domain';
  entityId: string;
  action: string;
  from?: string;
  to?: string;
  /** The principal's name (API key name, `admin`, a Telegram user…). */
  actor: string;
  source: 'api' | 'webhook' | 'telegram' | 'system';
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: D1Database, entry: AuditEntry, now = new Date()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO audit_log (at, entity, entity_id, action, from_state, to_state, actor, source, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      now.toISOString(),
      entry.entity,
      entry.entityId,
      entry.action,
      entry.from ?? null,
      entry.to ?? null,
      entry.actor,
      entry.source,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    )
    .run();
}
