import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../scripts/config-vars';
import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('configures nothing from an empty environment', () => {
    const config = loadConfig({});
    expect(config.accounts).toEqual([]);
    expect(config.logLevel).toBe('info');
  });

  it('configures a registrar when all its required keys are present, with default base URLs', () => {
    const config = loadConfig({ DYNADOT_API_KEY: 'k-123456789' });
    expect(config.accounts.map((a) => a.name)).toEqual(['dynadot']);
    expect(config.accounts[0]!.config).toMatchObject({ DYNADOT_BASE_URL: 'https://api.dynadot.com' });
  });

  it('lists every missing key of a partially configured registrar by name, never a value', () => {
    const secretValue = 'super-secret-value-42';
    try {
      loadConfig({ ALIBABA_ACCESS_KEY_SECRET: secretValue, LOGICBOXES_API_KEY: secretValue });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as ConfigError).message;
      expect(message).toContain('ALIBABA_ACCESS_KEY_ID');
      expect(message).toContain('LOGICBOXES_AUTH_USERID');
      expect(message).not.toContain(secretValue);
      expect((e as ConfigError).problems).toHaveLength(2);
    }
  });

  it('rejects a base URL with a path, naming the variable', () => {
    expect(() =>
      loadConfig({ DYNADOT_API_KEY: 'k-123456789', DYNADOT_BASE_URL: 'https://api.dynadot.com/api3.xml' }),
    ).toThrow(/DYNADOT_BASE_URL: must be an origin only/);
  });

  it('collects every secret value for redaction', () => {
    const config = loadConfig({
      MRDOMAIN_API_USER: 'user-abcdef',
      MRDOMAIN_API_PASSWORD: 'pw-abcdef-123',
      ADMIN_API_KEY: 'admin-key-0123456789',
    });
    expect(config.secrets).toEqual(expect.arrayContaining(['pw-abcdef-123', 'admin-key-0123456789']));
    expect(config.adminApiKey).toBe('admin-key-0123456789');
  });

  it('collects the value of every variable the configuration table marks secret, *_USER ones too', () => {
    const secretVars = CONFIG_VARS.filter((v) => v.secret).map((v) => v.name);
    expect(secretVars).toEqual(expect.arrayContaining(['MRDOMAIN_API_USER', 'LOGICBOXES_AUTH_USERID']));
    const values = Object.fromEntries(secretVars.map((name, i) => [name, `value-of-${name}-${1000 + i}`]));
    // BRIDGE_SECRET configures 35.com only together with the bridge's URL.
    const config = loadConfig({ ...values, BRIDGE_URL: 'https://bridge.example' });
    for (const [name, value] of Object.entries(values)) expect(config.secrets, name).toContain(value);
  });

  it('rejects a short admin key and a bad log level', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'short', LOG_LEVEL: 'loud' })).toThrow(
      /ADMIN_API_KEY.*LOG_LEVEL|LOG_LEVEL.*ADMIN_API_KEY/s,
    );
  });
});
