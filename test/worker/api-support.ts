/**
 * Helpers for the REST API tests in workerd: requests through SELF (the real worker entry, so
 * auth, rate limiting, validation and onError all run), with the bootstrap admin key by default.
 */
import { env, SELF } from 'cloudflare:test';
import { createApiKey, type Scope } from '../../src/core/api-keys';
import { loadConfig } from '../../src/env';
import { setSoldTlds, sim, workerEnv } from './helpers';

export const ADMIN_KEY = env.ADMIN_API_KEY;
export const BASE = 'http://gateway.test';

export interface ApiCall {
  method?: string;
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export function api(path: string, call: ApiCall = {}): Promise<Response> {
  const headers = new Headers(call.headers);
  const key = call.key === undefined ? ADMIN_KEY : call.key;
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  let body: string | undefined;
  if (call.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  }
  return SELF.fetch(`${BASE}${path}`, { method: call.method ?? 'GET', headers, body });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  kind: string;
  errors?: { field: string; reason: string }[];
}

/** A key with the given scopes, created directly in D1 (as POST /v1/api-keys would). */
export async function keyWith(scopes: Scope[], rateLimitPerMinute?: number): Promise<string> {
  const { token } = await createApiKey(env.DB, `test-${scopes.join('-')}`, scopes, { rateLimitPerMinute });
  return token;
}

export async function clearApiTables(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM domains'),
    env.DB.prepare('DELETE FROM api_keys'),
    env.DB.prepare("DELETE FROM audit_log WHERE entity IN ('api_key', 'domain')"),
  ]);
}

/**
 * Where every registrar-backed API test starts: empty API tables, no TLD lists (as before the
 * first sync: a sync in one test does not route another test's names), simulators reset.
 */
export async function freshRegistrarState(accounts: readonly string[]): Promise<void> {
  await clearApiTables();
  await setSoldTlds();
  for (const account of accounts) await sim(account).reset();
}

/** Names of the registrar accounts configured in this test run (one per simulator in main). */
export function configuredAccounts(): string[] {
  return loadConfig(workerEnv).accounts.map((a) => a.name);
}

/** Inserts inventory rows directly (for list/paging tests that need no registrar). */
export async function seedInventory(
  rows: Array<{ domain: string; account: string; expiresAt?: string; status?: string[]; vanished?: boolean }>,
): Promise<void> {
  const now = new Date().toISOString();
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO domains (domain, account, provider, expires_at, status, ref, first_seen, last_seen, vanished_at)
         VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
      ).bind(
        r.domain,
        r.account,
        r.account,
        r.expiresAt ?? null,
        JSON.stringify(r.status ?? ['active']),
        now,
        now,
        r.vanished ? now : null,
      ),
    ),
  );
}

/** Audit rows of one entity, oldest first. */
export async function auditOf(entity: string, entityId: string) {
  const { results } = await env.DB.prepare(
    'SELECT action, to_state, actor, source, detail FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id',
  )
    .bind(entity, entityId)
    .all<{ action: string; to_state: string | null; actor: string; source: string; detail: string | null }>();
  return results;
}
