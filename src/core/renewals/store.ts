/**
 * D1 access of the renewal engine. Every state change is a compare-and-set on the row's `version`
 * with its audit line written in the same batch (one transaction), and the audit insert is
 * conditioned on the update having applied: a lost race leaves no trace and no effect.
 */
import { auditStatement, auditTrail } from '../audit';
import { GatewayError } from '../errors';
import { itemOfKey } from '../items';
import {
  type Renewal,
  type RenewalEvent,
  type RenewalFilter,
  type RenewalSource,
  type RenewalState,
  SETTLED_STATES,
} from './types';

export interface RenewalRow {
  id: string;
  domain: string;
  account: string;
  provider: string;
  expected_expiry: string;
  years: number;
  idempotency_key: string | null;
  request_hash: string;
  state: RenewalState;
  reason: string | null;
  source: RenewalSource;
  actor: string;
  new_expiry: string | null;
  charged_amount: string | null;
  charged_currency: string | null;
  upstream_ref: string;
  attempts: number;
  created_at: string;
  updated_at: string;
  version: number;
  transition_id: string | null;
  lease_until: string | null;
  submitted_at: string | null;
  guard_expiry: string | null;
  reconcile_mode: 'unknown' | 'verify' | 'pending' | null;
  checks: number;
  unchanged_reads: number;
  next_check_at: string | null;
  /** JSON of a service renewal's extra input (a certificate's CSR); NULL for domains. */
  params: string | null;
}

export function toRenewal(row: RenewalRow): Renewal {
  const ref = parseJson(row.upstream_ref);
  const item = itemOfKey(row.domain);
  return {
    id: row.id,
    domain: row.domain,
    kind: item.kind,
    item: item.id,
    account: row.account,
    provider: row.provider,
    years: row.years,
    expectedExpiry: row.expected_expiry,
    state: row.state,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.new_expiry ? { newExpiry: row.new_expiry } : {}),
    ...(row.charged_amount && row.charged_currency
      ? { charged: { amount: row.charged_amount, currency: row.charged_currency } }
      : {}),
    source: row.source,
    actor: row.actor,
    ...(row.idempotency_key ? { idempotencyKey: row.idempotency_key } : {}),
    ...(Object.keys(ref).length > 0 ? { upstreamRef: ref as Record<string, string> } : {}),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseJson(text: string | null): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

export async function getRow(db: D1Database, id: string): Promise<RenewalRow | undefined> {
  return (await db.prepare('SELECT * FROM renewals WHERE id = ?').bind(id).first<RenewalRow>()) ?? undefined;
}

/**
 * A read of the row for a batch: the state it has once the batch's earlier statements ran, read in
 * the same transaction (`rowFromBatch` reads the answer).
 */
export function rowRead(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('SELECT * FROM renewals WHERE id = ?').bind(id);
}

export function rowFromBatch(result: D1Result | undefined): RenewalRow | undefined {
  return (result?.results?.[0] as RenewalRow | undefined) ?? undefined;
}

/** A condition for a statement that must write only beside an existing renewal (a refused request has none). */
export function renewalExists(id: string): { sql: string; values: unknown[] } {
  return { sql: 'EXISTS (SELECT 1 FROM renewals WHERE id = ?)', values: [id] };
}

export interface NewIntent {
  id: string;
  domain: string;
  account: string;
  provider: string;
  expectedExpiry: string;
  years: number;
  requestHash: string;
  source: RenewalSource;
  actor: string;
  /** The caller's keys (primary first, then aliases), all in one scope, when it gave any. */
  keys?: RequestKeys;
  /** Refuse when the domain has a renewal confirmed after this instant (the cooldown); unset: no cooldown. */
  cooldownSince?: string;
  /** Extra detail for the creation's audit line (e.g. that the cooldown was overridden). */
  detail?: Record<string, unknown>;
  /** JSON of a service renewal's extra input (RenewalRow.params). */
  params?: string;
  now: string;
}

/** Idempotency keys of one request: `values[0]` is the primary key, the rest its aliases. */
export interface RequestKeys {
  scope: string;
  values: readonly string[];
}

export type InsertOutcome =
  /** This request created the renewal. */
  | { kind: 'created'; row: RenewalRow }
  /** The renewal of the same intent (domain, expected expiry, years) or of the same key and body. */
  | { kind: 'existing'; row: RenewalRow }
  /** A key of this request was used with another body. */
  | { kind: 'key_conflict'; renewalId: string }
  /** The domain already has an unsettled renewal at this account (the same request or not). */
  | { kind: 'unsettled'; row: RenewalRow }
  /** The domain was renewed within the cooldown. */
  | { kind: 'recently_renewed'; row: RenewalRow };

const SETTLED_SQL = SETTLED_STATES.map((s) => `'${s}'`).join(', ');

/**
 * The admission rule of a renewal, as one SQL condition evaluated inside the statement that
 * creates (or re-opens) it, so it holds across isolates without any timing assumption: no
 * unsettled renewal of (account, domain), and — when `cooldownSince` is set — no renewal of the
 * domain confirmed after that instant. Migration 0006's unique index backs the first half.
 */
export function admissionGuard(a: { account: string; domain: string; cooldownSince?: string }): {
  sql: string;
  values: unknown[];
} {
  let sql = `NOT EXISTS (SELECT 1 FROM renewals AS unsettled WHERE unsettled.account = ?
      AND unsettled.domain = ? AND unsettled.state NOT IN (${SETTLED_SQL}))`;
  const values: unknown[] = [a.account, a.domain];
  if (a.cooldownSince !== undefined) {
    sql += ` AND NOT EXISTS (SELECT 1 FROM renewals AS recent WHERE recent.domain = ?
      AND recent.state = 'confirmed' AND recent.updated_at > ?)`;
    values.push(a.domain, a.cooldownSince);
  }
  return { sql, values };
}

/**
 * Create the intent, or find out why not, atomically. In one transaction:
 * 1. insert the renewal unless one of the caller's keys is already mapped, the domain has an
 *    unsettled renewal at this account, it was renewed within the cooldown, or the intent exists;
 * 2. write the audit line of the creation;
 * 3. map the caller's keys to the new row — only to the new row: a request that created nothing
 *    maps nothing here, so a refused request leaves no row and no key behind.
 * D1 runs a batch as one serialized transaction, so fifty parallel calls create at most one row.
 */
export async function insertIntent(
  db: D1Database,
  intent: NewIntent,
  /** Statements that belong to the creation (a subscriber): they run after it, in its transaction. */
  also: D1PreparedStatement[] = [],
): Promise<InsertOutcome> {
  const keys = intent.keys && intent.keys.values.length > 0 ? intent.keys : undefined;
  const guard = admissionGuard(intent);
  const keyUnused = keys
    ? `AND NOT EXISTS (SELECT 1 FROM renewal_keys WHERE scope = ? AND idempotency_key IN (${keys.values
        .map(() => '?')
        .join(', ')}))`
    : '';
  const statements = [
    db
      .prepare(
        `INSERT INTO renewals (id, domain, account, provider, expected_expiry, years, idempotency_key,
           request_hash, state, source, actor, created_at, updated_at, params)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?, ?, ?
         WHERE ${guard.sql} ${keyUnused}
         ON CONFLICT DO NOTHING`,
      )
      .bind(
        intent.id,
        intent.domain,
        intent.account,
        intent.provider,
        intent.expectedExpiry,
        intent.years,
        keys ? `${keys.scope}:${keys.values[0]}` : null,
        intent.requestHash,
        intent.source,
        intent.actor,
        intent.now,
        intent.now,
        intent.params ?? null,
        ...guard.values,
        ...(keys ? [keys.scope, ...keys.values] : []),
      ),
    auditStatement(
      db,
      {
        entity: 'renewal',
        entityId: intent.id,
        action: 'requested',
        to: 'requested',
        actor: intent.actor,
        source: intent.source,
        detail: {
          years: intent.years,
          expectedExpiry: intent.expectedExpiry,
          account: intent.account,
          ...intent.detail,
        },
      },
      intent.now,
      // Only the line of the row this batch created (version 0: not yet moved by anyone).
      { sql: 'EXISTS (SELECT 1 FROM renewals WHERE id = ? AND version = 0)', values: [intent.id] },
    ),
    // The row exists only if the insert above created it: otherwise these map nothing.
    ...(keys ? keyMappings(db, keys, intent.id, intent.requestHash, intent.now) : []),
    ...also,
  ];
  const results = await db.batch(statements);
  if ((results[0]?.meta.changes ?? 0) > 0) {
    const row = await getRow(db, intent.id);
    if (row) return { kind: 'created', row };
  }
  return whyNotCreated(db, intent);
}

/** Why `insertIntent` created nothing, read after the fact (the guard itself was atomic). */
async function whyNotCreated(db: D1Database, intent: NewIntent): Promise<InsertOutcome> {
  if (intent.keys) {
    const mapped = await findMappedKey(db, intent.keys);
    if (mapped && mapped.request_hash !== intent.requestHash) {
      return { kind: 'key_conflict', renewalId: mapped.renewal_id };
    }
    const row = mapped && (await getRow(db, mapped.renewal_id));
    if (row) return { kind: 'existing', row };
  }
  const unsettled = await findUnsettled(db, intent.account, intent.domain);
  if (unsettled) return { kind: 'unsettled', row: unsettled };
  const same = await db
    .prepare('SELECT * FROM renewals WHERE domain = ? AND expected_expiry = ? AND years = ?')
    .bind(intent.domain, intent.expectedExpiry, intent.years)
    .first<RenewalRow>();
  if (same) return { kind: 'existing', row: same };
  if (intent.cooldownSince !== undefined) {
    const recent = await findRecentlyConfirmed(db, intent.domain, intent.cooldownSince);
    if (recent) return { kind: 'recently_renewed', row: recent };
  }
  // What refused the insert has settled or moved meanwhile: the caller may simply try again.
  throw new GatewayError('conflict', {
    message: 'the renewal intent could not be recorded; retry the request',
    retryable: true,
  });
}

/** The unsettled renewal of a domain at an account, if any (at most one, by migration 0006). */
export async function findUnsettled(
  db: D1Database,
  account: string,
  domain: string,
): Promise<RenewalRow | undefined> {
  return (
    (await db
      .prepare(
        `SELECT * FROM renewals WHERE account = ? AND domain = ? AND state NOT IN (${SETTLED_SQL})
         ORDER BY created_at LIMIT 1`,
      )
      .bind(account, domain)
      .first<RenewalRow>()) ?? undefined
  );
}

/** The latest renewal of a domain confirmed after `since`, if any. */
export async function findRecentlyConfirmed(
  db: D1Database,
  domain: string,
  since: string,
): Promise<RenewalRow | undefined> {
  return (
    (await db
      .prepare(
        `SELECT * FROM renewals WHERE domain = ? AND state = 'confirmed' AND updated_at > ?
         ORDER BY updated_at DESC LIMIT 1`,
      )
      .bind(domain, since)
      .first<RenewalRow>()) ?? undefined
  );
}

/** The first of a request's keys that is already mapped (primary first), in one query. */
export async function findMappedKey(
  db: D1Database,
  keys: RequestKeys,
): Promise<{ renewal_id: string; request_hash: string } | undefined> {
  const { results } = await db
    .prepare(
      `SELECT idempotency_key, renewal_id, request_hash FROM renewal_keys
       WHERE scope = ? AND idempotency_key IN (${keys.values.map(() => '?').join(', ')})`,
    )
    .bind(keys.scope, ...keys.values)
    .all<{ idempotency_key: string; renewal_id: string; request_hash: string }>();
  for (const key of keys.values) {
    const mapped = results.find((r) => r.idempotency_key === key);
    if (mapped) return { renewal_id: mapped.renewal_id, request_hash: mapped.request_hash };
  }
  return undefined;
}

/**
 * Map a request's keys to the renewal that answered it (an existing one), so a replay of any of
 * them answers at once; a key mapped meanwhile to something else keeps its first mapping.
 */
/** One insert per key, mapping it to `renewalId` if that row exists and the key is still free. */
export function keyMappings(
  db: D1Database,
  keys: RequestKeys,
  renewalId: string,
  requestHash: string,
  now: string,
): D1PreparedStatement[] {
  return keys.values.map((key) =>
    db
      .prepare(
        `INSERT INTO renewal_keys (scope, idempotency_key, renewal_id, request_hash, created_at)
         SELECT ?, ?, id, ?, ? FROM renewals WHERE id = ?
         ON CONFLICT DO NOTHING`,
      )
      .bind(keys.scope, key, requestHash, now, renewalId),
  );
}

export async function findKey(
  db: D1Database,
  scope: string,
  key: string,
): Promise<{ renewal_id: string; request_hash: string } | undefined> {
  return (
    (await db
      .prepare('SELECT renewal_id, request_hash FROM renewal_keys WHERE scope = ? AND idempotency_key = ?')
      .bind(scope, key)
      .first<{ renewal_id: string; request_hash: string }>()) ?? undefined
  );
}

/** Columns a transition may set besides state. */
export interface RowPatch {
  reason?: string | null;
  new_expiry?: string | null;
  charged_amount?: string | null;
  charged_currency?: string | null;
  upstream_ref?: string;
  attempts?: number;
  lease_until?: string | null;
  submitted_at?: string | null;
  guard_expiry?: string | null;
  reconcile_mode?: RenewalRow['reconcile_mode'];
  checks?: number;
  unchanged_reads?: number;
  next_check_at?: string | null;
}

const PATCHABLE = new Set<keyof RowPatch>([
  'reason',
  'new_expiry',
  'charged_amount',
  'charged_currency',
  'upstream_ref',
  'attempts',
  'lease_until',
  'submitted_at',
  'guard_expiry',
  'reconcile_mode',
  'checks',
  'unchanged_reads',
  'next_check_at',
]);

export interface Transition {
  /** The row as the caller read it: the update applies only if nobody changed it since. */
  from: RenewalRow;
  to: RenewalState;
  action: string;
  patch?: RowPatch;
  actor: string;
  source: RenewalSource;
  detail?: Record<string, unknown>;
  now: string;
  /** A further SQL condition the update needs (e.g. `admissionGuard` when a settled row re-opens). */
  guard?: { sql: string; values: unknown[] };
}

/**
 * Compare-and-set: apply the transition only if the row still has the version the caller read.
 * Returns the new row, or undefined when another worker got there first.
 */
export async function transition(db: D1Database, t: Transition): Promise<RenewalRow | undefined> {
  const patch = t.patch ?? {};
  // The version tells whether the row is still as read; the token tells the audit insert below
  // whether the update that applied was this one (a loser sees the winner's version, not its token).
  const token = crypto.randomUUID();
  const sets = ['state = ?', 'updated_at = ?', 'version = version + 1', 'transition_id = ?'];
  const values: unknown[] = [t.to, t.now, token];
  for (const [column, value] of Object.entries(patch)) {
    if (!PATCHABLE.has(column as keyof RowPatch) || value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(value);
  }
  const update = db
    .prepare(
      `UPDATE renewals SET ${sets.join(', ')} WHERE id = ? AND version = ?${t.guard ? ` AND ${t.guard.sql}` : ''}`,
    )
    .bind(...values, t.from.id, t.from.version, ...(t.guard?.values ?? []));
  const audit = auditStatement(
    db,
    {
      entity: 'renewal',
      entityId: t.from.id,
      action: t.action,
      from: t.from.state,
      to: t.to,
      actor: t.actor,
      source: t.source,
      detail: t.detail,
    },
    t.now,
    { sql: 'EXISTS (SELECT 1 FROM renewals WHERE id = ? AND transition_id = ?)', values: [t.from.id, token] },
  );
  const [result] = await db.batch([update, audit]);
  if ((result?.meta.changes ?? 0) === 0) return undefined;
  return getRow(db, t.from.id);
}

/**
 * An audit line that changes no state (a duplicate request), for a batch: it records the state
 * the row has when the line is written.
 */
export function duplicateAuditStatement(
  db: D1Database,
  e: {
    id: string;
    action: string;
    actor: string;
    source: RenewalSource;
    detail?: Record<string, unknown>;
    now: string;
  },
): D1PreparedStatement {
  const entry = {
    entity: 'renewal' as const,
    entityId: e.id,
    action: e.action,
    actor: e.actor,
    source: e.source,
    detail: e.detail,
  };
  return auditStatement(
    db,
    entry,
    e.now,
    { sql: 'EXISTS (SELECT 1 FROM renewals WHERE id = ?)', values: [e.id] },
    { sql: 'SELECT state FROM renewals WHERE id = ?', values: [e.id] },
  );
}

export function history(db: D1Database, id: string): Promise<RenewalEvent[]> {
  return auditTrail(db, 'renewal', id);
}

/** Cursor: base64url of `createdAt|id` of the last item, newest first. */
function encodeCursor(row: { created_at: string; id: string }): string {
  return btoa(`${row.created_at}|${row.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const [createdAt, id] = text.split('|');
    if (createdAt && id && /^\d{4}-\d{2}-\d{2}T/.test(createdAt)) return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new GatewayError('invalid_request', {
    message: 'the cursor is not one this API returned',
    fields: [{ field: 'cursor', reason: 'unreadable cursor' }],
  });
}

export async function listRows(
  db: D1Database,
  filter: RenewalFilter,
): Promise<{ rows: RenewalRow[]; nextCursor?: string }> {
  const limit = Math.min(100, Math.max(1, filter.limit ?? 50));
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.state) {
    where.push('state = ?');
    values.push(filter.state);
  }
  if (filter.domain) {
    where.push('domain = ?');
    values.push(filter.domain);
  }
  if (filter.kind) {
    // A domain's key has no colon; a service's starts with `<kind>:` (core/items.ts).
    if (filter.kind === 'domain') where.push("instr(domain, ':') = 0");
    else {
      where.push('substr(domain, 1, ?) = ?');
      values.push(filter.kind.length + 1, `${filter.kind}:`);
    }
  }
  if (filter.source) {
    where.push('source = ?');
    values.push(filter.source);
  }
  if (filter.actor) {
    where.push('actor = ?');
    values.push(filter.actor);
  }
  if (filter.account) {
    where.push('account = ?');
    values.push(filter.account);
  }
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    values.push(c.createdAt, c.createdAt, c.id);
  }
  const sql = `SELECT * FROM renewals ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, id DESC LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...values, limit + 1)
    .all<RenewalRow>();
  const rows = results.slice(0, limit);
  const last = rows[rows.length - 1];
  return results.length > limit && last ? { rows, nextCursor: encodeCursor(last) } : { rows };
}

/** Rows a sweep must nudge: lost enqueues, expired leases, overdue checks. */
export async function overdueRows(db: D1Database, now: string, staleBefore: string): Promise<RenewalRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM renewals WHERE
         (state = 'requested' AND updated_at < ?2)
         OR (state = 'submitting' AND (lease_until IS NULL OR lease_until < ?1))
         OR (state IN ('outcome_unknown', 'reconciling', 'pending') AND (next_check_at IS NULL OR next_check_at < ?2))
       ORDER BY updated_at LIMIT 200`,
    )
    .bind(now, staleBefore)
    .all<RenewalRow>();
  return results;
}
