import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const TWO_DYNADOT = {
  ACCOUNTS: 'dynadot-retail=dynadot,dynadot-bulk=dynadot,lb-brand-a=logicboxes',
  DYNADOT_RETAIL_API_KEY: 'retail-key-123456',
  DYNADOT_BULK_API_KEY: 'bulk-key-123456789',
  DYNADOT_BULK_SEARCH_BATCH: '100',
  DYNADOT_RETAIL_SEARCH_BATCH: '1',
  LB_BRAND_A_AUTH_USERID: '123456',
  LB_BRAND_A_API_KEY: 'brand-a-key-12345',
};

describe('ACCOUNTS: several accounts per registrar', () => {
  it('reads each account under its own prefix, with its own settings', () => {
    const config = loadConfig(TWO_DYNADOT);
    expect(config.accounts.map((a) => [a.name, a.provider])).toEqual([
      ['dynadot-retail', 'dynadot'],
      ['dynadot-bulk', 'dynadot'],
      ['lb-brand-a', 'logicboxes'],
    ]);
    const [retail, bulk] = config.accounts;
    expect(retail!.config).toMatchObject({ API_KEY: 'retail-key-123456', SEARCH_BATCH: 1 });
    expect(bulk!.config).toMatchObject({ API_KEY: 'bulk-key-123456789', SEARCH_BATCH: 100 });
    // Every account's secret is redacted, not only the provider's own names.
    expect(config.secrets).toEqual(
      expect.arrayContaining(['retail-key-123456', 'bulk-key-123456789', 'brand-a-key-12345']),
    );
  });

  it("keeps today's single-account names when ACCOUNTS is unset, and when it names the account like its provider", () => {
    const unset = loadConfig({ DYNADOT_API_KEY: 'k-123456789' });
    const listed = loadConfig({ ACCOUNTS: 'dynadot=dynadot', DYNADOT_API_KEY: 'k-123456789' });
    for (const config of [unset, listed]) {
      expect(config.accounts.map((a) => a.name)).toEqual(['dynadot']);
      expect(config.accounts[0]!.config).toMatchObject({ API_KEY: 'k-123456789' });
    }
  });

  it('names the missing variables of a listed account, never a value', () => {
    const problems = problemsOf({
      ACCOUNTS: 'lb-brand-a=logicboxes',
      LB_BRAND_A_API_KEY: 'brand-a-key-12345',
    });
    expect(problems).toEqual([
      'account "lb-brand-a" (ResellerClub / LogicBoxes) is not configured; missing LB_BRAND_A_AUTH_USERID',
    ]);
    expect(problems.join(' ')).not.toContain('brand-a-key-12345');
  });

  it('refuses an unknown provider, a bad or duplicate name, and a malformed list', () => {
    expect(problemsOf({ ACCOUNTS: 'a=godaddy' })).toEqual([
      'ACCOUNTS: account "a" names an unknown provider "godaddy" (known: com35, dynadot, logicboxes, alibaba, mrdomain)',
    ]);
    expect(problemsOf({ ACCOUNTS: 'Dynadot=dynadot' })[0]).toMatch(
      /ACCOUNTS: .*"Dynadot" must be 1–32 lower-case/,
    );
    expect(problemsOf({ ACCOUNTS: `${'a'.repeat(33)}=dynadot` })[0]).toMatch(/must be 1–32/);
    expect(problemsOf({ ACCOUNTS: 'a=dynadot,a=logicboxes' })[0]).toMatch(
      /ACCOUNTS: account name "a" is listed twice/,
    );
    expect(problemsOf({ ACCOUNTS: 'dynadot' })[0]).toMatch(
      /ACCOUNTS: must be a comma-separated list of name=provider/,
    );
  });

  it('lets accounts whose prefixes nest coexist when no variable is read by both', () => {
    const config = loadConfig({
      ACCOUNTS: 'x=dynadot,x-search=dynadot',
      X_API_KEY: 'k-123456789012',
      X_SEARCH_API_KEY: 'k-210987654321',
    });
    expect(config.accounts.map((a) => a.config)).toMatchObject([
      { API_KEY: 'k-123456789012' },
      { API_KEY: 'k-210987654321' },
    ]);
  });

  it('refuses an account whose name makes it read a variable of another account or of the gateway', () => {
    // 35.com's account `x` reads X_BRIDGE_TIMEOUT_MS, and so would Dynadot's `x-bridge` (its
    // TIMEOUT_MS); Dynadot's `bridge-request` would read the bridge's BRIDGE_REQUEST_TIMEOUT_MS.
    expect(problemsOf({ ACCOUNTS: 'x=com35,x-bridge=dynadot' })).toContain(
      'ACCOUNTS: account "x-bridge" would read X_BRIDGE_TIMEOUT_MS, which account "x" reads: rename the account',
    );
    expect(problemsOf({ ACCOUNTS: 'bridge-request=dynadot' })).toContain(
      'ACCOUNTS: account "bridge-request" would read BRIDGE_REQUEST_TIMEOUT_MS, which the gateway reads: rename the account',
    );
  });

  it("refuses a registrar's own credentials that ACCOUNTS leaves out, instead of dropping that account", () => {
    expect(problemsOf({ ...TWO_DYNADOT, DYNADOT_API_KEY: 'k-123456789' })).toEqual([
      'ACCOUNTS lists no account "dynadot", but DYNADOT_API_KEY is set: add dynadot=dynadot to ACCOUNTS or unset it',
    ]);
  });
});

// `<PREFIX>_VIA_BRIDGE`: which accounts leave through the bridge's relay, and what that needs.
const BRIDGE = { BRIDGE_URL: 'https://relay.example.net', BRIDGE_SECRET: 'relay-secret-0001-not-real' };
const TWO_ACCOUNTS = {
  ACCOUNTS: 'lb-two=logicboxes,dynadot=dynadot',
  LB_TWO_AUTH_USERID: '123456',
  LB_TWO_API_KEY: 'lb-two-key-12345',
  DYNADOT_API_KEY: 'dynadot-key-12345',
};

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
