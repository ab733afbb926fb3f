/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line), prints each
 * figure as a ratio against the baseline measured in the same run, and rewrites
 * docs/benchmarks.md with the table, the machine and the date.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../scripts/local-stack';
import type { BenchFigure, Benchmark } from './types';

const only = new Set(process.argv.slice(2));
const files = readdirSync(join(REPO_ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.size === 0 || only.has(basename(f, '.bench.ts')))
  .sort();

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const results: Array<{ bench: string; figures: BenchFigure[]; error?: string }> = [];

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);

for (const file of files) {
  const name = basename(file, '.bench.ts');
  console.log(`bench ${name} …`);
  try {
    const mod = (await import(pathToFileURL(join(REPO_ROOT, 'bench', file)).href)) as { default: Benchmark };
    const figures = await mod.default({ tiny: false });
    for (const f of figures) {
      console.log(
        `  ${f.met ? 'met ' : 'MISS'} ${f.figure}: ${fmt(f.value)} ${f.unit} vs ${f.baselineName} ${fmt(f.baseline)} → ratio ${fmt(f.ratio)} (target ${f.target})`,
      );
    }
    results.push({ bench: name, figures });
  } catch (error) {
    console.error(`  failed: ${error instanceof Error ? error.stack : error}`);
    results.push({ bench: name, figures: [], error: String(error instanceof Error ? error.message : error) });
  }
}

const rows = results.flatMap((r) =>
  r.error
    ? [`| ${r.bench} | — | — | — | — | failed: ${r.error.replace(/\|/g, '/')} |`]
    : r.figures.map(
        (f) =>
          `| ${f.figure} | ${f.baselineName}: ${fmt(f.baseline)} ${f.unit} | ${fmt(f.value)} ${f.unit} | ${fmt(f.ratio)} | ${f.target} | ${f.met ? 'met' : 'missed'}${f.notes ? ` — ${f.notes}` : ''} |`,
      ),
);
const doc = `# Benchmarks

Written by \`npm run bench\` on ${date}. Machine: ${machine}. Every figure is measured together with
its baseline in the same process, so the ratio carries across machines better than the raw numbers.
How each figure and baseline is measured, and the lower-bound formulas: [benchmark-methods.md](benchmark-methods.md).

| figure | baseline | value | ratio | target | result |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
if (only.size === 0) {
  const out = join(REPO_ROOT, 'docs', 'benchmarks.md');
  writeFileSync(out, doc);
  // Biome formats Markdown tables too: write the file as `npm test`'s check expects it.
  spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', out], { cwd: REPO_ROOT });
} else console.log(doc);
process.exit(results.some((r) => r.error) ? 1 : 0);
