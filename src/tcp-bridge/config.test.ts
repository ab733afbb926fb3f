/**
 * The bridge's variables: its defaults are written once in code (BRIDGE_DEFAULTS) and the README's
 * table shows those; its accounts (BRIDGE_ACCOUNTS) and every way to misconfigure them.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../../scripts/config-vars';
import { ConfigError } from '../core/config-schema';
import { parseBridgeEnv, TUNING } from './config';
import { BRIDGE_DEFAULTS } from './server';

describe('bridge tuning variables', () => {
  it.each(Object.entries(TUNING))('%s documents the default the bridge uses', (name, { option }) => {
    const documented = CONFIG_VARS.find((v) => v.name === name);
    expect(documented, `${name} is in the configuration table`).toBeDefined();
    const code = BRIDGE_DEFAULTS[option as keyof typeof BRIDGE_DEFAULTS];
    if (code === undefined) expect(documented!.default).toBeUndefined();
    else expect(documented!.default).toBe(String(code));
  });
});

describe('BRIDGE_ACCOUNTS', () => {
  const A = { COM35_HOST: 'a.example', COM35_CLID: '900001', COM35_PASSWORD: 'account-a-password-01' };
  const B = {
    COM35_B_HOST: 'b.example',
    COM35_B_PORT: '30009',
    COM35_B_CLID: '900002',
    COM35_B_PASSWORD: 'account-b-password-02',
  };
  const problemsOf = (raw: Record<string, string>, opts?: { standalone?: boolean }) => {
    try {
      parseBridgeEnv(raw, opts);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      // Never a value, whatever the problem.
      expect(JSON.stringify(problems)).not.toMatch(/password-0|9000|\.example/);
      return problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('unset: the one account com35, reading today’s names', () => {
    expect(parseBridgeEnv(A).accounts).toEqual([
      {
        name: 'com35',
        upstream: { host: 'a.example', port: 30008, clid: '900001', password: A.COM35_PASSWORD },
      },
    ]);
  });

  it('reads each account under its own prefix, in the order listed', () => {
    const env = parseBridgeEnv({ BRIDGE_ACCOUNTS: 'com35-b=com35, com35=com35', ...A, ...B });
    expect(env.accounts).toEqual([
      {
        name: 'com35-b',
        upstream: { host: 'b.example', port: 30009, clid: '900002', password: B.COM35_B_PASSWORD },
      },
      {
        name: 'com35',
        upstream: { host: 'a.example', port: 30008, clid: '900001', password: A.COM35_PASSWORD },
      },
    ]);
  });

  it('leaves an account without variables to the simulator locally, and requires it standalone', () => {
    expect(parseBridgeEnv({ BRIDGE_ACCOUNTS: 'com35=com35,com35-b=com35', ...A }).accounts[1]).toEqual({
      name: 'com35-b',
    });
    expect(problemsOf({ BRIDGE_ACCOUNTS: 'com35=com35,com35-b=com35', ...A }, { standalone: true })).toEqual([
      'BRIDGE_SECRET: required',
      'the 35.com account "com35-b" of the bridge is not configured; missing COM35_B_HOST, COM35_B_CLID, COM35_B_PASSWORD',
    ]);
  });

  it.each([
    [
      'a partial credential set',
      {
        BRIDGE_ACCOUNTS: 'com35-b=com35',
        COM35_B_HOST: 'b.example',
        COM35_B_PASSWORD: 'account-b-password-02',
      },
      ['the 35.com account "com35-b" of the bridge is partially configured; missing COM35_B_CLID'],
    ],
    [
      'a duplicate name',
      { BRIDGE_ACCOUNTS: 'com35-b=com35,com35-b=com35', ...B },
      ['BRIDGE_ACCOUNTS: account name "com35-b" is listed twice'],
    ],
    [
      'another provider',
      { BRIDGE_ACCOUNTS: 'com35=com35,dyn=dynadot', ...A },
      [
        'BRIDGE_ACCOUNTS: account "dyn" names the provider "dynadot"; the bridge serves 35.com accounts only (com35)',
      ],
    ],
    [
      'a name that would read the bridge’s own variables',
      { BRIDGE_ACCOUNTS: 'bridge=com35' },
      [
        'BRIDGE_ACCOUNTS: account "bridge" would read BRIDGE_HOST, BRIDGE_PORT, which the bridge reads for itself: rename the account',
      ],
    ],
    [
      'two accounts that are one member',
      {
        BRIDGE_ACCOUNTS: 'com35=com35,com35-b=com35',
        ...A,
        ...B,
        COM35_B_HOST: 'a.example',
        COM35_B_PORT: '30008',
        COM35_B_CLID: '900001',
      },
      ['COM35_B_CLID: the same 35.com member on the same host as COM35_CLID; one member is one account'],
    ],
    [
      'com35’s variables set while the list leaves it out',
      { BRIDGE_ACCOUNTS: 'com35-b=com35', ...A, ...B },
      [
        'BRIDGE_ACCOUNTS lists no account "com35", but COM35_HOST, COM35_CLID, COM35_PASSWORD are set: add com35=com35 to BRIDGE_ACCOUNTS or unset them',
      ],
    ],
    [
      'a bad value of an account’s variable',
      { BRIDGE_ACCOUNTS: 'com35-b=com35', ...B, COM35_B_PORT: 'many' },
      ['COM35_B_PORT: Invalid input: expected number, received NaN'],
    ],
  ])('refuses %s, naming the variables', (_, raw, problems) => {
    expect(problemsOf(raw)).toEqual(problems);
  });
});

describe('the relay’s variables', () => {
  const A = { COM35_HOST: 'a.example', COM35_CLID: '900001', COM35_PASSWORD: 'account-a-password-01' };

  it('reads the allowed origins as a list, and the rest of the relay’s tuning', () => {
    const env = parseBridgeEnv({
      ...A,
      BRIDGE_ALLOWED_ORIGINS: 'https://httpapi.com, https://api.dynadot.com,http://127.0.0.1:8790',
      BRIDGE_SOURCE_ADDRESS: '203.0.113.7',
      BRIDGE_RELAY_TIMEOUT_MS: '20000',
      BRIDGE_RELAY_MAX_IN_FLIGHT: '4',
      BRIDGE_RELAY_MAX_REPLY_BYTES: '1048576',
    });
    expect(env.tuning).toEqual({
      allowedOrigins: ['https://httpapi.com', 'https://api.dynadot.com', 'http://127.0.0.1:8790'],
      sourceAddress: '203.0.113.7',
      relayTimeoutMs: 20_000,
      relayMaxInFlight: 4,
      relayMaxReplyBytes: 1_048_576,
    });
    expect(parseBridgeEnv({ ...A, BRIDGE_ALLOWED_ORIGINS: ' , ' }).tuning.allowedOrigins).toEqual([]);
  });

  it('refuses an entry that is not an exact origin, by its position, never its value', () => {
    for (const entry of [
      'https://httpapi.com/',
      'https://httpapi.com:443',
      'https://httpapi.com/api',
      'ftp://x.example',
      'httpapi.com',
      'https://user@httpapi.com',
    ]) {
      try {
        parseBridgeEnv({ ...A, BRIDGE_ALLOWED_ORIGINS: `https://api.dynadot.com,${entry}` });
        throw new Error(`${entry} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        const problems = (error as ConfigError).problems;
        expect(problems).toEqual([expect.stringMatching(/^BRIDGE_ALLOWED_ORIGINS: entry 2 is not/)]);
        expect(problems[0]).not.toContain('httpapi');
      }
    }
  });

  it('refuses a source address that is not an IP address', () => {
    expect(() => parseBridgeEnv({ ...A, BRIDGE_SOURCE_ADDRESS: 'bridge.example' })).toThrow(
      /BRIDGE_SOURCE_ADDRESS/,
    );
  });
});
