/**
 * A CPU profile of one request path of the worker, taken from workerd's own V8 inspector (the
 * devtools port of `wrangler dev`) with the Chrome DevTools protocol's `Profiler` domain, over a
 * few hundred requests against the local stack (every simulator in-process, 50 ms upstream delay,
 * the bootstrap admin key). Prints the top frames by self time as a Markdown table and writes the
 * whole profile as a `.cpuprofile` (open it in Chrome DevTools → Performance, or VS Code).
 *
 *   npx tsx bench/profile-request.ts [requests=300] [path=/v1/domains/sim-dynadot.com?account=dynadot] [--no-key]
 *
 * Why the inspector and not a timer in the worker: workerd freezes `Date.now()` and
 * `performance.now()` while JavaScript runs, so the worker cannot time itself; V8's sampling
 * profiler sees every frame. The Durable Objects of the same script run in the same isolate, so
 * their JavaScript is in the profile too; workerd's C++ outside V8 (HTTP parsing, sockets) is not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'undici';
import { freePort, REPO_ROOT, startLocalStack } from '../scripts/local-stack';

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One DevTools protocol session over the inspector's WebSocket: `send` resolves with the result. */
async function devtools(url: string) {
  // wrangler's inspector proxy admits a local Origin only (it guards against web pages).
  const ws = new WebSocket(url, { headers: { origin: 'http://127.0.0.1' } });
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok(), { once: true });
    ws.addEventListener('error', (e) => fail(new Error(`inspector: ${String(e)}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (msg.id === undefined) return;
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) w?.fail(new Error(msg.error.message));
    else w?.ok(msg.result);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise<T>((ok, fail) => waiting.set(id, { ok: ok as (v: unknown) => void, fail }));
    },
    close: () => ws.close(),
  };
}

/**
 * The module a line of the bundle belongs to: esbuild heads each module with a `// path` comment
 * (the script is served unminified for this).
 */
function moduleOfLine(source: string): (line: number) => string | undefined {
  const heads: Array<{ line: number; path: string }> = [];
  source.split('\n').forEach((text, i) => {
    // `// src/…`, or `// ../main/node_modules/…` where node_modules is a link to another checkout.
    const m = /^\/\/ (?:\.\.\/)*(?:[\w.-]+\/)??((?:src|node_modules|scripts)\/\S+)$/.exec(text);
    if (m) heads.push({ line: i, path: m[1]!.replace(/^node_modules\//, '') });
  });
  return (line) => {
    let found: string | undefined;
    for (const h of heads) {
      if (h.line > line) break;
      found = h.path;
    }
    return found;
  };
}

/** Self time per function (name + module:line), in ms, heaviest first; `total` is every sample's time. */
export function selfTimes(
  profile: CpuProfile,
  moduleOf: (scriptId: string, line: number) => string | undefined = () => undefined,
): {
  total: number;
  rows: Array<{ frame: string; ms: number }>;
  modules: Array<{ frame: string; ms: number }>;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  const perModule = new Map<string, number>();
  let total = 0;
  // timeDeltas[i] is the time between sample i-1 and sample i: sample i's frame ran for the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber, scriptId } = node.callFrame;
    const where = moduleOf(scriptId, lineNumber) ?? (url ? url.replace(/^.*\//, '') : '');
    const frame = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    ms.set(frame, (ms.get(frame) ?? 0) + dt);
    // Frames without a script are the runtime's own (fetch, Request, Response, URL, GC, …).
    const module = where || (functionName.startsWith('(') ? functionName : '(runtime built-ins)');
    perModule.set(module, (perModule.get(module) ?? 0) + dt);
    total += dt;
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([frame, t]) => ({ frame, ms: t })).sort((a, b) => b.ms - a.ms);
  return { total, rows: sorted(ms), modules: sorted(perModule) };
}

async function main() {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const noKey = process.argv.includes('--no-key');
  const requests = Number(args[0] ?? 300);
  const path = args[1] ?? '/v1/domains/sim-dynadot.com?account=dynadot';
  const inspectorPort = await freePort();
  const local = await startLocalStack({
    latencyMs: 50,
    inspectorPort,
    minify: false,
    env: { ...process.env, API_RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
  });
  try {
    const headers: Record<string, string> = noKey ? {} : { authorization: `Bearer ${local.adminApiKey}` };
    const once = async () => {
      const res = await fetch(`${local.url}${path}`, { headers });
      await res.text();
      if (res.status !== (noKey ? 401 : 200)) throw new Error(`${path} answered ${res.status}`);
    };
    for (let i = 0; i < 20; i++) await once();
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{
      title?: string;
      webSocketDebuggerUrl: string;
    }>;
    const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
    if (!target) throw new Error('the inspector lists no target');
    const session = await devtools(target.webSocketDebuggerUrl);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 250 });
    await session.send('Profiler.start');
    for (let i = 0; i < requests; i++) await once();
    const { profile } = await session.send<{ profile: CpuProfile }>('Profiler.stop');
    // Which module each frame is in: the scripts' sources, read through the same session.
    await session.send('Debugger.enable');
    const lookups = new Map<string, (line: number) => string | undefined>();
    for (const id of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
      if (!id || id === '0') continue;
      const src = await session
        .send<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId: id })
        .catch(() => undefined);
      if (src) lookups.set(id, moduleOfLine(src.scriptSource));
    }
    session.close();
    const out = join(REPO_ROOT, '.wrangler', `profile-${Date.now()}.cpuprofile`);
    writeFileSync(out, JSON.stringify(profile));
    const { total, rows, modules } = selfTimes(profile, (id, line) => lookups.get(id)?.(line));
    const outside = rows.filter((r) => /^\((idle|program)\)/.test(r.frame));
    const idle = outside.reduce((s, r) => s + r.ms, 0);
    console.log(
      `${requests} × ${noKey ? 'unauthenticated ' : ''}GET ${path}: ${((total - idle) / requests).toFixed(2)} ms of JavaScript (incl. GC) per request (${outside.map((r) => `${r.frame} ${(r.ms / requests).toFixed(2)} ms`).join(', ')}); profile in ${out}\n`,
    );
    const table = (title: string, list: Array<{ frame: string; ms: number }>, n: number) => {
      console.log(`| self ms / request | share | ${title} |\n|---:|---:|---|`);
      for (const r of list.filter((r) => !/^\((idle|program)\)/.test(r.frame)).slice(0, n))
        console.log(
          `| ${(r.ms / requests).toFixed(3)} | ${((100 * r.ms) / (total - idle)).toFixed(1)}% | \`${r.frame}\` |`,
        );
      console.log('');
    };
    table('frame', rows, 20);
    table('module', modules, 15);
  } finally {
    await local.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
