/**
 * Bulk availability (issue 12, item 2): 1,000 `.com` names in one `POST /v1/availability` through
 * the local stack, each simulator answering after a 50 ms simulated RTT. Target: wall time ≤ 1.2 ×
 * the lower bound below. Names are routed, not spread (issue 18): each goes to the first account in
 * AVAILABILITY_PREFERENCE that may sell `.com` (no TLD lists before a sync), so the bound counts the
 * accounts that answered.
 *
 * Lower bound (the best any scheduler could do with each registrar's own limits):
 *   for each account r, from its provider: batch size b_r = `limits.availabilityBatch`, calls in
 *   flight c_r = min(`limits.concurrency`, gate(config).concurrency), start spacing I_r = the gate's
 *   `minIntervalMs` (MrDomain: its check pace `MRDOMAIN_CHECK_INTERVAL_MS`, set per call), RTT R.
 *   Call k of account r can start at s_k = max(k·I_r, s_{k−c_r} + R) (s_k = 0 for k < c_r when
 *   I_r = 0) and completes at s_k + R carrying b_r names.
 *   Lower bound T* = the earliest time at which the completed calls of all accounts together carry
 *   ≥ N names (every account fed all the time, no overhead, no final half-empty batch penalty).
 * With b, c, I and R as configured this is a handful of RTTs, so the figure shows whether the
 * gateway keeps every account busy and avoids a slow account's tail.
 *
 * Second scenario, "over the accounts" (issue 24): after a sync has given every account with a
 * price list its TLD list, one request whose names are spread evenly over TLDs that route to
 * different accounts — for each unpaced account, one TLD it is the first on the route for (found
 * by asking one name per candidate TLD through the gateway first). Paced accounts (MrDomain: one
 * check a second, and its terms forbid mass checks) get none. Each account then answers its own
 * share in parallel with the others, so T* is the largest of the accounts' own bounds, and every
 * name must be answered by the account its TLD routes to.
 */
import { startLocalStack } from '../scripts/local-stack';
import { AVAILABILITY_PREFERENCE } from '../src/core/availability';
import { silentLogger } from '../src/core/log';
import { loadConfig } from '../src/env';
import type { BenchFigure, BenchOptions } from './types';

const RTT_MS = 50;

/** TLDs tried for the spread scenario: what the simulators' price lists and type tables hold. */
const SPREAD_TLD_CANDIDATES = ['com', 'net', 'org', 'io', 'co', 'cn', 'biz', 'top', 'xyz', 'shop', 'online'];

interface AvailabilityReply {
  results: Array<{ domain: string; available: boolean | null; account?: string; reason?: string }>;
}

export interface AccountLimits {
  account: string;
  /** Time of one call (RTT); defaults to the nominal RTT. */
  rttMs?: number;
  batch: number;
  concurrency: number;
  intervalMs: number;
}

/** Per-registrar pacing of availability checks that the provider sets per call (not in `gate()`). */
const CHECK_PACE_VAR: Record<string, string> = { mrdomain: 'MRDOMAIN_CHECK_INTERVAL_MS' };

export function accountLimits(workerEnv: Record<string, string>): AccountLimits[] {
  const config = loadConfig(workerEnv);
  return config.accounts.map((a) => {
    const provider = a.definition.create(a.name, a.config, {
      fetch: () => Promise.reject(new Error('limits only')),
      logger: silentLogger,
    });
    const gate = a.definition.gate(a.config);
    const paceVar = CHECK_PACE_VAR[a.provider];
    const pace = paceVar ? Number((a.config as Record<string, unknown>)[paceVar] ?? 0) : 0;
    return {
      account: a.name,
      batch: provider.limits.availabilityBatch,
      concurrency: Math.max(1, Math.min(provider.limits.concurrency, gate.concurrency)),
      intervalMs: Math.max(gate.minIntervalMs ?? 0, pace),
    };
  });
}

/** The account that answers `.com` names when no account has a TLD list yet: the first preferred one. */
export function preferredAccount(workerEnv: Record<string, string>): string {
  const accounts = loadConfig(workerEnv).accounts;
  const key = AVAILABILITY_PREFERENCE.find((k) => accounts.some((a) => a.provider === k));
  const account = accounts.find((a) => a.provider === key) ?? accounts[0];
  if (!account) throw new Error('no registrar account configured');
  return account.name;
}

/** T* of the header comment, in ms. */
export function availabilityLowerBound(accounts: readonly AccountLimits[], names: number, rttMs: number) {
  const events: Array<{ at: number; names: number }> = [];
  for (const a of accounts) {
    const starts: number[] = [];
    // No account needs more calls than there are names.
    for (let k = 0; k * a.batch < names + a.batch && k < names; k++) {
      const paced = k * a.intervalMs;
      const r = a.rttMs ?? rttMs;
      const slot = k >= a.concurrency ? starts[k - a.concurrency]! + r : 0;
      starts.push(Math.max(paced, slot));
      events.push({ at: starts[k]! + r, names: a.batch });
    }
  }
  events.sort((x, y) => x.at - y.at);
  let done = 0;
  for (const e of events) {
    done += e.names;
    if (done >= names) return e.at;
  }
  return Number.POSITIVE_INFINITY;
}

export default async function bench(opts: BenchOptions): Promise<BenchFigure[]> {
  const count = opts.tiny ? 20 : 1000;
  const runs = opts.tiny ? 1 : 5;
  const local = await startLocalStack({
    latencyMs: RTT_MS,
    env: { ...process.env, API_RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
  });
  try {
    const all = accountLimits(local.workerEnv);
    const preferred = preferredAccount(local.workerEnv);
    const limits = all.filter((l) => l.account === preferred);
    const bound = availabilityLowerBound(limits, count, RTT_MS);
    // The simulators need time of their own to answer a full batch (they run in this process):
    // measure one full-batch call per account directly from Node, to state a second bound with
    // each account's measured call time in place of the nominal RTT.
    const measured = await measuredCallTimes(local.workerEnv, limits, () => 'com', opts.tiny);
    const measuredBound = availabilityLowerBound(measured, count, RTT_MS);
    const names = Array.from({ length: count }, (_, i) => `bench-free-${i}-${Date.now() % 1000}.com`);
    const walls: number[] = [];
    let byAccount: Record<string, number> = {};
    const postNames = async (domains: readonly string[]) => {
      const res = await fetch(`${local.url}/v1/availability`, {
        method: 'POST',
        headers: { authorization: `Bearer ${local.adminApiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ domains, prices: false }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`availability answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as AvailabilityReply;
    };
    const post = () => postNames(names);
    // Warm-up with a few names so isolates, DOs and connections exist before timing.
    await fetch(`${local.url}/v1/availability?domain=warm-up-name.com&prices=false`, {
      headers: { authorization: `Bearer ${local.adminApiKey}` },
    }).then((r) => r.text());
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const body = await post();
      walls.push(performance.now() - t);
      const failed = body.results.filter((r) => r.available !== true);
      if (body.results.length !== count || failed.length > 0) {
        throw new Error(
          `${failed.length} of ${body.results.length} names failed, e.g. ${JSON.stringify(failed[0])}`,
        );
      }
      byAccount = {};
      for (const r of body.results) byAccount[r.account!] = (byAccount[r.account!] ?? 0) + 1;
      // MrDomain's pace holds across requests: let it pass before the next run.
      await new Promise((r) => setTimeout(r, Math.max(...all.map((l) => l.intervalMs), 0)));
    }
    const value = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)]!;
    const ratio = value / bound;
    const spreadFigures = await spreadScenario({ count, runs, all, local, postNames, tiny: opts.tiny });
    const shape = limits.map(
      (l) => `${l.account} b=${l.batch} c=${l.concurrency}${l.intervalMs ? ` I=${l.intervalMs}ms` : ''}`,
    );
    const spread = Object.entries(byAccount)
      .map(([a, n]) => `${a} ${n}`)
      .join(', ');
    const title = `Bulk availability, ${count.toLocaleString('en-US')} names routed to ${preferred}, ${RTT_MS} ms RTT (median of ${runs})`;
    return [
      {
        figure: title,
        baselineName: 'lower bound from batch size, concurrency, pacing and RTT',
        baseline: bound,
        value,
        unit: 'ms',
        ratio,
        target: '≤ 1.2×',
        met: ratio <= 1.2,
        notes: `${shape.join('; ')}; answered by: ${spread}`,
      },
      {
        figure: `${title}, against measured per-call times`,
        baselineName: 'same lower bound with each account’s measured direct full-batch call time as R',
        baseline: measuredBound,
        value,
        unit: 'ms',
        ratio: value / measuredBound,
        target: '≤ 1.2×',
        met: value / measuredBound <= 1.2,
        notes: `R per account: ${measured.map((m) => `${m.account} ${m.rttMs!.toFixed(0)} ms`).join(', ')} (simulator service time included)`,
      },
      ...spreadFigures,
    ];
  } finally {
    await local.close();
  }
}

/** Median of a list of wall times. */
function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** One full-batch call per account made directly from Node: its median time replaces R. */
async function measuredCallTimes(
  workerEnv: Record<string, string>,
  limits: readonly AccountLimits[],
  tldOf: (account: string) => string,
  tiny: boolean,
): Promise<AccountLimits[]> {
  const config = loadConfig(workerEnv);
  const measured: AccountLimits[] = [];
  for (const l of limits) {
    const a = config.accounts.find((x) => x.name === l.account)!;
    const direct = a.definition.create(a.name, a.config, {
      fetch: (input, init) => fetch(input, init),
      logger: silentLogger,
    });
    const batch = Array.from({ length: l.batch }, (_, i) => `bench-direct-${i}.${tldOf(l.account)}`);
    const times: number[] = [];
    for (let i = 0; i < (tiny ? 1 : 5); i++) {
      const t = performance.now();
      await direct.checkAvailability(batch, { withPrices: false });
      times.push(performance.now() - t);
      if (l.intervalMs) await new Promise((r) => setTimeout(r, l.intervalMs));
    }
    measured.push({ ...l, rttMs: medianOf(times) });
  }
  return measured;
}

/**
 * The "over the accounts" scenario of the header comment: names spread over TLDs that route to
 * different accounts once the TLD lists are synced.
 */
async function spreadScenario(args: {
  count: number;
  runs: number;
  all: readonly AccountLimits[];
  local: { url: string; adminApiKey: string; workerEnv: Record<string, string> };
  postNames: (domains: readonly string[]) => Promise<AvailabilityReply>;
  tiny: boolean;
}): Promise<BenchFigure[]> {
  const { count, runs, all, local, postNames } = args;
  const sync = await fetch(`${local.url}/v1/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${local.adminApiKey}` },
  });
  if (!sync.ok) throw new Error(`sync answered ${sync.status}: ${(await sync.text()).slice(0, 300)}`);
  await sync.text();
  // Which account answers each candidate TLD, as the gateway routes it now.
  const stamp = Date.now().toString(36);
  const probe = await postNames(SPREAD_TLD_CANDIDATES.map((t) => `bench-probe-${stamp}.${t}`));
  const unpaced = new Set(all.filter((l) => l.intervalMs === 0).map((l) => l.account));
  const tldFor = new Map<string, string>();
  for (const r of probe.results) {
    if (r.available !== true || !r.account || !unpaced.has(r.account) || tldFor.has(r.account)) continue;
    tldFor.set(r.account, r.domain.slice(r.domain.indexOf('.') + 1));
  }
  const accounts = [...tldFor.keys()];
  if (accounts.length < 2)
    throw new Error(`the spread scenario needs two accounts, got ${accounts.join(', ')}`);
  const names = Array.from(
    { length: count },
    (_, i) => `bench-spread-${i}-${stamp}.${tldFor.get(accounts[i % accounts.length]!)}`,
  );
  const share = (account: string) => names.filter((n) => n.endsWith(`.${tldFor.get(account)}`)).length;
  const limits = all.filter((l) => tldFor.has(l.account));
  // Accounts answer their own shares side by side: T* is the slowest account's own bound.
  const boundOf = (ls: readonly AccountLimits[]) =>
    Math.max(...ls.map((l) => availabilityLowerBound([l], share(l.account), RTT_MS)));
  const bound = boundOf(limits);
  const measured = await measuredCallTimes(local.workerEnv, limits, (a) => tldFor.get(a)!, args.tiny);
  const measuredBound = boundOf(measured);

  const walls: number[] = [];
  const answered: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const body = await postNames(names);
    walls.push(performance.now() - t);
    const wrong = body.results.filter(
      (r) =>
        r.available !== true || r.account !== accounts.find((a) => r.domain.endsWith(`.${tldFor.get(a)}`)),
    );
    if (body.results.length !== count || wrong.length > 0)
      throw new Error(
        `${wrong.length} of ${body.results.length} names not answered by their route, e.g. ${JSON.stringify(wrong[0])}`,
      );
    for (const k of Object.keys(answered)) delete answered[k];
    for (const r of body.results) answered[r.account!] = (answered[r.account!] ?? 0) + 1;
  }
  const value = medianOf(walls);
  const title = `Bulk availability, ${count.toLocaleString('en-US')} names over ${accounts.length} accounts (one TLD each), ${RTT_MS} ms RTT (median of ${runs})`;
  const shape = limits
    .map(
      (l) => `${l.account} .${tldFor.get(l.account)} n=${share(l.account)} b=${l.batch} c=${l.concurrency}`,
    )
    .join('; ');
  return [
    {
      figure: title,
      baselineName: 'largest per-account lower bound from batch size, concurrency and RTT',
      baseline: bound,
      value,
      unit: 'ms',
      ratio: value / bound,
      target: '≤ 1.5×',
      met: value / bound <= 1.5,
      notes: `${shape}; answered by: ${Object.entries(answered)
        .map(([a, n]) => `${a} ${n}`)
        .join(', ')} (each name by its TLD's first account); paced accounts get no share`,
    },
    {
      figure: `${title}, against measured per-call times`,
      baselineName: 'same bound with each account’s measured direct full-batch call time as R',
      baseline: measuredBound,
      value,
      unit: 'ms',
      ratio: value / measuredBound,
      target: '≤ 1.5×',
      met: value / measuredBound <= 1.5,
      notes: `R per account: ${measured.map((m) => `${m.account} ${m.rttMs!.toFixed(0)} ms`).join(', ')}`,
    },
  ];
}
