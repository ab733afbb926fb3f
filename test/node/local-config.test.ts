/** What `npm start` makes of its environment before anything starts (scripts/local-config.ts). */
import { describe, expect, it } from 'vitest';
import { checkLocalConfig, realAccounts } from '../../scripts/local-config';
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
});
