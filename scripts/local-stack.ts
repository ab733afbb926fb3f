/**
 * The whole product on one machine, offline: every registrar simulator (and the 35.com bridge)
 * in this process, D1 migrations applied locally, and `wrangler dev` serving the worker. Used by
 * `npm start`, the start-up smoke test, browser tests and benchmarks.
 *
 * Every account of the worker (`ACCOUNTS`, or one per registrar) whose credentials are not set in
 * the environment is simulated, each by a simulator instance of its own; an account whose
 * credentials are set is not: its variables are passed through and the worker talks to the real
 * (or sandbox) upstream they name. The same holds for 35.com's account on the bridge side (COM35_*). The environment is checked before anything
 * starts (local-config.ts), and the worker's final env once more before wrangler starts.
 *
 * Every child (wrangler, workerd) runs in a process group of its own, stopped as a whole: by
 * `close()`, or by the abort signal at any moment of the start-up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningStack, startStack } from '../sim/stack';
import { ConfigError } from '../src/core/config-schema';
import { loadConfig } from '../src/env';
import {
  checkLocalConfig,
  LOCAL_RELAY_ADDRESS,
  localAllowList,
  realAccounts,
  relayRouteVars,
  workerAccounts,
  workerVarsFrom,
} from './local-config';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  XDG_CONFIG_HOME: join(REPO_ROOT, '.wrangler-home'),
};

export interface LocalStackOptions {
  port?: number;
  /** The environment to read configuration from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Simulated upstream RTT added to every simulator reply. */
  latencyMs?: number;
  /** Where wrangler keeps local D1/DO state (default: a fresh directory per run under .wrangler/). */
  persistTo?: string;
  /** Lines of progress (one per component). */
  log?: (line: string) => void;
  /** Extra worker vars set as given (benchmarks: engine tuning that is not in CONFIG_VARS). */
  workerVars?: Record<string, string>;
  /**
   * false: host the worker without wrangler's devtools inspector (scripts/worker-host.ts), which
   * cannot keep up with a long campaign's traffic. Default: plain `wrangler dev`.
   */
  inspector?: boolean;
  /** The devtools inspector's port (default 0: any); a CPU profile connects to it (bench/profile-request.ts). */
  inspectorPort?: number;
  /** false: serve the script unminified (readable frame names in a CPU profile); default as wrangler.toml says. */
  minify?: boolean;
  /**
   * The bridge's relay at work (`LOCAL_ALLOWLIST=1`, the default read from `env`): the HTTP
   * simulators answer only LOCAL_RELAY_ADDRESS, the bridge relays from it, and every simulated
   * HTTP account is routed through it.
   */
  allowList?: boolean;
  /** Aborted (Ctrl-C): stop whatever has started, and reject. */
  signal?: AbortSignal;
}

/** Where scripts/worker-host.ts writes the worker's own address (under the stack's state dir). */
export const DIRECT_URL_FILE = 'worker-direct-url';

export interface LocalStack {
  url: string;
  /**
   * The worker's own address, without `wrangler dev`'s proxy worker in front (a second workerd
   * process a deployed worker does not have): set when hosted with `inspector: false`. Benches
   * that measure the gateway's own cost use it; it changes with `restartWorker`.
   */
  directUrl?: string;
  adminApiKey: string;
  stack: RunningStack;
  workerEnv: Record<string, string>;
  /** Stop and start `wrangler dev` again (same port, same persisted D1/DO state): an isolate restart. */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A port for a server that must be told its port (wrangler has no "any port" that it reports back
 * to us). Chosen at random below the kernel's ephemeral range, so that no socket bound to port 0
 * meanwhile (a simulator, a client connection) can be handed the same number; checked free by
 * binding it. Two callers may still pick the same number: `startLocalStack` retries a worker whose
 * port was taken.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralRangeStart();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (below - 10_000));
    if (await bindable(port)) return port;
  }
  return anyPort();
}

function ephemeralRangeStart(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(first) && first > 12_000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const server = createServer();
    server.once('error', () => answer(false));
    server.listen(port, '127.0.0.1', () => server.close(() => answer(true)));
  });
}

/**
 * Refuses, before anything starts, a relay source address this machine does not have: Linux
 * answers on all of 127.0.0.0/8, macOS and Windows only on 127.0.0.1 unless told otherwise.
 */
export function checkSourceAddress(address: string): Promise<void> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        new ConfigError([
          `LOCAL_ALLOWLIST=1 needs the local address ${address} (the relay sends from it and the simulators let only it in), but this machine cannot bind it (${error.code ?? error.message}): Linux has every 127.x.x.x address; on macOS add it with \`sudo ifconfig lo0 alias ${address} up\`, or run without LOCAL_ALLOWLIST`,
        ]),
      ),
    );
    server.listen(0, address, () => server.close(() => ok()));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function envFileLine(name: string, value: string): string {
  return `${name}=${JSON.stringify(value)}`;
}

/** A child in a process group of its own (wrangler and its workerd), so stopChild stops all of it. */
function spawnGroup(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawnGroup(cmd, args, env);
    const onAbort = () => void stopChild(child);
    signal?.addEventListener('abort', onAbort, { once: true });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) fail(abortError());
      else if (code === 0) ok(out);
      else fail(new Error(`${cmd} ${args.join(' ')} failed:\n${out}`));
    });
  });
}

function abortError(): Error {
  return new DOMException('the start-up was stopped', 'AbortError');
}

/** Resolves after ms, or at once when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        done();
      },
      { once: true },
    );
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw abortError();
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await pause(250, signal);
  }
  throw new Error(`the worker did not answer ${url}/health within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
    const kill = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    try {
      // wrangler and its workerd child form one process group: stop both.
      process.kill(-child.pid, 'SIGINT');
    } catch {
      done();
    }
  });
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  const signal = opts.signal;
  // Every mistake in the environment is named here, before anything starts.
  checkLocalConfig(env);
  const allowList = opts.allowList ?? localAllowList(env);
  if (allowList) await checkSourceAddress(LOCAL_RELAY_ADDRESS);
  // 0 or none: any free port, chosen just before the worker binds it (and chosen again if another
  // process takes it first).
  const portChosenHere = !opts.port;
  let port = opts.port || 0;

  // Accounts configured for real are passed through, not simulated; without a 35.com account in
  // ACCOUNTS there is no 35.com simulator and no local bridge either, unless the bridge is needed
  // as the relay.
  const accounts = workerAccounts(env);
  const real = realAccounts(env);
  const skip = new Set(real);
  if (!allowList && !accounts.some((account) => account.provider === 'com35')) skip.add('com35');
  const stack = await startStack({
    accounts,
    skip,
    latencyMs: opts.latencyMs,
    env,
    relay: allowList ? { sourceAddress: LOCAL_RELAY_ADDRESS, enforced: true } : undefined,
  });
  // LOCAL_ALLOWLIST: every simulated HTTP account (the stack's accountEnv) leaves through the relay.
  const routed = allowList ? accounts.filter((account) => account.name in stack.accountEnv) : [];
  // Where each account's calls go, for its start-up line.
  const upstreamOf = (name: string, provider: string): string => {
    if (real.has(name)) return 'real upstream (credentials from the environment)';
    if (routed.some((account) => account.name === name))
      return `simulated, through the bridge's relay (the simulator answers only ${LOCAL_RELAY_ADDRESS})`;
    if (provider !== 'com35') return 'simulated';
    return stack.com35Upstream && stack.com35Upstream !== 'simulator'
      ? `${stack.com35Upstream} through the local bridge (COM35_* from the environment)`
      : 'simulated, through the local bridge';
  };
  for (const [key, sim] of Object.entries(stack.simulators))
    log(`simulator ${key.padEnd(10)} ${sim.controlUrl}`);
  for (const [name, url] of Object.entries(stack.components)) log(`${name.padEnd(20)} ${url}`);
  for (const { name, provider } of accounts)
    log(`account ${name.padEnd(12)} ${provider.padEnd(10)} ${upstreamOf(name, provider)}`);
  if (allowList)
    log(
      `relay                on: the bridge sends from ${LOCAL_RELAY_ADDRESS}; routed: ${routed.map((a) => a.name).join(', ') || 'no account'}`,
    );

  const adminApiKey = env.ADMIN_API_KEY || `dev-admin-${randomBytes(12).toString('hex')}`;
  // The stack's values win over the environment's: a simulated registrar's base URL and
  // credentials are the simulator's, and the worker signs with the local bridge's own secret.
  const workerEnv: Record<string, string> = {
    ...workerVarsFrom(env),
    ...stack.workerEnv,
    ...relayRouteVars(routed),
    ...opts.workerVars,
    ADMIN_API_KEY: adminApiKey,
  };
  const stateDir = opts.persistTo ?? join(REPO_ROOT, '.wrangler', 'runs', `${Date.now()}-${process.pid}`);
  let child: ChildProcess | undefined;
  let stopping = false;
  // Once: an abort and the failure it causes both ask for it.
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      if (child) await stopChild(child);
      await stack.close();
    })();
    return closing;
  };
  const stopOnAbort = () => void close();
  signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    if (signal?.aborted) throw abortError();
    // The worker's final env, simulators included, by the worker's own rules.
    loadConfig(workerEnv);
    mkdirSync(stateDir, { recursive: true });
    const envFile = join(stateDir, 'worker.env');
    writeFileSync(
      envFile,
      `${Object.entries(workerEnv)
        .map(([k, v]) => envFileLine(k, v))
        .join('\n')}\n`,
      { mode: 0o600 },
    );

    const childEnv = { ...process.env, ...OFFLINE_ENV };
    const wrangler = join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');
    await run(
      wrangler,
      ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir],
      childEnv,
      signal,
    );
    log('d1 migrations        applied');

    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const spawnWorker = () =>
      opts.inspector === false
        ? spawnGroup(
            tsx,
            [join(REPO_ROOT, 'scripts', 'worker-host.ts'), String(port), stateDir, envFile],
            childEnv,
          )
        : spawnGroup(
            wrangler,
            [
              'dev',
              '--local',
              '--ip',
              '127.0.0.1',
              '--port',
              String(port),
              '--inspector-port',
              String(opts.inspectorPort ?? 0),
              '--persist-to',
              stateDir,
              '--env-file',
              envFile,
              '--show-interactive-dev-session=false',
              // GET /__scheduled?cron=… runs a cron task on demand (campaigns trigger the sweep).
              '--test-scheduled',
              '--log-level',
              'warn',
              ...(opts.minify === false ? ['--no-minify'] : []),
            ],
            childEnv,
          );
    let output = '';
    // WORKER_LOG_FILE keeps all of the host's output (a long campaign's diagnosis); the tail is kept anyway.
    const collect = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
      if (process.env.WORKER_LOG_FILE) appendFileSync(process.env.WORKER_LOG_FILE, d);
    };
    // A worker that dies on its own (not stopped by us) says so, with its host's last words.
    const watch = (c: ChildProcess) => {
      c.stdout?.on('data', collect);
      c.stderr?.on('data', collect);
      c.on('exit', (code, exitSignal) => {
        if (!stopping)
          log(
            `the worker host exited by itself (code ${code}, signal ${exitSignal}); its last output:\n${output.slice(-4_000)}`,
          );
      });
      return c;
    };
    for (let attempt = 1; ; attempt++) {
      output = '';
      if (portChosenHere) port = await freePort();
      // No await between this check and the spawn: an abort cannot slip in and miss the child.
      if (signal?.aborted) throw abortError();
      child = watch(spawnWorker());
      try {
        await waitForHealth(`http://127.0.0.1:${port}`, child, 90_000, signal);
        break;
      } catch (error) {
        if (signal?.aborted) throw error;
        // Between choosing a free port and wrangler binding it, another process may take it.
        if (portChosenHere && attempt < 5 && /address already in use/i.test(output)) {
          log(`port ${port} was taken meanwhile; choosing another`);
          stopping = true;
          await stopChild(child);
          stopping = false;
          continue;
        }
        throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
      }
    }
    const url = `http://127.0.0.1:${port}`;
    log(`worker               ${url}`);
    const directUrlFile = join(stateDir, DIRECT_URL_FILE);
    const readDirectUrl = () =>
      opts.inspector === false && existsSync(directUrlFile) ? readFileSync(directUrlFile, 'utf8') : undefined;
    const local: LocalStack = {
      url,
      directUrl: readDirectUrl(),
      adminApiKey,
      stack,
      workerEnv,
      restartWorker: async () => {
        stopping = true;
        await stopChild(child!);
        stopping = false;
        rmSync(directUrlFile, { force: true });
        child = watch(spawnWorker());
        await waitForHealth(url, child, 90_000);
        local.directUrl = readDirectUrl();
      },
      close,
    };
    return local;
  } catch (error) {
    await close();
    throw error;
  } finally {
    signal?.removeEventListener('abort', stopOnAbort);
  }
}
