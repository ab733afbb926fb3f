/**
 * The bridge's production bundle (`npm run build:bridge`) as the container and the systemd unit run
 * it: built into a temp dir, started with plain `node` (no tsx, no node_modules beside it) against
 * the 35.com simulator, one signed command, /health, and its JSON log lines, which carry the
 * worker's request id and no secret.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/local-stack';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { COMMAND_PATH, signedBridgeHeaders } from '../../src/providers/com35/bridge-protocol';
import { type Spawned, spawnWatched, waitUntil } from './process-tree';

const SECRET = 'bundle-test-bridge-secret-0123456789';
let dir: string;
let sim: RunningCom35Simulator;
let bridge: Spawned | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bridge-bundle-'));
  await promisify(execFile)(process.execPath, ['scripts/build-bridge.mjs', join(dir, 'bridge.mjs')], {
    cwd: REPO_ROOT,
  });
  sim = await startCom35Simulator();
}, 60_000);

afterAll(async () => {
  bridge?.kill();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dist/bridge.mjs', () => {
  it('serves a signed command and /health, logs the request id without secrets, and stops on SIGTERM', async () => {
    // Run from the temp dir: the bundle must need nothing of the repository.
    bridge = spawnWatched(process.execPath, [join(dir, 'bridge.mjs')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        ...sim.env,
        BRIDGE_SECRET: SECRET,
        BRIDGE_HOST: '127.0.0.1',
        BRIDGE_PORT: '0',
        BRIDGE_POOL_SIZE: '1',
      },
    });
    const running = bridge;
    await waitUntil(running.output, () => /BRIDGE_URL=\S+/.test(running.output()), 20_000);
    expect(running.output()).toContain('"msg":"35.com bridge listening"');
    const url = /BRIDGE_URL=(\S+)/.exec(running.output())![1]!;

    const body = JSON.stringify({ category: 'account', action: 'GetAccountBalance' });
    const requestId = 'req-bundle-smoke-7f3a';
    const res = await fetch(`${url}${COMMAND_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(await signedBridgeHeaders(SECRET, { method: 'POST', path: COMMAND_PATH, body })),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: number }).code).toBe(1000);
    // The command was answered, so a session is logged in.
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { sessionsUp: number }).sessionsUp).toBe(1);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    // 'exit' may come before the last output: wait until both pipes are drained.
    for (const stream of [running.child.stdout!, running.child.stderr!])
      if (!stream.closed) await once(stream, 'close');
    const lines = running
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofRequest = lines.filter((line) => line.requestId === requestId);
    expect(ofRequest.map((line) => line.msg)).toEqual(['35.com command']);
    const output = running.output();
    for (const secret of [SECRET, sim.env.COM35_PASSWORD!, sim.env.COM35_CLID!])
      expect(output).not.toContain(secret);
  });
});
