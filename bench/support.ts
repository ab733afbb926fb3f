/**
 * Small helpers the stack benchmarks share: percentiles, authenticated calls to the local stack,
 * and the CPU time of the workerd process that `wrangler dev` runs (read from /proc, because
 * workerd freezes the worker's own clocks while it executes: `Date.now()` and `performance.now()`
 * only advance on I/O, so a worker cannot time its own CPU).
 */
import { readdirSync, readFileSync } from 'node:fs';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** GET/POST to the local stack with the admin key; throws with the body on a non-2xx status. */
export async function call(
  base: string,
  key: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime in clock ticks. */
  ticks: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14, stime field 15 → indexes 11 and 12.
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Processes descending from `root` (this process by default) whose command name matches. */
export function descendants(match: RegExp, root = process.pid): number[] {
  if (process.platform !== 'linux') return [];
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== undefined);
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (match.test(c.comm)) out.push(c.pid);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** Linux USER_HZ: 100 on every mainstream kernel build (`getconf CLK_TCK`). */
const TICK_MS = 10;

/** CPU milliseconds (user + system) consumed so far by these processes. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readProc(pid)?.ticks ?? 0;
  return ticks * TICK_MS;
}

export const fmtMs = (n: number) => `${n.toFixed(n >= 100 ? 0 : 2)} ms`;
