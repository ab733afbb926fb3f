/**
 * Load (issue 12, item 7): 500 concurrent clients for 30 s against `GET /v1/availability` on the
 * local stack (loopback only; autocannon stops by itself after `duration`, and every request has a
 * 10 s timeout). Target: no errors (connection errors incl. timeouts, non-2xx); p99 and requests/s
 * reported.
 *
 * Each request asks about a different name with no `account`, so the gateway picks the account.
 * The baseline is the same load, same clients and duration, on a request the worker refuses at
 * auth (401: routed, logged, problem+json, no Durable Object, no upstream): the worker's own
 * ceiling on this machine, so the ratio shows what the rate limiter, the account gate and the
 * upstream calls cost under load. Three pairs of runs (baseline, then the real load); the figures
 * are their medians.
 *
 * As gateway-overhead: the worker is hosted without wrangler's devtools inspector and loaded at its
 * own address, not through the proxy worker `wrangler dev` puts in front of it (a second workerd
 * process a deployed worker does not have; docs/benchmark-methods.md).
 */
import autocannon from 'autocannon';
import { startLocalStack } from '../scripts/local-stack';
import type { BenchFigure, BenchOptions } from './types';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  total: number;
}

function load(url: string, connections: number, seconds: number, headers: Record<string, string>) {
  let n = 0;
  return new Promise<LoadResult>((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        headers,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: req.path?.replace('{n}', String(n++)) }),
          },
        ],
      },
      (error, r) => {
        if (error) return reject(error);
        resolve({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          ok: r['2xx'],
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          total: r.requests.total,
        });
      },
    );
  });
}

export default async function bench(opts: BenchOptions): Promise<BenchFigure[]> {
  const connections = opts.tiny ? 10 : 500;
  const seconds = opts.tiny ? 2 : 30;
  const local = await startLocalStack({
    // Counting requests per key is part of the load; the limit itself must not refuse them.
    env: { ...process.env, API_RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
    // As deployed: no devtools inspector attached (it records every fetch, Request and Response).
    inspector: false,
  });
  try {
    const auth = { authorization: `Bearer ${local.adminApiKey}` };
    // The worker itself, not wrangler dev's proxy worker in front of it (scripts/worker-host.ts).
    const gateway = local.directUrl;
    if (!gateway) throw new Error("the worker host did not tell the worker's own address");
    const availability = `${gateway}/v1/availability?domain=load-{n}.com&prices=false`;
    // Warm-up: isolates, DOs, connections.
    await fetch(availability.replace('{n}', 'warm'), { headers: auth }).then((r) => r.text());
    // Median of `runs` pairs (baseline, then the real load), so one slow half-minute on a shared
    // machine does not decide the figure; every run is in the notes.
    const runs = opts.tiny ? 1 : 3;
    const bases: LoadResult[] = [];
    const reals: LoadResult[] = [];
    for (let i = 0; i < runs; i++) {
      const base = await load(`${gateway}/v1/domains/load-{n}.com`, connections, seconds, {});
      // The baseline must never get through auth (under this load some may time out instead).
      if (base.ok !== 0) throw new Error('the baseline requests were expected to be refused (401)');
      bases.push(base);
      reals.push(await load(availability, connections, seconds, auth));
    }
    const median = (of: LoadResult[], pick: (r: LoadResult) => number) =>
      [...of.map(pick)].sort((a, b) => a - b)[of.length >> 1]!;
    const base = { rps: median(bases, (r) => r.rps), p99: median(bases, (r) => r.p99) };
    const real = { rps: median(reals, (r) => r.rps), p99: median(reals, (r) => r.p99) };
    // autocannon counts timeouts among `errors`; every run must be clean.
    const failures = reals.reduce((n, r) => n + r.errors + r.non2xx, 0);
    // Issue 24's targets: no error at all, at least half the throughput of requests refused at auth
    // (the cheapest request the worker can answer), and p99 within 2 s.
    const clean = failures === 0 && reals.every((r) => r.ok > 0);
    const P99_TARGET_MS = 2000;
    const what = `${connections} clients × ${seconds} s, GET /v1/availability (1 name each), median of ${runs}`;
    const runNotes = reals
      .map(
        (r, i) =>
          `run ${i + 1}: ${Math.round(r.rps)} req/s (401: ${Math.round(bases[i]!.rps)}), p99 ${r.p99} ms, p50 ${r.p50} ms, ${r.ok} × 2xx, ${r.non2xx} non-2xx, ${r.errors} errors (${r.timeouts} timeouts); 401 run: ${bases[i]!.errors} errors`,
      )
      .join('; ');
    const notes = `${runNotes}; the worker at its own address, no inspector`;
    return [
      {
        figure: `Load, ${what}: requests/s`,
        baselineName: 'same load refused at auth (401), req/s',
        baseline: base.rps,
        value: real.rps,
        unit: 'req/s',
        ratio: real.rps / base.rps,
        target: '0 errors and ≥ 0.5× the 401 baseline',
        met: clean && real.rps / base.rps >= 0.5,
        notes,
      },
      {
        figure: `Load, ${what}: p99 latency`,
        baselineName: 'same load refused at auth (401), p99',
        baseline: base.p99,
        value: real.p99,
        unit: 'ms',
        ratio: real.p99 / Math.max(1, base.p99),
        target: `0 errors and p99 ≤ ${P99_TARGET_MS} ms`,
        met: clean && real.p99 <= P99_TARGET_MS,
        notes,
      },
    ];
  } finally {
    await local.close();
  }
}
