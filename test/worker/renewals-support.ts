/**
 * Support for the renewal engine's worker tests: the REST calls, bounded polling of D1, seeding
 * the simulators, and a "pump" that runs the engine's queue jobs in the test itself (same D1,
 * same gate Durable Objects, same simulators over real sockets), so reconciliation delays and
 * upstream timeouts can be shortened without waiting for the real queue's backoff.
 */
import { SELF } from 'cloudflare:test';
import { createAccounts } from '../../src/core/accounts';
import { JOB_HANDLERS, type JobMessage } from '../../src/core/jobs';
import { createLogger, type Logger } from '../../src/core/log';
import type { Renewal, RenewalEvent, RenewalState } from '../../src/core/renewals';
import { type Env, loadConfig } from '../../src/env';
import { notifier } from '../../src/index';
import { sim, workerEnv } from './helpers';

export const ADMIN = { authorization: 'Bearer test-admin-key-0123456789abcdef' };

export async function renew(
  domain: string,
  body: Record<string, unknown>,
  idempotencyKey?: string,
  headers: Record<string, string> = ADMIN,
): Promise<Response> {
  return SELF.fetch(`http://gateway.test/v1/domains/${domain}/renew`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
}

export async function getRenewalApi(id: string): Promise<Renewal & { history: RenewalEvent[] }> {
  const res = await SELF.fetch(`http://gateway.test/v1/renewals/${id}`, { headers: ADMIN });
  if (res.status !== 200) throw new Error(`GET renewal ${id}: ${res.status} ${await res.text()}`);
  return res.json();
}

const FINAL: ReadonlySet<string> = new Set(['confirmed', 'failed', 'needs_attention']);

/** Poll D1 until the renewal reaches a final state (or `states`), bounded. */
export async function waitForState(
  id: string,
  states: ReadonlySet<string> = FINAL,
  timeoutMs = 20_000,
): Promise<RenewalState> {
  const deadline = Date.now() + timeoutMs;
  let state = '';
  while (Date.now() < deadline) {
    const row = await workerEnv.DB.prepare('SELECT state FROM renewals WHERE id = ?')
      .bind(id)
      .first<{ state: string }>();
    state = row?.state ?? '';
    if (states.has(state)) return state as RenewalState;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`renewal ${id} still ${state} after ${timeoutMs} ms`);
}

export interface SimRenewal {
  domain: string;
  years: number;
}

/** Renewals the registrar performed, as its simulator counts them. */
export async function upstreamRenewals(key: string, domain?: string): Promise<SimRenewal[]> {
  const state = await sim(key).state<{ renewals: SimRenewal[] }>();
  return state.renewals.filter((r) => domain === undefined || r.domain === domain);
}

export function daysFromNow(days: number): string {
  // Whole seconds: every registrar keeps at least that precision.
  return new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000).toISOString();
}

/** Seed a domain at a simulator, in that simulator's own control format. */
export async function seedDomain(key: string, domain: string, expiresAt: string): Promise<void> {
  if (key === 'dynadot') await sim(key).call('domains', { domains: [{ name: domain, expiresAt }] });
  else if (key === 'logicboxes') await sim(key).call('domains', { domains: [{ domain, expiresAt }] });
  // 35.com and MrDomain keep expiry dates as days (YYYY-MM-DD).
  else if (key === 'com35') await sim(key).call('domains', { name: domain, exDate: expiresAt.slice(0, 10) });
  else if (key === 'mrdomain')
    await sim(key).call('domains', { name: domain, tsExpir: expiresAt.slice(0, 10) });
  else await sim(key).call('domains', { domain, expiresAt });
}

export const quietLogger: Logger = createLogger({ level: 'error' });

/** The engine's context over an env: real accounts (gate, sockets), a quiet logger. */
export function engine(e: Env = workerEnv) {
  return { env: e, accounts: createAccounts(e, loadConfig(e), quietLogger), logger: quietLogger };
}

/** Empty what the renewal tests write, so no test depends on another test's leftovers. */
export async function clearRenewalTables(): Promise<void> {
  const tables = [
    'renewals',
    'renewal_keys',
    'audit_log',
    'domains',
    'notifications_sent',
    'renewal_subscribers',
    'webhook_deliveries',
  ];
  await workerEnv.DB.batch(tables.map((table) => workerEnv.DB.prepare(`DELETE FROM ${table}`)));
}

/**
 * The engine with its queue replaced by an in-test list: `drain()` runs each job through the
 * real JOB_HANDLERS, waiting each job's delay (at most 5 s). `vars` override env vars; reconciliation
 * delays and the decision age default to 0 s here.
 */
export function pump(vars: Record<string, string> = {}) {
  const sent: Array<{ body: JobMessage; delaySeconds?: number }> = [];
  const queue = {
    send: async (body: unknown, opts?: { delaySeconds?: number }) => {
      sent.push({ body: body as JobMessage, delaySeconds: opts?.delaySeconds });
    },
    sendBatch: async (batch: Iterable<{ body: unknown; delaySeconds?: number }>) => {
      for (const m of batch) sent.push({ body: m.body as JobMessage, delaySeconds: m.delaySeconds });
    },
  };
  const env = {
    ...workerEnv,
    RENEWAL_RECONCILE_DELAYS: '0',
    RENEWAL_DECIDE_AFTER_SECONDS: '0',
    ...vars,
    RENEWALS: queue as unknown as Queue,
  } as Env;
  const handled: JobMessage[] = [];
  return {
    env,
    sent,
    handled,
    /** Run queued jobs until none is left (bounded). */
    async drain(maxJobs = 100): Promise<void> {
      for (let i = 0; i < maxJobs; i++) {
        if (!(await this.step())) return;
      }
      throw new Error(`still jobs queued after ${maxJobs}`);
    },
    /** Run the next queued job; false when there is none. */
    async step(): Promise<boolean> {
      {
        const next = sent.shift();
        if (!next) return false;
        const handler = JOB_HANDLERS[next.body.type];
        if (!handler) throw new Error(`no handler for ${next.body.type}`);
        // Honour the delay the engine asked for (tests shorten them with RENEWAL_RECONCILE_DELAYS).
        if (next.delaySeconds)
          await new Promise((r) => setTimeout(r, Math.min(next.delaySeconds ?? 0, 5) * 1000));
        handled.push(next.body);
        await handler(next.body, env, quietLogger, notifier);
        return true;
      }
    },
  };
}
