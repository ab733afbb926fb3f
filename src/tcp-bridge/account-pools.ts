/**
 * One session pool per 35.com account (BRIDGE_ACCOUNTS): each logs in with its own member number,
 * queues and limits its own commands, and is counted apart. The tuning (pool size, queue, timeouts,
 * session budget) is the bridge's and applies to every pool alike.
 */
import type { AccountMetricsView } from './metrics';
import { PoolMetrics } from './metrics';
import { type PoolConfig, SessionPool } from './pool';

/** Where one 35.com account's sessions go, and whose they are. */
export interface Com35Account {
  host: string;
  port: number;
  clid: string;
  password: string;
}

export interface AccountPool {
  pool: SessionPool;
  metrics: PoolMetrics;
}

/** The tuning every pool shares: a PoolConfig without the account. */
export type PoolTuning = Omit<PoolConfig, keyof Com35Account>;

/** Starts a pool for each account, in the order given. */
export function startAccountPools(
  accounts: Readonly<Record<string, Com35Account>>,
  tuning: PoolTuning,
): ReadonlyMap<string, AccountPool> {
  const pools = new Map<string, AccountPool>();
  for (const [name, account] of Object.entries(accounts)) {
    const metrics = new PoolMetrics();
    const pool = new SessionPool({ ...tuning, ...account }, metrics);
    pool.start();
    pools.set(name, { pool, metrics });
  }
  return pools;
}

/**
 * `/health`: the totals over every account, then each account's own report. `ok` only while every
 * account has a session up: one account that cannot log in is a degraded bridge.
 */
export function healthOf(pools: ReadonlyMap<string, AccountPool>) {
  const accounts = Object.fromEntries([...pools].map(([name, { pool }]) => [name, pool.status()]));
  const each = Object.values(accounts);
  const sum = (field: 'sessionsUp' | 'poolSize' | 'queueDepth' | 'inFlight') =>
    each.reduce((total, s) => total + s[field], 0);
  const ok = each.length > 0 && each.every((s) => s.sessionsUp > 0);
  return {
    ok,
    report: {
      status: ok ? 'ok' : 'degraded',
      sessionsUp: sum('sessionsUp'),
      poolSize: sum('poolSize'),
      queueDepth: sum('queueDepth'),
      inFlight: sum('inFlight'),
      accounts,
    },
  };
}

/** Each account's counters and gauges, for the metrics page. */
export function metricsViews(pools: ReadonlyMap<string, AccountPool>): AccountMetricsView[] {
  return [...pools].map(([account, { pool, metrics }]) => {
    const s = pool.status();
    return { account, metrics, sessionsUp: s.sessionsUp, queueDepth: s.queueDepth, inFlight: s.inFlight };
  });
}
