/**
 * The README's first command: `npm start` (scripts/start.ts) tells the truth. A configuration
 * mistake is named at once and nothing starts; the bridge's own variables send it to the 35.com
 * host they name; the banner's example call works; the inventory is synced at start, also after a
 * restart on old local state; and Ctrl-C at any moment leaves no child process behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '../../scripts/local-stack';
import { RelayTally } from '../../scripts/soak/relay-cut';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { type Spawned, spawnWatched, waitUntil } from './process-tree';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const running: Spawned[] = [];
const stateDirs: string[] = [];

/** A local state directory of the test's own (not the repository's .wrangler/state). */
function newStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'start-state-'));
  stateDirs.push(dir);
  return dir;
}

function npmStart(env: Record<string, string>): Spawned {
  const run = spawnWatched(TSX, ['scripts/start.ts'], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  running.push(run);
  return run;
}

afterAll(() => {
  for (const run of running) run.kill();
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Waits for the `ready <url>` line, recording the process tree on the way, and returns the URL
 * (tests ask for any free port: PORT=0).
 */
async function ready(run: Spawned): Promise<string> {
  await waitUntil(
    () => `ready, or an exit; output so far:\n${run.output()}`,
    () => {
      run.watchTree();
      return /^ready /m.test(run.output()) || run.child.exitCode !== null;
    },
    120_000,
  );
  const url = /^ready (http:\/\/127\.0\.0\.1:\d+)/m.exec(run.output())?.[1];
  expect(url, run.output()).toBeDefined();
  return url!;
}

/** Ctrl-C (SIGINT to the process group, as a terminal sends it); then no child may remain. */
async function interruptAndCheckNothingRemains(run: Spawned): Promise<void> {
  run.watchTree();
  expect(run.seen.size).toBeGreaterThan(0);
  run.interrupt();
  expect(await run.exited).toBe(0);
  expect(run.output()).toMatch(/^stopped$/m);
  await waitUntil(
    () => `every child gone: ${JSON.stringify(run.remaining())}`,
    () => run.remaining().length === 0,
    20_000,
  );
}

describe('npm start refuses a configuration mistake before starting anything', () => {
  it('prints a worker configuration error with its variable and rule, and exits 2', {
    timeout: 60_000,
  }, async () => {
    const run = npmStart({ ADMIN_API_KEY: 'too-short', PORT: '0' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('ADMIN_API_KEY: must be at least 16 characters');
    expect(run.output()).not.toMatch(/^simulator /m);
    expect(run.output()).not.toContain('too-short');
  });

  it('names every missing variable of a half-configured registrar, bot, billing source and 35.com account', {
    timeout: 60_000,
  }, async () => {
    const secrets = {
      LOGICBOXES_API_KEY: 'half-set-logicboxes-key-0001',
      TELEGRAM_BOT_TOKEN: '123456:half-set-bot-token-0001',
      COM35_PASSWORD: 'half-set-com35-password-0001',
    };
    const run = npmStart({
      ...secrets,
      WEBHOOK_CALLBACK_URL_STRIPE: 'https://shop.example/callback',
      COM35_HOST: '127.0.0.1',
      PORT: '0',
    });
    expect(await run.exited).toBe(2);
    const output = run.output();
    for (const missing of [
      'LOGICBOXES_AUTH_USERID',
      'TELEGRAM_WEBHOOK_SECRET',
      'WEBHOOK_SECRET_STRIPE',
      'COM35_CLID',
    ])
      expect(output).toContain(`missing ${missing}`);
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    expect(output).not.toMatch(/^simulator /m);
  });
});

describe('npm start, twice on one local state, with a 35.com host of its own', () => {
  /** A 35.com host the test owns, with a member and a domain the simulator does not have. */
  const MEMBER = { clid: '900777', password: 'own-host-password-0777' };
  const OWN_DOMAIN = 'own-host-only.com';
  let host: RunningCom35Simulator;
  let stateDir: string;
  let bridgePort: number;
  const env = () => ({
    COM35_HOST: '127.0.0.1',
    COM35_PORT: String(host.tcpPort),
    COM35_CLID: MEMBER.clid,
    COM35_PASSWORD: MEMBER.password,
    BRIDGE_PORT: String(bridgePort),
    BRIDGE_POOL_SIZE: '1',
    LOCAL_STATE_DIR: stateDir,
  });

  beforeAll(async () => {
    host = await startCom35Simulator();
    host.registrar.accounts.set(MEMBER.clid, { ...MEMBER, balanceFen: 4_200 });
    host.registrar.addDomain({ name: OWN_DOMAIN, owner: MEMBER.clid, exDate: '2031-05-05' });
    stateDir = newStateDir();
    bridgePort = await freePort();
  });
  afterAll(() => host.close());

  it('runs the bridge against that host on BRIDGE_PORT, syncs at start, and its example call works', {
    timeout: 180_000,
  }, async () => {
    const run = npmStart({ ...env(), PORT: '0' });
    const url = await ready(run);
    const output = run.output();
    expect(output).toMatch(/curl http:\/\/127\.0\.0\.1:\d+\/health/);
    expect(output).not.toMatch(/^simulator com35/m);
    expect(output).toContain(`127.0.0.1:${host.tcpPort} through the local bridge`);
    expect(output).toMatch(/^inventory +synced: \d+ domains held/m);

    // The banner's example, as printed: the generated admin key against the inventory.
    const example = /^example +curl -H "Authorization: Bearer (\S+)" (\S+)$/m.exec(output);
    expect(example).not.toBeNull();
    const [, key, exampleUrl] = example!;
    expect(exampleUrl).toBe(`${url}/v1/domains`);
    const auth = { authorization: `Bearer ${key}` };
    const page = (await (await fetch(exampleUrl!, { headers: auth })).json()) as {
      items: { domain: string }[];
    };
    expect(page.items.map((d) => d.domain)).toContain('sim-dynadot.com');

    // The banner names the dashboard, and its sign-in page answers there.
    const dashboard = /^dashboard +(\S+)/m.exec(output)?.[1];
    expect(dashboard).toBe(`${url}/app`);
    expect((await fetch(`${dashboard}/sign-in`)).status).toBe(200);

    // The domain info comes from the host COM35_* name, through the bridge on BRIDGE_PORT.
    const info = await fetch(`${url}/v1/domains/${OWN_DOMAIN}?account=com35`, {
      headers: auth,
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ domain: OWN_DOMAIN, expiresAt: '2031-05-05T00:00:00.000Z' });
    const bridge = (await (await fetch(`http://127.0.0.1:${bridgePort}/health`)).json()) as {
      poolSize: number;
    };
    expect(bridge.poolSize).toBe(1);

    // State for the restart: the 35.com domain imported, one more domain at the Dynadot simulator.
    const imported = await fetch(`${url}/v1/domains/${OWN_DOMAIN}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'com35' }),
    });
    expect(imported.status).toBe(201);
    const dynadot = /^simulator dynadot +(\S+)$/m.exec(output)![1];
    await fetch(`${dynadot}/__sim/domains`, {
      method: 'POST',
      body: JSON.stringify({ name: 'first-run-only.com' }),
    });
    const sync = await fetch(`${url}/v1/sync`, { method: 'POST', headers: auth });
    expect(sync.status).toBe(200);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/stopped/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('after a restart, the start-up sync marks what the registrars no longer hold as vanished; Ctrl-C stops every child', {
    timeout: 180_000,
  }, async () => {
    // The host no longer holds the 35.com domain; the fresh Dynadot simulator never heard of the other.
    host.registrar.domains.delete(OWN_DOMAIN);
    const adminKey = 'configured-admin-key-0123456789';
    const run = npmStart({ ...env(), PORT: '0', ADMIN_API_KEY: adminKey });
    const url = await ready(run);
    expect(run.output()).toMatch(
      /^inventory +synced: \d+ domains held \(added \d+, updated \d+, vanished 2\)$/m,
    );
    // A configured key is a secret: referred to, never printed.
    expect(run.output()).not.toContain(adminKey);
    expect(run.output()).toContain('curl -H "Authorization: Bearer $ADMIN_API_KEY"');
    const page = (await (
      await fetch(`${url}/v1/domains?limit=500`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as { items: { domain: string }[] };
    const held = page.items.map((d) => d.domain);
    expect(held).toContain('sim-dynadot.com');
    expect(held).not.toContain('first-run-only.com');
    expect(held).not.toContain(OWN_DOMAIN);

    await interruptAndCheckNothingRemains(run);
  });
});

describe('npm start with ACCOUNTS listing two accounts of one registrar', () => {
  it('simulates each account with an instance of its own and names every account at start-up', {
    timeout: 180_000,
  }, async () => {
    const run = npmStart({
      ACCOUNTS: 'dynadot=dynadot,dynadot-bulk=dynadot,logicboxes=logicboxes,lb-two=logicboxes',
      PORT: '0',
      LOCAL_STATE_DIR: newStateDir(),
    });
    const url = await ready(run);
    const output = run.output();
    for (const [account, provider] of [
      ['dynadot', 'dynadot'],
      ['dynadot-bulk', 'dynadot'],
      ['logicboxes', 'logicboxes'],
      ['lb-two', 'logicboxes'],
    ])
      expect(output).toMatch(new RegExp(`^account ${account} +${provider} +simulated$`, 'm'));
    // Not listed: not simulated, and no local bridge without a 35.com account.
    expect(output).not.toMatch(/^simulator (alibaba|mrdomain|com35)/m);
    expect(output).not.toMatch(/^bridge /m);
    expect(/^simulator dynadot-bulk +(\S+)$/m.exec(output)?.[1]).not.toBe(
      /^simulator dynadot +(\S+)$/m.exec(output)?.[1],
    );

    // The start-up sync filed each instance's domains under its own account.
    const key = /^example +curl -H "Authorization: Bearer (\S+)"/m.exec(output)![1];
    const listed = async (account: string) =>
      (
        (await (
          await fetch(`${url}/v1/domains?account=${account}&limit=500`, {
            headers: { authorization: `Bearer ${key}` },
          })
        ).json()) as { items: { domain: string }[] }
      ).items.map((d) => d.domain);
    expect(await listed('dynadot')).toContain('renew-me.net');
    expect(await listed('dynadot-bulk')).toContain('dynadot-bulk-renew-me.net');
    expect(await listed('dynadot-bulk')).not.toContain('renew-me.net');
    expect(await listed('lb-two')).toContain('lb-two-expiring-soon.net');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('Ctrl-C during the start-up', () => {
  const stopDuring = async (what: string, isThere: (command: string) => boolean) => {
    const run = npmStart({
      PORT: '0',
      LOCAL_STATE_DIR: newStateDir(),
    });
    await waitUntil(
      () => `${what} in the process tree; output so far:\n${run.output()}`,
      () => run.watchTree().some((p) => isThere(p.command)) || run.child.exitCode !== null,
      120_000,
      20,
    );
    // Still starting: the interrupt lands during the start-up wait.
    expect(run.output()).not.toMatch(/^ready /m);
    await interruptAndCheckNothingRemains(run);
    expect(run.output()).not.toMatch(/^ready /m);
  };

  it('stops every child while the D1 migrations run', { timeout: 180_000 }, async () => {
    await stopDuring('wrangler d1 migrations', (command) => command.includes('migrations apply'));
  });

  it('stops every child while it waits for the worker to answer', { timeout: 180_000 }, async () => {
    await stopDuring('wrangler dev', (command) => / dev --local /.test(command));
  });
});

describe('LOCAL_ALLOWLIST=1 npm start', () => {
  /** Relayed calls per origin, as the bridge's /metrics page counts them. */
  const relayedByOrigin = async (bridge: string): Promise<Map<string, number>> => {
    const tally = new RelayTally();
    await tally.add(bridge);
    return new Map(Object.entries(tally.byOrigin).map(([origin, counts]) => [origin, counts.relayed ?? 0]));
  };

  it('routes every simulated HTTP account through the bridge relay: simulators that refuse 127.0.0.1 answer', {
    timeout: 180_000,
  }, async () => {
    const run = npmStart({ LOCAL_ALLOWLIST: '1', PORT: '0', LOCAL_STATE_DIR: newStateDir() });
    const url = await ready(run);
    const output = run.output();
    const http = ['dynadot', 'logicboxes', 'alibaba', 'mrdomain'];
    expect(output).toMatch(
      new RegExp(`^relay +on: the bridge sends from 127\\.0\\.0\\.2; routed: ${http.join(', ')}$`, 'm'),
    );
    for (const account of http)
      expect(output).toMatch(
        new RegExp(`^account ${account} +${account} +simulated, through the bridge's relay`, 'm'),
      );
    // 35.com is the bridge's own TCP protocol, not relayed.
    expect(output).toMatch(/^account com35 +com35 +simulated, through the local bridge$/m);
    const bridge = /^bridge +(\S+)$/m.exec(output)![1]!;
    const key = /^example +curl -H "Authorization: Bearer (\S+)"/m.exec(output)![1];

    const origins: Record<string, string> = {};
    for (const account of http) {
      const control = new RegExp(`^simulator ${account} +(\\S+)$`, 'm').exec(output)![1]!;
      origins[account] = new URL(control).origin;
      // The simulator serves only the relay's address: a call from 127.0.0.1 would be turned away.
      const allowList = (await (await fetch(`${control}/__sim/allowlist`)).json()) as { addresses: string[] };
      expect(allowList.addresses, account).toEqual(['127.0.0.2']);
    }

    // One authenticated read per registrar, of a domain the start-up sync found at its simulator.
    const auth = { authorization: `Bearer ${key}` };
    const domainOf: Record<string, string> = {};
    for (const account of http) {
      const page = (await (
        await fetch(`${url}/v1/domains?account=${account}&limit=1`, { headers: auth })
      ).json()) as {
        items: { domain: string }[];
      };
      domainOf[account] = page.items[0]!.domain;
    }
    const before = await relayedByOrigin(bridge);
    for (const account of http) {
      const domain = domainOf[account]!;
      const res = await fetch(`${url}/v1/domains/${domain}?account=${account}`, { headers: auth });
      expect(res.status, `${account}: ${await res.clone().text()}`).toBe(200);
      expect(await res.json()).toMatchObject({ domain });
    }
    const after = await relayedByOrigin(bridge);
    for (const account of http) {
      const origin = origins[account]!;
      expect(after.get(origin) ?? 0, `${account} relayed at ${origin}`).toBeGreaterThan(
        before.get(origin) ?? 0,
      );
    }

    await interruptAndCheckNothingRemains(run);
  });
});
