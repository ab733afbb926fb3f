/**
 * API keys: random bearer tokens shown once at creation and stored only as SHA-256 hashes, each
 * with a name (who) and scopes (what: read, renew, admin).
 *
 * Each isolate keeps the active keys it has looked up for API_KEY_CACHE_MS, so a busy key costs one
 * D1 read per isolate per that time, not one per request. The revocation rule that follows
 * (docs/decisions.md, "API keys: an isolate trusts a key it has looked up for 30 s"): the isolate
 * that revokes a key refuses it at once; any other isolate that saw the key may accept it for at
 * most API_KEY_CACHE_MS after its last look-up. Unknown and revoked tokens are never cached (a
 * new key works at once everywhere, and random tokens cannot fill the memory).
 */

import { API_KEY_PREFIX } from './api-key-format';
import { sha256Hex } from './digest';
import { GatewayError } from './errors';

export const SCOPES = ['read', 'renew', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
  /** Requests per minute for this key; undefined uses API_RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute?: number;
}

/** How long an isolate trusts a key it has looked up (also: how long a revoked key may still work elsewhere). */
export const API_KEY_CACHE_MS = 30_000;
/** How often an isolate writes a key's last_used_at: the column is up to this far behind. */
export const TOUCH_INTERVAL_MS = 60_000;
const MAX_CACHED_KEYS = 10_000;

/** Active keys by token hash, with the time until which this isolate trusts them. */
const trusted = new Map<string, { record: ApiKeyRecord; until: number }>();
/** When this isolate last wrote each key's last_used_at. */
const touched = new Map<string, number>();

/** One prepared statement per database binding and SQL text: prepared once, bound per call. */
const prepared = new WeakMap<D1Database, Map<string, D1PreparedStatement>>();
function statement(db: D1Database, sql: string): D1PreparedStatement {
  let bySql = prepared.get(db);
  if (!bySql) {
    bySql = new Map();
    prepared.set(db, bySql);
  }
  let stmt = bySql.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    bySql.set(sql, stmt);
  }
  return stmt;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  rate_limit_per_minute?: number | null;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(' ').filter(Boolean) as Scope[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    rateLimitPerMinute: row.rate_limit_per_minute ?? undefined,
  };
}

/** Creates a key; the plain token is returned here once and never stored. */
export async function createApiKey(
  db: D1Database,
  name: string,
  scopes: Scope[],
  opts: { rateLimitPerMinute?: number } = {},
): Promise<{ record: ApiKeyRecord; token: string }> {
  const token = API_KEY_PREFIX + randomToken();
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  const limit = opts.rateLimitPerMinute ?? null;
  await db
    .prepare(
      'INSERT INTO api_keys (id, name, key_hash, scopes, created_at, rate_limit_per_minute) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(id, name, await sha256Hex(token), [...new Set(scopes)].join(' '), now, limit)
    .run();
  return {
    record: {
      id,
      name,
      scopes: [...new Set(scopes)],
      createdAt: now,
      rateLimitPerMinute: limit ?? undefined,
    },
    token,
  };
}

/**
 * The active key a token belongs to, or undefined (unknown or revoked). Trusted from this
 * isolate's memory for API_KEY_CACHE_MS after a look-up (the revocation rule at the top).
 */
export async function findApiKey(db: D1Database, token: string): Promise<ApiKeyRecord | undefined> {
  const hash = await sha256Hex(token);
  const now = Date.now();
  const cached = trusted.get(hash);
  if (cached && cached.until > now) return cached.record;
  const row = await statement(db, 'SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL')
    .bind(hash)
    .first<ApiKeyRow>();
  if (!row) {
    trusted.delete(hash);
    return undefined;
  }
  const record = toRecord(row);
  if (trusted.size >= MAX_CACHED_KEYS) trusted.clear();
  trusted.set(hash, { record, until: now + API_KEY_CACHE_MS });
  return record;
}

/** The active key with this id, or undefined (unknown or revoked): a dashboard session re-checks it. */
export async function findActiveApiKeyById(db: D1Database, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .prepare('SELECT * FROM api_keys WHERE id = ? AND revoked_at IS NULL')
    .bind(id)
    .first<ApiKeyRow>();
  return row ? toRecord(row) : undefined;
}

export async function revokeApiKey(db: D1Database, id: string): Promise<ApiKeyRecord> {
  const now = new Date().toISOString();
  const row = await db
    .prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING *')
    .bind(now, id)
    .first<ApiKeyRow>();
  if (!row) throw new GatewayError('not_found', { message: `no API key with id ${id}` });
  // Refused at once here; other isolates within API_KEY_CACHE_MS (the rule at the top).
  for (const [hash, entry] of trusted) if (entry.record.id === id) trusted.delete(hash);
  return toRecord(row);
}

export async function listApiKeys(db: D1Database): Promise<ApiKeyRecord[]> {
  const { results } = await db.prepare('SELECT * FROM api_keys ORDER BY created_at').all<ApiKeyRow>();
  return results.map(toRecord);
}

/**
 * Records that a key was used: one write per key per TOUCH_INTERVAL_MS in this isolate, not one
 * per request (last_used_at is "used around then", up to that interval behind).
 */
export async function touchApiKey(db: D1Database, id: string): Promise<void> {
  const now = Date.now();
  const last = touched.get(id);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
  if (touched.size >= MAX_CACHED_KEYS) touched.clear();
  touched.set(id, now);
  await statement(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?')
    .bind(new Date(now).toISOString(), id)
    .run();
}
