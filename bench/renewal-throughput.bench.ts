/**
 * Renewal throughput (issue 12, item 5): 1,000 renewal intents spread evenly over every
 * configured registrar account (five when all five simulators run), submitted through
 * `POST /v1/domains/{d}/renew`, executed by the RENEWALS queue consumer with every account's
 * AccountGate policy in force, each simulator answering after a 50 ms simulated RTT.
 * Measured: from the first POST to the moment the last renewal reached a final state (the
 * renewals' own `updatedAt`), and every renewal must end `confirmed`.
 *
 * Baseline, the per-account serialized minimum, measured in the same run: for each account a,
 * t_a = the time of the upstream calls the engine makes for one renewal, made directly from Node
 * with the same provider code against the same simulator; then
 *   S_a = ceil(n_a / c_a) × t_a   (n_a renewals on the account, c_a its gate's concurrency; for
 *   35.com no more than the sessions the bridge keeps for the account, as its /health reports)
 * and the issue's target is wall ≤ 1.2 × Σ_a S_a. Accounts are independent, so the ideal is
 * max_a S_a; the notes give the ratio to that too. A registrar that finishes renewals
 * asynchronously (Alibaba tasks) adds the engine's reconcile wait, set to 1 s here
 * (RENEWAL_RECONCILE_DELAYS), which the baseline does not contain.
 *
 * Two baselines, both printed:
 * - "calls of one renewal" (since issue 24): executor.ts `submit` and `reconcile` — read the
 *   domain, read the balance where the registrar has balance and prices, renew, and the verify
 *   read of the new expiry that every confirmation waits for; the price list is read once per
 *   consumer batch and account (max_batch_size of wrangler.toml), its time spread over the batch.
 * - "pre-checks and renew" (the figure of issue 12, kept for comparison): read the domain, balance
 *   and price list per renewal, renew; no verify read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startLocalStack } from '../scripts/local-stack';
import { isGatewayError } from '../src/core/errors';
import { silentLogger } from '../src/core/log';
import { loadConfig } from '../src/env';
import type { Provider } from '../src/providers/types';
import { call, median, sleep } from './support';
import type { BenchFigure, BenchOptions } from './types';

const RTT_MS = 50;
const DAY = 86_400_000;

/** How each simulator seeds domains and money (their control APIs differ). */
const SEEDERS: Record<
  string,
  { domains(url: string, names: string[], day: string): Promise<void>; fund(url: string): Promise<void> }
> = {
  dynadot: {
    domains: (url, names, day) =>
      post(`${url}/__sim/domains`, {
        domains: names.map((name) => ({ name, expiresAt: `${day}T12:00:00Z` })),
      }),
    fund: (url) => post(`${url}/__sim/balance`, { amount: '1000000.00' }),
  },
  logicboxes: {
    domains: (url, names, day) =>
      post(`${url}/__sim/domains`, {
        domains: names.map((domain) => ({ domain, expiresAt: `${day}T12:00:00Z` })),
      }),
    fund: (url) => post(`${url}/__sim/balance`, { amount: '1000000.00' }),
  },
  alibaba: {
    domains: async (url, names, day) => {
      for (const domain of names)
        await post(`${url}/__sim/domains`, { domain, expiresAt: `${day}T12:00:00Z` });
    },
    fund: (url) => post(`${url}/__sim/config`, { balance: '1000000.00' }),
  },
  mrdomain: {
    domains: (url, names, day) =>
      post(
        `${url}/__sim/domains`,
        names.map((name) => ({ name, tsExpir: day })),
      ),
    fund: (url) => post(`${url}/__sim/balance`, { amount: '1000000.00' }),
  },
  com35: {
    domains: (url, names, day) =>
      post(
        `${url}/__sim/domains`,
        names.map((name) => ({ name, exDate: day })),
      ),
    fund: (url) => post(`${url}/__sim/balance`, { amount: '1000000.00' }),
  },
};

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url} → ${res.status}: ${text.slice(0, 300)}`);
}

/** The consumer's batch size, as wrangler.toml configures it (the price list is read once per batch). */
function queueBatchSize(): number {
  const toml = readFileSync(join(REPO_ROOT, 'wrangler.toml'), 'utf8');
  const size = /^max_batch_size\s*=\s*(\d+)/m.exec(toml)?.[1];
  if (!size) throw new Error('wrangler.toml: no max_batch_size');
  return Number(size);
}

interface DirectTimes {
  /** Pre-checks (domain, balance), renew, and the verify read. */
  renewal: number;
  /** One read of the price list (0 where the engine does not read it). */
  prices: number;
  /** Issue 12's measure: domain, balance and price list, renew. */
  issue12: number;
}

/** The engine's upstream calls for one renewal, made directly (see the header comment). */
async function directRenewal(p: Provider, domain: string, day: string): Promise<DirectTimes> {
  const timed = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  let expiresAt = '';
  const read = await timed(async () => {
    expiresAt = (await p.getDomain(domain, {})).expiresAt;
  });
  if (expiresAt.slice(0, 10) !== day) throw new Error(`${domain}: seeded ${day}, read ${expiresAt}`);
  const checksBalance = p.capabilities.has('getBalance') && p.capabilities.has('getPrices');
  const balance = checksBalance ? await timed(() => p.getBalance({})) : 0;
  const prices = checksBalance
    ? await timed(() =>
        p.getPrices({ tld: 'com', operation: 'renew', years: 1 }, {}).catch((e) => {
          if (!isGatewayError(e)) throw e;
        }),
      )
    : 0;
  const renew = await timed(() =>
    p.renew(domain, { years: 1, expectedExpiry: expiresAt }, { idempotencyKey: `direct-${domain}` }),
  );
  const verify = await timed(() => p.getDomain(domain, {}));
  return { renewal: read + balance + renew + verify, prices, issue12: read + balance + prices + renew };
}

/**
 * The calls the stack can run at once for an account: its gate's concurrency, and for a 35.com
 * account no more than the sessions its bridge pool really keeps (from the bridge's `/health`), one
 * command each. Both come from one default (COM35_SESSIONS_PER_ACCOUNT); reading the pool from
 * the running bridge keeps the bound honest if the two ever part.
 */
async function concurrencyOf(
  a: ReturnType<typeof loadConfig>['accounts'][number],
  bridgeUrl: string | undefined,
): Promise<number> {
  const gate = Math.max(1, a.definition.gate(a.config).concurrency);
  if (a.provider !== 'com35') return gate;
  if (!bridgeUrl) throw new Error(`${a.name}: a 35.com account but no local bridge`);
  const health = (await (await fetch(`${bridgeUrl}/health`)).json()) as {
    accounts: Record<string, { poolSize: number }>;
  };
  const sessions = health.accounts[a.name]?.poolSize;
  if (!sessions) throw new Error(`${a.name}: the bridge reports no pool for it`);
  return Math.min(gate, sessions);
}

interface RenewalRow {
  domain: string;
  state: string;
  account: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

export default async function bench(opts: BenchOptions): Promise<BenchFigure[]> {
  const total = opts.tiny ? 6 : 1000;
  const local = await startLocalStack({
    latencyMs: RTT_MS,
    env: { ...process.env, API_RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
    workerVars: { RENEWAL_RECONCILE_DELAYS: '1', LOG_LEVEL: 'warn' },
  });
  try {
    const config = loadConfig(local.workerEnv);
    const accounts = config.accounts.filter(
      (a) => SEEDERS[a.provider] && local.stack.simulators[a.provider] && a.definition.create,
    );
    const day = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const stamp = Date.now().toString(36);
    const batchSize = queueBatchSize();
    const plan: Array<{
      account: string;
      domains: string[];
      t: number;
      prices: number;
      t12: number;
      c: number;
    }> = [];
    for (const [i, a] of accounts.entries()) {
      const n = Math.floor(total / accounts.length) + (i < total % accounts.length ? 1 : 0);
      const domains = Array.from({ length: n }, (_, k) => `rb-${stamp}-${a.name}-${k}.com`);
      const direct = Array.from({ length: opts.tiny ? 1 : 5 }, (_, k) => `rbd-${stamp}-${a.name}-${k}.com`);
      const control = local.stack.simulators[a.provider]!.controlUrl;
      await SEEDERS[a.provider]!.fund(control);
      await SEEDERS[a.provider]!.domains(control, [...domains, ...direct], day);
      const provider = a.definition.create(a.name, a.config, {
        fetch: (input, init) => fetch(input, init),
        logger: silentLogger,
      });
      const times: DirectTimes[] = [];
      for (const d of direct) times.push(await directRenewal(provider, d, day));
      plan.push({
        account: a.name,
        domains,
        t: median(times.map((x) => x.renewal)),
        prices: median(times.map((x) => x.prices)),
        t12: median(times.map((x) => x.issue12)),
        c: await concurrencyOf(a, local.stack.components.bridge),
      });
    }

    // Submit every intent (20 requests in flight from the client), then wait for final states.
    const started = Date.now();
    const queue = plan.flatMap((p) => p.domains.map((domain) => ({ domain, account: p.account })));
    const submitters = Array.from({ length: 20 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await call(local.url, local.adminApiKey, `/v1/domains/${job.domain}/renew`, {
          method: 'POST',
          body: { years: 1, expectedExpiry: day, account: job.account },
          headers: { 'idempotency-key': `bench-${job.domain}` },
        });
      }
    });
    await Promise.all(submitters);
    const submittedMs = Date.now() - started;

    const wanted = new Set(plan.flatMap((p) => p.domains));
    const deadline = Date.now() + (opts.tiny ? 60_000 : 900_000);
    let rows: RenewalRow[] = [];
    for (;;) {
      rows = [];
      let cursor: string | undefined;
      do {
        const page = (await call(
          local.url,
          local.adminApiKey,
          `/v1/renewals?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )) as { items: RenewalRow[]; nextCursor?: string };
        rows.push(...page.items.filter((r) => wanted.has(r.domain)));
        cursor = page.nextCursor;
      } while (cursor);
      const open = rows.filter((r) => !['confirmed', 'failed', 'needs_attention'].includes(r.state));
      if (rows.length === wanted.size && open.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(`${open.length} renewals still open, ${rows.length}/${wanted.size} seen`);
      await sleep(opts.tiny ? 250 : 1000);
    }
    const bad = rows.filter((r) => r.state !== 'confirmed');
    if (bad.length > 0)
      throw new Error(`${bad.length} renewals did not confirm, e.g. ${JSON.stringify(bad[0])}`);
    const finished = Math.max(...rows.map((r) => Date.parse(r.updatedAt)));
    const value = finished - started;

    // Where the time went: when each account's last renewal reached its final state.
    const doneAt = plan.map((p) => {
      const own = rows.filter((r) => r.account === p.account);
      return `${p.account} ${((Math.max(...own.map((r) => Date.parse(r.updatedAt))) - started) / 1000).toFixed(1)} s`;
    });
    const serialized = plan.map((p) => {
      const rounds = Math.ceil(p.domains.length / p.c);
      // One price-list read per batch of the account's renewals, in one of its c gate slots.
      const priceReads = (Math.ceil(p.domains.length / batchSize) * p.prices) / p.c;
      return { ...p, s: rounds * p.t + priceReads, s12: rounds * p.t12 };
    });
    const sum = serialized.reduce((acc, p) => acc + p.s, 0);
    const max = Math.max(...serialized.map((p) => p.s));
    const sum12 = serialized.reduce((acc, p) => acc + p.s12, 0);
    const max12 = Math.max(...serialized.map((p) => p.s12));
    const title = `Renewal throughput, ${total.toLocaleString('en-US')} intents over ${plan.length} accounts, ${RTT_MS} ms RTT`;
    const common = `final by: ${doneAt.join(', ')}; intake (all POSTs) ${submittedMs} ms; consumer batch ${batchSize}`;
    return [
      {
        figure: title,
        baselineName: 'Σ per-account serialized minimum of the calls of one renewal',
        baseline: sum,
        value,
        unit: 'ms',
        ratio: value / sum,
        target: '≤ 1.2×',
        met: value / sum <= 1.2,
        notes: `${serialized.map((p) => `${p.account} n=${p.domains.length} c=${p.c} t=${p.t.toFixed(0)} ms${p.prices ? ` + prices ${p.prices.toFixed(0)} ms per batch` : ''}`).join('; ')}; vs max_a S_a ${max.toFixed(0)} ms: ${(value / max).toFixed(2)}×; ${common}`,
      },
      {
        figure: `${title}, against issue 12's baseline (pre-checks and renew per renewal)`,
        baselineName: 'Σ per-account serialized minimum, no verify read, prices per renewal',
        baseline: sum12,
        value,
        unit: 'ms',
        ratio: value / sum12,
        target: '≤ 1.2×',
        met: value / sum12 <= 1.2,
        notes: `${serialized.map((p) => `${p.account} t=${p.t12.toFixed(0)} ms`).join('; ')}; vs max_a S_a ${max12.toFixed(0)} ms: ${(value / max12).toFixed(2)}×`,
      },
    ];
  } finally {
    await local.close();
  }
}
