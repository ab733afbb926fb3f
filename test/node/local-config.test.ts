/** What `npm start` makes of its environment before anything starts (scripts/local-config.ts). */
import { describe, expect, it } from 'vitest';
import {
  checkLocalConfig,
  localAllowList,
  realAccounts,
  relayRouteVars,
  workerAccounts,
  workerVarsFrom,
} from '../../scripts/local-config';
import { checkSourceAddress } from '../../scripts/local-stack';
import { ConfigError } from '../../src/core/config-schema';

function problemsOf(env: Record<string, string>): string[] {
  try {
    checkLocalConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('checkLocalConfig', () => {
  it('accepts an empty environment: every registrar is simulated', () => {
    expect(problemsOf({})).toEqual([]);
    expect(realAccounts({}).size).toBe(0);
  });

  it('lets BRIDGE_SECRET alone configure the local bridge, checked by the bridge rules', () => {
    expect(problemsOf({ BRIDGE_SECRET: 'local-bridge-secret-0001' })).toEqual([]);
    expect(problemsOf({ BRIDGE_SECRET: 'short' })).toEqual([
      'BRIDGE_SECRET: each secret must be at least 16 characters',
    ]);
  });

  it('names the missing secret of a bridge elsewhere, and bridge variables set beside it', () => {
    expect(problemsOf({ BRIDGE_URL: 'https://bridge.example' })).toEqual([
      '35.com is partially configured; missing BRIDGE_SECRET',
    ]);
    const problems = problemsOf({
      BRIDGE_URL: 'https://bridge.example',
      BRIDGE_SECRET: 'remote-bridge-secret-0001',
      COM35_HOST: 'epp.35.com',
      BRIDGE_POOL_SIZE: '4',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^COM35_HOST, BRIDGE_POOL_SIZE configure the local bridge, but BRIDGE_URL/);
  });

  it('names a bad PORT, and a bad LOG_LEVEL once although worker and bridge both read it', () => {
    expect(problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toEqual([
      'PORT: must be a TCP port number (1–65535), or 0 for any free port',
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  it('counts a registrar as real only when all its credentials are set', () => {
    expect([...realAccounts({ DYNADOT_API_KEY: 'dynadot-key-0001', MRDOMAIN_API_USER: 'u' })]).toEqual([
      'dynadot',
    ]);
  });

  it('counts an account of ACCOUNTS as real only when all its own credentials are set', () => {
    const env = {
      ACCOUNTS: 'dynadot=dynadot,dynadot-bulk=dynadot,lb-two=logicboxes',
      DYNADOT_BULK_API_KEY: 'bulk-key-0001',
      LB_TWO_API_KEY: 'lb-two-key-0001',
    };
    expect([...realAccounts(env)]).toEqual(['dynadot-bulk']);
    expect(workerAccounts(env).map((a) => a.name)).toEqual(['dynadot', 'dynadot-bulk', 'lb-two']);
  });
});

describe('npm start with ACCOUNTS', () => {
  const ACCOUNTS = 'com35=com35,dynadot=dynadot,dynadot-bulk=dynadot,lb-two=logicboxes';

  it('accepts accounts without credentials: each is simulated', () => {
    expect(problemsOf({ ACCOUNTS })).toEqual([]);
  });

  it("passes ACCOUNTS and each listed account's variables through to the worker, nothing unlisted", () => {
    const vars = workerVarsFrom({
      ACCOUNTS,
      DYNADOT_BULK_API_KEY: 'bulk-key-0001',
      DYNADOT_BULK_SEARCH_BATCH: '1',
      LB_TWO_BASE_URL: 'https://test.httpapi.com',
      LB_THREE_API_KEY: 'not-listed-0001',
    });
    expect(vars).toEqual({
      ACCOUNTS,
      DYNADOT_BULK_API_KEY: 'bulk-key-0001',
      DYNADOT_BULK_SEARCH_BATCH: '1',
      LB_TWO_BASE_URL: 'https://test.httpapi.com',
    });
  });

  it('names what the worker would refuse: a half-set account, an unknown registrar, a bad name', () => {
    expect(problemsOf({ ACCOUNTS, LB_TWO_API_KEY: 'lb-two-key-0001' })).toEqual([
      expect.stringMatching(/lb-two.*missing LB_TWO_AUTH_USERID/),
    ]);
    expect(problemsOf({ ACCOUNTS: 'dynadot=dynadot,gandi-one=gandi' })).toEqual([
      expect.stringMatching(/account "gandi-one" names an unknown provider "gandi"/),
    ]);
    expect(problemsOf({ ACCOUNTS: 'Dynadot=dynadot' })).toEqual([
      expect.stringMatching(/account name "Dynadot" must be/),
    ]);
  });
});

describe('LOCAL_ALLOWLIST', () => {
  it('reads 1/0 and true/false, names any other value, and refuses a bridge elsewhere beside it', () => {
    expect([
      localAllowList({}),
      localAllowList({ LOCAL_ALLOWLIST: '1' }),
      localAllowList({ LOCAL_ALLOWLIST: 'false' }),
    ]).toEqual([false, true, false]);
    expect(problemsOf({ LOCAL_ALLOWLIST: 'yes' })).toEqual([
      'LOCAL_ALLOWLIST: must be 1 or 0 (true or false)',
    ]);
    expect(
      problemsOf({
        LOCAL_ALLOWLIST: '1',
        BRIDGE_URL: 'https://bridge.example',
        BRIDGE_SECRET: 'remote-bridge-secret-0001',
      }),
    ).toEqual([expect.stringMatching(/^LOCAL_ALLOWLIST=1 relays through the local bridge, but BRIDGE_URL/)]);
  });

  it("routes each HTTP account under its own prefix, never 35.com's (the bridge's own protocol)", () => {
    const accounts = workerAccounts({ ACCOUNTS: 'dynadot-bulk=dynadot,lb-two=logicboxes,com35=com35' });
    expect(relayRouteVars(accounts)).toEqual({ DYNADOT_BULK_VIA_BRIDGE: 'true', LB_TWO_VIA_BRIDGE: 'true' });
  });

  it('names an address this machine cannot bind in one sentence, before anything starts', async () => {
    // 192.0.2.1 (TEST-NET-1, RFC 5737) is never a local address: what 127.0.0.2 is on a Mac.
    const refused = await checkSourceAddress('192.0.2.1').catch((error: ConfigError) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^LOCAL_ALLOWLIST=1 needs the local address 192\.0\.2\.1 .* cannot bind it \(EADDRNOTAVAIL\)/,
      ),
    ]);
    await expect(checkSourceAddress('127.0.0.2')).resolves.toBeUndefined();
  });
});
