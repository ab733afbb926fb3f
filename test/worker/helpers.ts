/**
 * Helpers for worker integration tests: real providers built from the worker's own env (so calls
 * go through the AccountGate Durable Object and real sockets to the simulators), and a client for
 * each simulator's `/__sim/*` control API.
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import type { FaultRule } from '../../sim/shared/faults';
import { gatedFetch } from '../../src/core/account-gate';
import { HEALTH_STORAGE_KEY } from '../../src/core/account-health';
import { forgetSoldTlds } from '../../src/core/account-tlds';
import { createAccounts } from '../../src/core/accounts';
import type { AdmissionStats } from '../../src/core/admission';
import { createLogger, type Logger } from '../../src/core/log';
import { type Env, loadConfig } from '../../src/env';
import type { Provider } from '../../src/providers/types';

export const workerEnv = env as unknown as Env;

/** Log lines written during a test, for assertions (e.g. that no secret appears). */
export function captureLogs(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const config = loadConfig(workerEnv);
  return {
    lines,
    logger: createLogger({ secrets: config.secrets, level: 'debug', sink: (l) => lines.push(l) }),
  };
}

export function providerFor(account: string, logger?: Logger): Provider {
  const config = loadConfig(workerEnv);
  return createAccounts(workerEnv, config, logger ?? createLogger({ level: 'error' })).get(account);
}

export interface SimControl {
  reset(): Promise<void>;
  faults(rules: FaultRule | FaultRule[]): Promise<void>;
  clearFaults(): Promise<void>;
  latency(ms: number): Promise<void>;
  state<T = unknown>(): Promise<T>;
  /** Calls parked right now by a `hold` fault. */
  held(): Promise<number>;
  /** Let every parked call go on; how many there were. */
  release(): Promise<number>;
  /** A simulator-specific control call (`POST /__sim/<name>`). */
  call<T = unknown>(name: string, body?: unknown): Promise<T>;
}

export function sim(key: string): SimControl {
  const urls: Record<string, string> = {
    ...JSON.parse(env.SIM_CONTROL),
    // The extra accounts' simulator instances (test/setup/stack.ts), by account name.
    ...JSON.parse(env.EXTRA_SIM_CONTROL),
  };
  const base = urls[key];
  if (!base) throw new Error(`no simulator ${key} in this stack`);
  const post = async (name: string, body: unknown = {}, method = 'POST') => {
    const res = await fetch(`${base}/__sim/${name}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sim ${key} ${name}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    reset: async () => void (await post('reset')),
    faults: async (rules) => void (await post('faults', rules)),
    clearFaults: async () => void (await post('faults', undefined, 'DELETE')),
    latency: async (ms) => void (await post('latency', { ms })),
    state: async <T>() => (await post('state', undefined, 'GET')) as T,
    held: async () => ((await post('held', undefined, 'GET')) as { held: number }).held,
    release: async () => ((await post('release')) as { released: number }).released,
    call: async <T>(name: string, body?: unknown) => (await post(name, body)) as T,
  };
}

/** What the gate's `/stats` answers. */
export type GateStats = AdmissionStats;

const gateOf = (account: string) => workerEnv.ACCOUNT_GATE.get(workerEnv.ACCOUNT_GATE.idFromName(account));

/** The AccountGate Durable Object's counters for one account. */
export async function gateStats(account: string): Promise<GateStats> {
  return (await (await gateOf(account).fetch('http://gate.internal/stats')).json()) as GateStats;
}

/** Forget the account's cached deep health, so that the next deep check pings the registrar. */
export async function forgetHealth(account: string): Promise<void> {
  await runInDurableObject(gateOf(account), (_gate, state) => state.storage.delete(HEALTH_STORAGE_KEY));
}

/** Poll `condition` until it holds; bounded, and the error names what never happened. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Occupy the only slot of gate `gate` (one call at a time) with a Dynadot `account_info` parked at
 * the registrar by a `hold` fault, until `sim('dynadot').release()`. Resolves once it is parked.
 * The call comes back in an object: an async function returning the promise itself would wait for it.
 */
export async function parkDynadotCall(gate: string): Promise<{ parked: Promise<string> }> {
  await sim('dynadot').faults({ fault: { kind: 'hold' }, match: 'account_info' });
  const vars = workerEnv as unknown as Record<string, string>;
  const parked = gatedFetch(workerEnv.ACCOUNT_GATE, gate, { concurrency: 1 })(
    `${vars.DYNADOT_BASE_URL}/api3.xml?key=${vars.DYNADOT_API_KEY}&command=account_info`,
  ).then((r) => r.text());
  await waitUntil(async () => (await sim('dynadot').held()) === 1, 'a call to be parked at Dynadot');
  return { parked };
}

/** Wait (bounded) until the gate of `account` has let `count` calls through in all. */
export async function waitForAdmitted(account: string, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await gateStats(account)).admitted < count) {
    if (Date.now() > deadline) throw new Error(`gate ${account}: fewer than ${count} calls admitted`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface DeepHealthReport {
  status: string;
  accounts: Array<{
    account: string;
    reachable: string;
    error?: string;
    checkedAt: string;
    ageSeconds: number;
  }>;
  /** The raw reply, for checks that no secret appears in it. */
  text: string;
}

/** `GET /v1/health` (admin key), after forgetting `account`'s cached answer: a fresh check of it. */
export async function freshHealth(account: string): Promise<DeepHealthReport> {
  await forgetHealth(account);
  const res = await SELF.fetch('http://gateway.test/v1/health', {
    headers: { authorization: `Bearer ${env.ADMIN_API_KEY}` },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /v1/health: ${res.status} ${text}`);
  return { ...(JSON.parse(text) as Omit<DeepHealthReport, 'text'>), text };
}

/**
 * Calls each registrar has received, counted at its simulator: every HTTP registrar's own
 * per-command counters, and for 35.com the commands the bridge ran for the worker (the bridge's
 * metrics; the simulator behind it also sees the bridge's own logins and idle keepalives).
 */
export async function upstreamCallCounts(): Promise<Record<string, number>> {
  const total = (counts: Record<string, number> | undefined) =>
    Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);
  type Counters = { calls?: Record<string, number>; requests?: Record<string, number> };
  const [dynadot, logicboxes, mrdomain, alibaba] = await Promise.all(
    ['dynadot', 'logicboxes', 'mrdomain', 'alibaba'].map((key) => sim(key).state<Counters>()),
  );
  const bridge = (workerEnv as unknown as { BRIDGE_URL: string }).BRIDGE_URL;
  const metrics = await (await fetch(`${bridge}/metrics`)).text();
  const com35 = [...metrics.matchAll(/^com35_commands_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
  return {
    dynadot: total(dynadot?.calls),
    logicboxes: total(logicboxes?.calls),
    mrdomain: total(mrdomain?.calls),
    alibaba: total(alibaba?.requests),
    com35,
  };
}

/** How many calls each registrar received since `before`. */
export async function upstreamCallsSince(before: Record<string, number>): Promise<Record<string, number>> {
  const now = await upstreamCallCounts();
  return Object.fromEntries(Object.entries(now).map(([key, n]) => [key, n - (before[key] ?? 0)]));
}

/**
 * Sets the TLD lists availability routes by (as a sync would leave them), or none at all (the
 * state before the first sync), and makes this isolate read them at once.
 */
export async function setSoldTlds(lists: Record<string, string[]> = {}): Promise<void> {
  const at = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare('DELETE FROM account_tlds'),
    ...Object.entries(lists).flatMap(([account, tlds]) =>
      tlds.map((tld) =>
        env.DB.prepare('INSERT INTO account_tlds (account, tld, refreshed_at) VALUES (?, ?, ?)').bind(
          account,
          tld,
          at,
        ),
      ),
    ),
  ]);
  forgetSoldTlds();
}
