/**
 * API keys: random bearer tokens shown once at creation and stored only as SHA-256 hashes, each
 * with a name (who) and scopes (what: read, renew, admin).
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

/** The active key a token belongs to, or undefined (unknown or revoked). */
export async function findApiKey(db: D1Database, token: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .prepare('SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL')
    .bind(await sha256Hex(token))
    .first<ApiKeyRow>();
  return row ? toRecord(row) : undefined;
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
  return toRecord(row);
}

export async function listApiKeys(db: D1Database): Promise<ApiKeyRecord[]> {
  const { results } = await db.prepare('SELECT * FROM api_keys ORDER BY created_at').all<ApiKeyRow>();
  return results.map(toRecord);
}

export async function touchApiKey(db: D1Database, id: string): Promise<void> {
  await db
    .prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
    .bind(new Date().toISOString(), id)
    .run();
}
