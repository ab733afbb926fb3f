/**
 * Processes under a pid, read from /proc (Linux), and a spawned command's output to wait on: what
 * the start-up tests use to prove that a stop leaves no child behind. A process is identified by
 * its pid and start time, so a recycled pid is not mistaken for a survivor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessId {
  pid: number;
  startTime: string;
  command: string;
}

interface Stat extends ProcessId {
  ppid: number;
  state: string;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses; the fields after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(fields[1]), state: fields[0]!, startTime: fields[19]!, command };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

/** Every living process whose parent chain leads to `root`. */
export function descendants(root: number): ProcessId[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is Stat => s !== undefined && s.state !== 'Z');
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const found: ProcessId[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push({ pid: child.pid, startTime: child.startTime, command: child.command });
      queue.push(child.pid);
    }
  }
  return found;
}

/** The processes of `ids` still running (same pid, same start time, not a zombie). */
export function survivors(ids: Iterable<ProcessId>): ProcessId[] {
  return [...ids].filter((id) => {
    const now = stat(id.pid);
    return now !== undefined && now.state !== 'Z' && now.startTime === id.startTime;
  });
}

/** Every living process whose environment carries `marker` (however it got re-parented). */
function marked(marker: string): ProcessId[] {
  const needle = `${MARKER_VAR}=${marker}`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        if (!readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(needle)) return [];
      } catch {
        return []; // gone, or not ours to read
      }
      const s = stat(Number(name));
      return s && s.state !== 'Z' ? [{ pid: s.pid, startTime: s.startTime, command: s.command }] : [];
    });
}

/** Set in a spawned command's environment, inherited by everything it starts. */
const MARKER_VAR = 'PROCESS_TREE_MARKER';

/** `what` is read when the wait fails, so it can say what the output was then. */
export async function waitUntil(
  what: string | (() => string),
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`not within ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Every descendant seen by `watchTree` so far. */
  seen: Map<string, ProcessId>;
  /** Records the descendants now; returns them. */
  watchTree(): ProcessId[];
  /**
   * What still runs of it: every descendant seen, and every process that inherited its marker —
   * also one started after the last `watchTree` and re-parented since.
   */
  remaining(): ProcessId[];
  /** SIGINT to the whole process group, as a terminal's Ctrl-C. */
  interrupt(): void;
  /** SIGKILL the group if it still runs (test clean-up). */
  kill(): void;
}

/** A command in a process group of its own, with its output collected. */
export function spawnWatched(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Spawned {
  const marker = randomUUID();
  const child = spawn(cmd, args, {
    ...opts,
    env: { ...opts.env, [MARKER_VAR]: marker },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seen = new Map<string, ProcessId>();
  const record = () => {
    const now = descendants(child.pid!);
    for (const p of now) seen.set(`${p.pid}:${p.startTime}`, p);
    return now;
  };
  return {
    child,
    output: () => output,
    exited,
    seen,
    watchTree: record,
    remaining: () => {
      const all = new Map<string, ProcessId>();
      for (const p of [...survivors(seen.values()), ...marked(marker)]) all.set(`${p.pid}:${p.startTime}`, p);
      return [...all.values()];
    },
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
    kill: () => {
      if (child.exitCode === null) record();
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      // Children that left the group (wrangler's own group) are killed by pid.
      for (const p of marked(marker).concat(survivors(seen.values()))) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    },
  };
}
