/**
 * Bundle (issue 12, item 6): the worker script `wrangler deploy --dry-run --outdir` produces, as
 * wrangler.toml configures it (what `wrangler deploy` would upload), gzip-compressed: target
 * ≤ 300 KiB. The same build with `--minify` is reported too, as the lever if the target is missed.
 * Swagger UI's JS/CSS are static assets (`[assets]`, copied by scripts/docs-assets.mjs), so the
 * figure also checks that no `swagger-ui-dist` code ended up in the script.
 *
 * Worker startup CPU: the bundle is loaded into a fresh workerd by Miniflare (the runtime
 * `wrangler dev` uses) with the bindings it declares, and the workerd process's user+system CPU
 * (from /proc) is read once it has answered its first request; the baseline is the same
 * measurement for a one-line worker, so the difference is what parsing and evaluating our script
 * costs. (workerd freezes the worker's own clocks during execution, so the script cannot time its
 * own start-up.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { OFFLINE_ENV, REPO_ROOT } from '../scripts/local-stack';
import { cpuMs, descendants, median } from './support';
import type { BenchFigure, BenchOptions } from './types';

const BUDGET_KIB = 300;

function run(args: string[]): Promise<string> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise<string>((ok, fail) => {
        const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'wrangler'), args, {
          cwd: REPO_ROOT,
          env: { ...process.env, ...OFFLINE_ENV },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.on('error', fail);
        child.on('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`wrangler failed:\n${out}`))));
      }),
  );
}

async function build(dir: string, minify: boolean): Promise<{ raw: number; gzip: number; text: string }> {
  await run(['deploy', '--dry-run', '--outdir', dir, ...(minify ? ['--minify'] : [])]);
  const text = readFileSync(join(dir, 'index.js'), 'utf8');
  return { raw: Buffer.byteLength(text), gzip: gzipSync(text).length, text };
}

/** CPU of a fresh workerd that loaded `scriptPath` and answered one request. */
async function startupCpu(scriptPath: string): Promise<number> {
  const before = new Set(descendants(/^workerd$/));
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: ['DB'],
    queueProducers: { RENEWALS: 'registrar-gateway-renewals' },
    durableObjects: { ACCOUNT_GATE: 'AccountGate', API_RATE_LIMITER: 'ApiRateLimiter' },
    // The worker's request log lines are not part of the measurement's output.
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.resume();
      stderr.resume();
    },
  });
  try {
    await mf.ready;
    const res = await mf.dispatchFetch('http://localhost/v1/domains/example.com');
    await res.text();
    const pids = descendants(/^workerd$/).filter((p) => !before.has(p));
    return cpuMs(pids);
  } finally {
    await mf.dispose();
  }
}

export default async function bench(opts: BenchOptions): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-bundle-'));
  try {
    const shipped = await build(join(dir, 'plain'), false);
    const minified = await build(join(dir, 'min'), true);
    const swaggerDist = /SwaggerUIBundle\s*=|swagger-ui-dist\/swagger-ui-bundle/.test(shipped.text);
    const kib = (n: number) => n / 1024;
    const figures: BenchFigure[] = [
      {
        figure: 'Worker bundle, gzip (wrangler deploy --dry-run, as configured)',
        baselineName: 'budget',
        baseline: BUDGET_KIB,
        value: kib(shipped.gzip),
        unit: 'KiB',
        ratio: kib(shipped.gzip) / BUDGET_KIB,
        target: `≤ ${BUDGET_KIB} KiB (ratio ≤ 1)`,
        met: kib(shipped.gzip) <= BUDGET_KIB,
        notes: `raw ${kib(shipped.raw).toFixed(0)} KiB; swagger-ui-dist code in the script: ${swaggerDist ? 'YES' : 'no'}`,
      },
      {
        figure: 'Worker bundle, gzip, with --minify',
        baselineName: 'budget',
        baseline: BUDGET_KIB,
        value: kib(minified.gzip),
        unit: 'KiB',
        ratio: kib(minified.gzip) / BUDGET_KIB,
        target: `≤ ${BUDGET_KIB} KiB (ratio ≤ 1)`,
        met: kib(minified.gzip) <= BUDGET_KIB,
        notes: `raw ${kib(minified.raw).toFixed(0)} KiB; \`minify = true\` in wrangler.toml would ship this`,
      },
    ];

    const hello = join(dir, 'hello.mjs');
    // Same bindings as ours (the Durable Object classes must exist), nothing else.
    writeFileSync(
      hello,
      [
        'export class AccountGate { fetch() { return new Response("ok"); } }',
        'export class ApiRateLimiter { fetch() { return new Response("ok"); } }',
        'export default { fetch() { return new Response("ok"); } };',
        '',
      ].join('\n'),
    );
    const rounds = opts.tiny ? 1 : 5;
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < rounds; i++) {
      base.push(await startupCpu(hello));
      ours.push(await startupCpu(join(dir, 'plain', 'index.js')));
    }
    if (ours.some((n) => n > 0)) {
      const value = median(ours);
      const baseline = median(base);
      figures.push({
        figure: 'Worker startup CPU (fresh workerd, load + first request)',
        baselineName: 'one-line worker with the same bindings, same measure',
        baseline,
        value,
        unit: 'ms CPU',
        ratio: baseline > 0 ? value / baseline : Number.POSITIVE_INFINITY,
        target: `script's own share (value − baseline) < 400 ms`,
        met: value - baseline < 400,
        notes: `median of ${rounds}; script's share ≈ ${(value - baseline).toFixed(0)} ms; workerd process CPU from /proc (10 ms ticks)`,
      });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
