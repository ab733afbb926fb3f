/**
 * The bridge `npm start` runs in-process (sim/stack.ts) reads the bridge's own variables, as
 * `npm run bridge` does: COM35_* send it to that 35.com host instead of the simulator, and
 * BRIDGE_SECRET, BRIDGE_PORT and the BRIDGE_* limits reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-stack';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { startStack } from '../../sim/stack';
import { ConfigError } from '../../src/core/config-schema';
import { COMMAND_PATH, signedBridgeHeaders } from '../../src/providers/com35/bridge-protocol';

/** A second 35.com "host" with a member of its own: nothing the default simulator knows. */
const MEMBER = { clid: '900777', password: 'second-host-pass-0777' };
const SECRET = 'stack-env-bridge-secret-0001';
let host: RunningCom35Simulator;

beforeAll(async () => {
  host = await startCom35Simulator();
  host.registrar.accounts.set(MEMBER.clid, { ...MEMBER, balanceFen: 123_456 });
});
afterAll(() => host.close());

async function balanceThrough(bridgeUrl: string, secret: string): Promise<Response> {
  const body = JSON.stringify({ category: 'account', action: 'GetAccountBalance' });
  return fetch(`${bridgeUrl}${COMMAND_PATH}`, {
    method: 'POST',
    headers: await signedBridgeHeaders(secret, { method: 'POST', path: COMMAND_PATH, body }),
    body,
  });
}

describe('startStack({ env }): the bridge variables', () => {
  it('sends the bridge to the 35.com host COM35_* name, with BRIDGE_PORT, BRIDGE_SECRET and limits', async () => {
    const port = await freePort();
    const stack = await startStack({
      env: {
        COM35_HOST: '127.0.0.1',
        COM35_PORT: String(host.tcpPort),
        COM35_CLID: MEMBER.clid,
        COM35_PASSWORD: MEMBER.password,
        BRIDGE_SECRET: SECRET,
        BRIDGE_PORT: String(port),
        BRIDGE_POOL_SIZE: '1',
      },
    });
    try {
      // No 35.com simulator: the host from the environment stands in its place.
      expect(Object.keys(stack.simulators)).not.toContain('com35');
      expect(stack.com35Upstream).toBe(`com35 → 127.0.0.1:${host.tcpPort}`);
      expect(stack.components.bridge).toBe(`http://127.0.0.1:${port}`);
      expect(stack.workerEnv).toMatchObject({
        BRIDGE_URL: `http://127.0.0.1:${port}`,
        BRIDGE_SECRET: SECRET,
      });

      const res = await balanceThrough(stack.components.bridge!, SECRET);
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('1234.56');
      expect(host.registrar.counters.logins).toBeGreaterThan(0);

      const health = (await (await fetch(`${stack.components.bridge}/health`)).json()) as {
        poolSize: number;
      };
      expect(health.poolSize).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it('refuses a half-set 35.com account, naming every missing variable and no value', async () => {
    const error = await startStack({
      env: { COM35_HOST: '127.0.0.1', COM35_PASSWORD: 'half-set-password-0001' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'the 35.com account of the bridge is partially configured; missing COM35_CLID',
    ]);
    expect((error as ConfigError).message).not.toContain('half-set-password');
  });

  it('gives the bridge every 35.com account of the worker’s ACCOUNTS, each simulated', async () => {
    const stack = await startStack({ env: { ACCOUNTS: 'com35=com35,com35-b=com35,dyn=dynadot' } });
    try {
      const health = (await (await fetch(`${stack.components.bridge}/health`)).json()) as {
        accounts: Record<string, unknown>;
      };
      expect(Object.keys(health.accounts)).toEqual(['com35', 'com35-b']);
      expect(stack.com35Upstream).toBe('simulator');
    } finally {
      await stack.close();
    }
  });

  it('refuses a bad bridge limit before anything listens', async () => {
    await expect(startStack({ env: { BRIDGE_POOL_SIZE: 'many' } })).rejects.toThrow(/BRIDGE_POOL_SIZE/);
  });
});
