/**
 * `npm run deploy:check` as an operator runs it: a wrangler.toml and an env file in, one line per
 * problem and the exit code out, against a real bridge (in front of the 35.com simulator) and a
 * port where nothing listens.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/local-stack';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { silentLogger } from '../../src/core/log';
import { type RunningBridge, startBridge } from '../../src/tcp-bridge/server';
import { spawnWatched, waitUntil } from './process-tree';

const BRIDGE_SECRET = 'deploy-check-bridge-secret-0123456789';
const SECRETS = {
  ADMIN_API_KEY: 'deploy-check-admin-key-0123456789',
  DYNADOT_API_KEY: 'deploy-check-dynadot-key-0123456789',
  LOGICBOXES_AUTH_USERID: '4455667788',
  LOGICBOXES_API_KEY: 'deploy-check-logicboxes-key-0123456789',
  BRIDGE_SECRET,
};

let dir: string;
let sim: RunningCom35Simulator;
let bridge: RunningBridge;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  const shipped = readFileSync(join(REPO_ROOT, 'wrangler.toml'), 'utf8');
  // The repository's own file, as shipped (placeholders) and as an operator completes it.
  writeFileSync(join(dir, 'placeholder.toml'), shipped);
  writeFileSync(
    join(dir, 'complete.toml'),
    shipped
      .replaceAll('00000000-0000-0000-0000-000000000000', '8f2c1d4e-5b6a-4c3d-9e8f-7a6b5c4d3e2f')
      .replaceAll('gateway.example.com', 'gateway.registrar-ops.net'),
  );
  sim = await startCom35Simulator();
  bridge = await startBridge({
    accounts: {
      com35: {
        host: '127.0.0.1',
        port: sim.tcpPort,
        clid: sim.env.COM35_CLID!,
        password: sim.env.COM35_PASSWORD!,
      },
    },
    secret: BRIDGE_SECRET,
    poolSize: 1,
    logger: silentLogger,
  });
  // A bridge without a logged-in session answers /health with 503, which the check names.
  await waitUntil(
    'the bridge logs in',
    () => bridge.accounts.get('com35')?.pool.status().sessionsUp === 1,
    10_000,
  );
});

afterAll(async () => {
  await bridge?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port on 127.0.0.1 where nothing listens: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function envFile(vars: Record<string, string>): string {
  const path = join(dir, `${Object.keys(vars).length}-${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(
    path,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  return path;
}

async function deployCheck(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = spawnWatched(process.execPath, ['--import', 'tsx', 'scripts/deploy-check.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
  });
  const code = await run.exited;
  // 'exit' may come before the last output: wait until both pipes are drained.
  for (const stream of [run.child.stdout!, run.child.stderr!])
    if (!stream.closed) await once(stream, 'close');
  return { code, output: run.output() };
}

const complete = () => ({
  ...SECRETS,
  BRIDGE_URL: bridge.url,
  LOGICBOXES_VIA_BRIDGE: 'true',
  BRIDGE_ALLOWED_ORIGINS: 'https://httpapi.com,https://api.dynadot.com',
});

/** `--env production` of a wrangler.toml in the temp dir, with these variables as its env file. */
function checkProduction(vars: Record<string, string>, opts: { offline?: boolean; toml?: string } = {}) {
  return deployCheck([
    '--config',
    opts.toml ?? join(dir, 'complete.toml'),
    '--env',
    'production',
    ...(opts.offline ? ['--offline'] : []),
    '--env-file',
    envFile(vars),
  ]);
}

function expectNoSecret(output: string) {
  for (const value of Object.values(SECRETS)) expect(output).not.toContain(value);
}

describe('npm run deploy:check', () => {
  it('passes a complete deployment whose bridge answers, and exits 0', async () => {
    const run = await checkProduction(complete());
    expect(run.output).toContain('is complete');
    expect(run.code).toBe(0);
    expectNoSecret(run.output);
  });

  it('names the placeholder database id, the placeholder domain and the missing secrets', async () => {
    const run = await deployCheck([
      '--config',
      join(dir, 'placeholder.toml'),
      '--env',
      'staging',
      '--offline',
    ]);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/\[env\.staging\]: D1 DB: database_id is the placeholder/);
    expect(run.output).toMatch(/^ADMIN_API_KEY: not set/m);
    expect(run.output).toMatch(/no registrar account is configured/);
    const production = await deployCheck([
      '--config',
      join(dir, 'placeholder.toml'),
      '--env',
      'production',
      '--offline',
    ]);
    expect(production.output).toMatch(/route gateway\.example\.com is a placeholder/);
  });

  it("names a half-configured feature by the worker's own rules, without its value", async () => {
    const run = await checkProduction(
      { ...complete(), TELEGRAM_WEBHOOK_SECRET: 'deploy-check-telegram-secret-0123' },
      { offline: true },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain('TELEGRAM_BOT_TOKEN');
    expect(run.output).not.toContain('deploy-check-telegram-secret-0123');
    expectNoSecret(run.output);
  });

  it('names a bridge that does not answer', async () => {
    const run = await checkProduction({
      ...complete(),
      BRIDGE_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^BRIDGE_URL: the bridge at http:\/\/127\.0\.0\.1:\d+ is unreachable/m);
    expectNoSecret(run.output);
  });

  it('names an account routed through the relay to an origin the bridge does not allow', async () => {
    const run = await checkProduction(
      { ...complete(), BRIDGE_ALLOWED_ORIGINS: 'https://api.dynadot.com' },
      { offline: true },
    );
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /^LOGICBOXES_VIA_BRIDGE: account "logicboxes" calls https:\/\/httpapi\.com, which is not in the bridge's BRIDGE_ALLOWED_ORIGINS$/m,
    );
    expect(run.output).toMatch(/^notice: --offline: did not check that the bridge/m);
  });

  it('names a secret written into wrangler.toml [vars]', async () => {
    const leaky = join(dir, 'leaky.toml');
    writeFileSync(
      leaky,
      readFileSync(join(dir, 'complete.toml'), 'utf8').replace(
        '[env.production.vars]\n',
        `[env.production.vars]\nDYNADOT_API_KEY = "${SECRETS.DYNADOT_API_KEY}"\n`,
      ),
    );
    const run = await checkProduction(complete(), { offline: true, toml: leaky });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^DYNADOT_API_KEY: a secret in wrangler\.toml's \[vars\]/m);
    expectNoSecret(run.output);
  });
});
