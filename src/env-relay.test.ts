/** `<PREFIX>_VIA_BRIDGE`: which accounts leave through the bridge's relay, and what that needs. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

const BRIDGE = { BRIDGE_URL: 'https://relay.example.net', BRIDGE_SECRET: 'relay-secret-0001-not-real' };
const TWO_ACCOUNTS = {
  ACCOUNTS: 'lb-two=logicboxes,dynadot=dynadot',
  LB_TWO_AUTH_USERID: '123456',
  LB_TWO_API_KEY: 'lb-two-key-12345',
  DYNADOT_API_KEY: 'dynadot-key-12345',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('<PREFIX>_VIA_BRIDGE', () => {
  it('is off by default: no account relayed, and no relay without a bridge', () => {
    const config = loadConfig(TWO_ACCOUNTS);
    expect(config.accounts.map((a) => a.viaBridge)).toEqual([false, false]);
    expect(config.relay).toBeUndefined();
  });

  it('reads the relay whenever the bridge is set: the account gate relays with its own config', () => {
    const config = loadConfig({ ...TWO_ACCOUNTS, ...BRIDGE });
    expect(config.accounts.map((a) => a.viaBridge)).toEqual([false, false]);
    expect(config.relay).toEqual({ url: BRIDGE.BRIDGE_URL, secret: BRIDGE.BRIDGE_SECRET });
  });

  it('routes exactly the accounts that set it, under their own prefix', () => {
    const config = loadConfig({ ...TWO_ACCOUNTS, ...BRIDGE, LB_TWO_VIA_BRIDGE: 'true' });
    expect(config.accounts.map((a) => [a.name, a.viaBridge])).toEqual([
      ['lb-two', true],
      ['dynadot', false],
    ]);
    expect(config.relay).toEqual({ url: BRIDGE.BRIDGE_URL, secret: BRIDGE.BRIDGE_SECRET });
  });

  it('signs with the first secret of a rotation', () => {
    const rotation = `${BRIDGE.BRIDGE_SECRET} old-relay-secret-0000-not-real`;
    const config = loadConfig({
      ...TWO_ACCOUNTS,
      ...BRIDGE,
      BRIDGE_SECRET: rotation,
      DYNADOT_VIA_BRIDGE: 'true',
    });
    expect(config.relay?.secret).toBe(BRIDGE.BRIDGE_SECRET);
  });

  it('without BRIDGE_URL and BRIDGE_SECRET: a start-up problem naming them and the flag', () => {
    expect(problemsOf({ ...TWO_ACCOUNTS, LB_TWO_VIA_BRIDGE: 'true' })).toEqual([
      'LB_TWO_VIA_BRIDGE=true needs BRIDGE_URL and BRIDGE_SECRET; missing BRIDGE_URL, BRIDGE_SECRET',
    ]);
    expect(
      problemsOf({ ...TWO_ACCOUNTS, DYNADOT_VIA_BRIDGE: 'true', BRIDGE_URL: BRIDGE.BRIDGE_URL }),
    ).toEqual(['DYNADOT_VIA_BRIDGE=true needs BRIDGE_URL and BRIDGE_SECRET; missing BRIDGE_SECRET']);
  });

  it('refuses a value other than true or false, naming the variable', () => {
    expect(problemsOf({ ...TWO_ACCOUNTS, ...BRIDGE, LB_TWO_VIA_BRIDGE: 'yes' })).toEqual([
      expect.stringMatching(/^LB_TWO_VIA_BRIDGE: must be true or false/),
    ]);
  });
});
