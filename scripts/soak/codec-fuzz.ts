/**
 * Codec fuzzing by replay (issue 13, item 2): each registrar's real provider first talks to its
 * simulator over HTTP while a recording fetch keeps every reply (the simulators answer in the
 * registrar's documented wire format); then each recorded session is replayed many times with one
 * reply mutated by fast-check (truncated, sliced, spliced with markup, numbers and dates swapped
 * for junk, JSON values replaced by arbitrary JSON). The provider's whole decode path — codec,
 * error table, index mapping — must answer with a value or a GatewayError: never a TypeError,
 * never a hang, never a runaway pagination loop.
 *
 * What counts as a correct error for a mutated reply:
 *  - `protocol` (unreadable reply), always;
 *  - any kind carrying the registrar's own code (`upstreamCode`/`upstreamMessage`): the mutation
 *    produced a readable error envelope, which the error table mapped;
 *  - `outcome_unknown` and `conflict` for `renew` (an unreadable renew reply is an unknown outcome;
 *    a mutated expiry read before renewing is a refused intent);
 *  - `not_found` for reads of one domain (a mutated name no longer matches the asked one).
 */
import fc from 'fast-check';
import { SIMULATORS } from '../../sim/registry';
import { type GatewayError, isGatewayError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/log';
import { providers } from '../../src/providers/registry';
import type { Provider } from '../../src/providers/types';

interface Reply {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface Session {
  provider: string;
  operation: string;
  run: (p: Provider) => Promise<unknown>;
  replies: Reply[];
  /** Mutate only this reply (a real registrar reply put into a recorded session); default: any. */
  mutate?: number;
  /** Where the mutated reply came from, for the report (a file under fixtures/real/). */
  source?: string;
}

export interface CodecFuzzFailure {
  provider: string;
  operation: string;
  source?: string;
  reply: number;
  mutated: string;
  error: string;
}

export interface CodecFuzzReport {
  seed: number;
  runsPerSession: number;
  sessions: Array<{ provider: string; operation: string; replies: number; source?: string }>;
  cases: number;
  outcomes: Record<string, number>;
  failures: CodecFuzzFailure[];
}

const NO_SLEEP = async () => {};

function buildProvider(key: string, env: Record<string, string>, fetchImpl: typeof fetch): Provider {
  const definition = providers[key as keyof typeof providers];
  const config = definition.parseConfig(env);
  return (definition as { create: (a: string, c: unknown, d: unknown) => Provider }).create(
    `fuzz-${key}`,
    config,
    {
      fetch: fetchImpl,
      logger: silentLogger,
      sleep: NO_SLEEP,
    },
  );
}

async function drain(iterable: AsyncIterable<unknown>, max = 500): Promise<number> {
  let n = 0;
  for await (const _ of iterable) if (++n >= max) break;
  return n;
}

/** The operations worth replaying for one provider, given one held domain. */
function operations(
  domain: string,
  expiresAt: string | undefined,
): Array<{ operation: string; run: (p: Provider) => Promise<unknown> }> {
  const opts = {};
  return [
    { operation: 'getBalance', run: (p) => p.getBalance(opts) },
    { operation: 'listDomains', run: (p) => drain(p.listDomains(opts)) },
    { operation: 'getDomain', run: (p) => p.getDomain(domain, opts) },
    {
      operation: 'checkAvailability',
      run: (p) => p.checkAvailability([`fuzz-free-${domain}`, domain], { ...opts, withPrices: true }),
    },
    { operation: 'getPrices', run: (p) => p.getPrices({ tld: 'com', operation: 'renew', years: 1 }, opts) },
    { operation: 'getNameservers', run: (p) => p.getNameservers(domain, opts) },
    { operation: 'getTransferStatus', run: (p) => p.getTransferStatus(domain, opts) },
    { operation: 'setAutoRenew', run: (p) => p.setAutoRenew(domain, true, opts) },
    {
      operation: 'setNameservers',
      run: (p) => p.setNameservers(domain, ['ns1.example.net', 'ns2.example.net'], opts),
    },
    {
      operation: 'renew',
      run: (p) =>
        p.renew(domain, { years: 1, expectedExpiry: expiresAt ?? '' }, { ...opts, idempotencyKey: 'fuzz-1' }),
    },
  ];
}

/** Record one session per operation against a fresh simulator of each registrar. */
export async function recordSessions(keys: string[] = Object.keys(SIMULATORS)): Promise<Session[]> {
  const sessions: Session[] = [];
  for (const key of keys) {
    const start = SIMULATORS[key];
    if (!start || !(key in providers)) continue;
    // 35.com's provider speaks HTTP to the bridge, not to the simulator: its wire replies are the
    // bridge's JSON, covered by the bridge's own tests; the TCP codec is fuzzed there.
    if (key === 'com35') continue;
    const sim = await start({});
    try {
      let replies: Reply[] = [];
      const recording: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        const body = await res.text();
        replies.push({ status: res.status, headers: [...res.headers.entries()], body });
        return new Response(body, { status: res.status, headers: res.headers });
      };
      const provider = buildProvider(key, sim.env, recording);
      const held: Array<{ domain: string; expiresAt?: string }> = [];
      for await (const d of provider.listDomains({})) {
        held.push({ domain: d.domain, expiresAt: d.expiresAt });
      }
      const target = held[0];
      if (!target) throw new Error(`${key}: the simulator holds no domain`);
      const info = await provider.getDomain(target.domain, {});
      for (const op of operations(target.domain, info.expiresAt)) {
        replies = [];
        try {
          await op.run(provider);
        } catch {
          // an operation this registrar does not support, or one the simulator refuses: the
          // replies it produced are still real wire replies worth mutating
        }
        if (replies.length > 0)
          sessions.push({ provider: key, operation: op.operation, run: op.run, replies });
      }
    } finally {
      await sim.close();
    }
  }
  return sessions;
}

/** A mutation of one reply body, described for the failure report. */
type Mutation = { name: string; apply: (text: string) => string };

const junk = fc.oneof(
  fc.constantFrom(
    '',
    '<',
    '>',
    '"',
    "'",
    '&',
    '&amp;',
    ']]>',
    '<![CDATA[',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '\u0000',
    '\uFFFD',
  ),
  fc.constantFrom(
    'NaN',
    '-1',
    '1e999',
    '0',
    '99999999999999999999',
    'null',
    'true',
    '0000-00-00',
    '2026-13-45T99:99:99Z',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const position = fc.double({ min: 0, max: 1, noNaN: true });

function at(text: string, p: number): number {
  return Math.min(text.length, Math.floor(p * text.length));
}

function mutateJsonTree(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [k, child] = entries[path[0]! % entries.length]!;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
  copy[k] = mutateJsonTree(child, path.slice(1), replacement);
  return copy;
}

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  position.map((p) => ({ name: `truncate@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) })),
  fc.tuple(position, fc.integer({ min: 1, max: 40 })).map(([p, n]) => ({
    name: `delete@${p.toFixed(3)}+${n}`,
    apply: (t: string) => t.slice(0, at(t, p)) + t.slice(at(t, p) + n),
  })),
  fc.tuple(position, junk).map(([p, s]) => ({
    name: `insert@${p.toFixed(3)}:${JSON.stringify(s)}`,
    apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)),
  })),
  fc.tuple(fc.nat(), junk).map(([i, s]) => ({
    name: `number#${i}→${JSON.stringify(s)}`,
    apply: (t: string) => {
      const runs = [...t.matchAll(/\d+(\.\d+)?/g)];
      const m = runs[i % Math.max(1, runs.length)];
      return m?.index === undefined ? t : t.slice(0, m.index) + s + t.slice(m.index + m[0].length);
    },
  })),
  fc.tuple(fc.nat(), junk).map(([i, s]) => ({
    name: `xmltext#${i}→${JSON.stringify(s)}`,
    apply: (t: string) => {
      const runs = [...t.matchAll(/>([^<]+)</g)];
      const m = runs[i % Math.max(1, runs.length)];
      return m?.index === undefined
        ? t
        : `${t.slice(0, m.index + 1)}${s}${t.slice(m.index + 1 + m[1]!.length)}`;
    },
  })),
  fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })).map(([path, v]) => ({
    name: `json[${path.join(',')}]→${JSON.stringify(v)?.slice(0, 60)}`,
    apply: (t: string) => {
      try {
        return JSON.stringify(mutateJsonTree(JSON.parse(t), path, v));
      } catch {
        return t;
      }
    },
  })),
  fc.tuple(position, position).map(([a, b]) => ({
    name: `duplicate@${a.toFixed(3)}-${b.toFixed(3)}`,
    apply: (t: string) => {
      const [i, j] = [at(t, Math.min(a, b)), at(t, Math.max(a, b))];
      return t.slice(0, j) + t.slice(i, j) + t.slice(j);
    },
  })),
);

function acceptable(operation: string, error: unknown): boolean {
  if (!isGatewayError(error)) return false;
  const e = error as GatewayError;
  if (e.kind === 'protocol') return true;
  if (e.upstreamCode !== undefined || e.upstreamMessage !== undefined) return true;
  if (operation === 'renew' && (e.kind === 'outcome_unknown' || e.kind === 'conflict')) return true;
  if (
    ['getDomain', 'getNameservers', 'getTransferStatus', 'renew', 'setAutoRenew', 'setNameservers'].includes(
      operation,
    )
  ) {
    return e.kind === 'not_found';
  }
  return false;
}

const MAX_EXTRA_CALLS = 50;

export async function fuzzSessions(
  sessions: Session[],
  opts: { runs: number; seed: number; timeoutMs?: number },
): Promise<CodecFuzzReport> {
  const report: CodecFuzzReport = {
    seed: opts.seed,
    runsPerSession: opts.runs,
    sessions: sessions.map((s) => ({
      provider: s.provider,
      operation: s.operation,
      replies: s.replies.length,
      ...(s.source ? { source: s.source } : {}),
    })),
    cases: 0,
    outcomes: {},
    failures: [],
  };
  for (const session of sessions) {
    const env = await envFor(session.provider);
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutation, async (which, mut) => {
        const index = session.mutate ?? which % session.replies.length;
        const mutatedBody = mut.apply(session.replies[index]!.body);
        const { provider, calls } = replay(session, env, index, mutatedBody);
        report.cases++;
        let outcome = 'ok';
        let failure: string | undefined;
        try {
          await withTimeout(session.run(provider), opts.timeoutMs ?? 5_000);
        } catch (error) {
          outcome = isGatewayError(error) ? (error as GatewayError).kind : 'crash';
          if (!acceptable(session.operation, error)) {
            failure =
              error instanceof Error
                ? `${error.name}${isGatewayError(error) ? `(${(error as GatewayError).kind})` : ''}: ${error.message}`
                : String(error);
          }
        }
        if (calls() > session.replies.length + MAX_EXTRA_CALLS)
          failure = `runaway: ${calls()} upstream calls`;
        report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
        if (failure && report.failures.length < 50) {
          report.failures.push({
            provider: session.provider,
            operation: session.operation,
            ...(session.source ? { source: session.source } : {}),
            reply: index,
            mutated: mut.name,
            error: failure.slice(0, 300),
          });
        }
      }),
      { numRuns: opts.runs, seed: opts.seed, endOnFailure: false },
    );
  }
  return report;
}

/** A provider whose upstream replays `session`, with reply `index` replaced by `body`. */
export function replay(
  session: Session,
  env: Record<string, string>,
  index: number,
  body: string,
): { provider: Provider; calls: () => number } {
  let calls = 0;
  const fetchReplay: typeof fetch = async () => {
    const n = calls++;
    if (n > session.replies.length + MAX_EXTRA_CALLS) throw new Error('runaway: too many upstream calls');
    const reply = session.replies[Math.min(n, session.replies.length - 1)]!;
    return new Response(n === index ? body : reply.body, { status: reply.status, headers: reply.headers });
  };
  return { provider: buildProvider(session.provider, env, fetchReplay), calls: () => calls };
}

const envCache = new Map<string, Record<string, string>>();

/** Credentials for building a replay provider: a simulator's env, captured once (no socket used). */
export async function envFor(key: string): Promise<Record<string, string>> {
  const cached = envCache.get(key);
  if (cached) return cached;
  const sim = await SIMULATORS[key]!({});
  envCache.set(key, sim.env);
  await sim.close();
  return sim.env;
}

class FuzzTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new FuzzTimeout(`no answer within ${ms} ms (hang)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
