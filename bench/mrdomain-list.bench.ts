/**
 * MrDomain `domain/list` decode: our codec (envelope with zod, every row checked and mapped to the
 * domain model) against a plain `JSON.parse` of the same bytes, in the same process.
 */
import { decodeDomainList } from '../src/providers/mrdomain/codec';
import type { BenchFigure, BenchOptions } from './types';

/** A `domain/list` reply as the real service writes it: compact PHP json_encode, `/` escaped. */
export function domainListReply(rows: number): string {
  const domains = Array.from({ length: rows }, (_, i) => ({
    name: `bench-domain-${i}.${i % 3 === 0 ? 'es' : 'com'}`,
    status: i % 17 === 0 ? 'expired-renewgrace' : 'active',
    tld: i % 3 === 0 ? 'es' : 'com',
    tsExpir: `20${27 + (i % 3)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    domainID: 1_000_000 + i,
  }));
  return JSON.stringify({
    success: true,
    errorCode: 0,
    errorCodeMsg: '',
    action: 'domain/list',
    version: '1.0.20',
    responseData: { queryInfo: { page: 1, pageLength: rows, results: rows, total: rows }, domains },
  }).replace(/\//g, '\\/');
}

function timePerRun(fn: () => unknown, minMs: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT both paths equally
  let runs = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || runs < 5) {
    fn();
    runs++;
    elapsed = performance.now() - started;
  }
  return elapsed / runs;
}

export default async function bench(opts: BenchOptions): Promise<BenchFigure[]> {
  const rows = opts.tiny ? 50 : 10_000;
  const minMs = opts.tiny ? 20 : 4_000;
  const text = domainListReply(rows);
  let sink = 0;
  // Interleave short rounds of both and keep each side's best, so drift (GC, other processes on a
  // shared machine) hits both sides alike.
  const rounds = opts.tiny ? 2 : 8;
  const base: number[] = [];
  const codec: number[] = [];
  for (let round = 0; round < rounds; round++) {
    base.push(
      timePerRun(() => (sink += (JSON.parse(text) as { errorCode: number }).errorCode), minMs / rounds / 2),
    );
    codec.push(timePerRun(() => (sink += decodeDomainList(text).domains.length), minMs / rounds / 2));
  }
  const baseline = Math.min(...base);
  const value = Math.min(...codec);
  const ratio = value / baseline;
  return [
    {
      figure: `MrDomain domain/list decode, ${rows.toLocaleString('en')} domains (codec)`,
      baselineName: 'JSON.parse of the same bytes',
      baseline,
      value,
      unit: 'ms per reply',
      ratio,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
      notes: `${(text.length / 1024).toFixed(0)} KiB reply; checksum ${sink > 0 ? 'ok' : 'none'}`,
    },
  ];
}
