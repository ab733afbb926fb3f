/**
 * `npm run bridge` as a process: env parsing, listening, and graceful Logout on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { COMMAND_PATH, signedBridgeHeaders } from '../providers/com35/bridge-protocol';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let sim: RunningCom35Simulator;

beforeAll(async () => {
  sim = await startCom35Simulator();
});
afterAll(async () => {
  await sim.close();
});

function runBridge(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/tcp-bridge/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached in time');
}

describe('npm run bridge (src/tcp-bridge/main.ts)', () => {
  it('lists every missing variable by name and exits 2', async () => {
    const run = runBridge({ COM35_HOST: '127.0.0.1' });
    expect(await run.exited).toBe(2);
    for (const name of ['COM35_CLID', 'COM35_PASSWORD', 'BRIDGE_SECRET']) expect(run.err()).toContain(name);
  });

  it('names the variables of a listed account that are not set, and exits 2', async () => {
    const run = runBridge({
      ...sim.env,
      BRIDGE_SECRET: 'main-test-secret-0123456789',
      BRIDGE_ACCOUNTS: 'com35=com35,com35-sub=com35',
      COM35_SUB_HOST: '127.0.0.1',
    });
    expect(await run.exited).toBe(2);
    expect(run.err()).toContain(
      'the 35.com account "com35-sub" of the bridge is partially configured; missing COM35_SUB_CLID, COM35_SUB_PASSWORD',
    );
  });

  it.each([
    [
      'a rotation item shorter than 16 characters',
      { BRIDGE_SECRET: 'main-test-secret-0123456789, short' },
      /BRIDGE_SECRET.*at least 16/,
    ],
    [
      'three secrets',
      {
        BRIDGE_SECRET: 'main-test-secret-0000000001 main-test-secret-0000000002 main-test-secret-0000000003',
      },
      /BRIDGE_SECRET.*at most two/,
    ],
    [
      'a request timeout below the headers timeout',
      {
        BRIDGE_SECRET: 'main-test-secret-0123456789',
        BRIDGE_HEADERS_TIMEOUT_MS: '5000',
        BRIDGE_REQUEST_TIMEOUT_MS: '1000',
      },
      /BRIDGE_REQUEST_TIMEOUT_MS/,
    ],
  ])('refuses %s and exits 2', async (_, env, message) => {
    const run = runBridge({ ...sim.env, ...env });
    expect(await run.exited).toBe(2);
    expect(run.err()).toMatch(message);
    expect(run.err()).not.toContain('main-test-secret');
  });

  it('logs in its pool, serves /health, and logs every session out on SIGTERM', async () => {
    const run = runBridge({
      ...sim.env,
      // A rotation: the new secret first, the old one still accepted.
      BRIDGE_SECRET: 'main-test-secret-new-0123456789 main-test-secret-0123456789',
      BRIDGE_PORT: '0',
      BRIDGE_POOL_SIZE: '2',
      LOG_LEVEL: 'error',
    });
    await waitFor(() => /BRIDGE_URL=/.test(run.out()));
    const url = /BRIDGE_URL=(\S+)/.exec(run.out())![1]!;
    await waitFor(
      async () => ((await (await fetch(`${url}/health`)).json()) as { sessionsUp: number }).sessionsUp === 2,
    );
    const body = JSON.stringify({ category: 'account', action: 'GetAccountBalance' });
    const res = await fetch(`${url}${COMMAND_PATH}`, {
      method: 'POST',
      headers: await signedBridgeHeaders('main-test-secret-0123456789', {
        method: 'POST',
        path: COMMAND_PATH,
        body,
      }),
      body,
    });
    expect(res.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(sim.registrar.counters.logouts).toBe(2);
    expect(run.out() + run.err()).not.toContain(sim.env.COM35_PASSWORD!);
  });
});
