import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../scripts/config-vars';
import { ConfigError, loadConfig, SECRET_VARS } from './env';

describe('loadConfig', () => {
  it('configures nothing from an empty environment', () => {
    const config = loadConfig({});
    expect(config.accounts).toEqual([]);
    expect(config.logLevel).toBe('info');
  });

  it('configures a registrar when all its required keys are present, with default base URLs', () => {
    const config = loadConfig({ DYNADOT_API_KEY: 'k-123456789' });
    expect(config.accounts.map((a) => a.name)).toEqual(['dynadot']);
    expect(config.accounts[0]!.config).toMatchObject({ BASE_URL: 'https://api.dynadot.com' });
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
    // Shaped as a bot token must be (`<id>:<secret>`).
    values.TELEGRAM_BOT_TOKEN = '4242:value-of-TELEGRAM_BOT_TOKEN';
    // BRIDGE_SECRET configures 35.com only together with the bridge's URL; the alert secret signs
    // what goes to the alert URL.
    const config = loadConfig({
      ...values,
      BRIDGE_URL: 'https://bridge.example',
      ALERT_WEBHOOK_URL: 'https://alerts.example/hook',
    });
    for (const [name, value] of Object.entries(values)) expect(config.secrets, name).toContain(value);
  });

  it('names every missing variable of each half-configured feature at once, never a value', () => {
    const token = '123456:half-configured-bot-token';
    try {
      loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        WEBHOOK_CALLBACK_URL_STRIPE: 'https://shop.example/cb',
        ALERT_WEBHOOK_SECRET: 'whsec_aGFsZi1jb25maWd1cmVkLWFsZXJ0',
        MRDOMAIN_API_USER: 'half-user-0001',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          'the Telegram bot is partially configured; missing TELEGRAM_WEBHOOK_SECRET',
          'the stripe billing webhook is partially configured; missing WEBHOOK_SECRET_STRIPE',
          'the alert webhook is partially configured; missing ALERT_WEBHOOK_URL',
          'MrDomain / DonDominio is partially configured; missing MRDOMAIN_API_PASSWORD',
        ]),
      );
      expect((e as ConfigError).message).not.toContain(token);
      expect((e as ConfigError).message).not.toContain('half-user-0001');
    }
  });

  it('names the missing bot token when only the webhook secret is set', () => {
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'only-the-secret' })).toThrow(
      /Telegram bot is partially configured; missing TELEGRAM_BOT_TOKEN/,
    );
  });

  it('checks the bot and the exchange rates when the config loads, not on first use', () => {
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: '123456:bot-token',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret',
        TELEGRAM_USERS: 'olga',
        PRICE_RATES: 'CNY:0.138',
      }),
    ).toThrow(/TELEGRAM_USERS.*PRICE_RATES/s);
  });

  it('rejects a short admin key and a bad log level', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'short', LOG_LEVEL: 'loud' })).toThrow(
      /ADMIN_API_KEY.*LOG_LEVEL|LOG_LEVEL.*ADMIN_API_KEY/s,
    );
  });

  describe('fails the same way for every part: a ConfigError naming the variable, never its value', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        for (const value of Object.values(env)) expect((error as ConfigError).message).not.toContain(value);
        return (error as ConfigError).problems;
      }
      return expect.unreachable('loadConfig accepted the environment');
    };

    it.each([
      ['a renewal tuning value', { RENEWAL_MAX_SUBMISSIONS: 'three-times' }, /^RENEWAL_MAX_SUBMISSIONS: /],
      ['a renewal list', { RENEWAL_RECONCILE_DELAYS: '10,soon' }, /^RENEWAL_RECONCILE_DELAYS: /],
      [
        'a low-balance threshold',
        { LOW_BALANCE_THRESHOLDS: 'USD=50,lots-of-yen' },
        /^LOW_BALANCE_THRESHOLDS: /,
      ],
      [
        'a half-set bot',
        { TELEGRAM_BOT_TOKEN: '4242:half-set-bot-token' },
        /^the Telegram bot is partially configured; missing TELEGRAM_WEBHOOK_SECRET$/,
      ],
      [
        'a registrar base URL',
        { MRDOMAIN_API_USER: 'user-0001', MRDOMAIN_API_PASSWORD: 'pw-0001', MRDOMAIN_BASE_URL: 'simple-api' },
        /^MRDOMAIN_BASE_URL: /,
      ],
      ['an alert webhook URL', { ALERT_WEBHOOK_URL: 'alerts-host/hook' }, /^ALERT_WEBHOOK_URL: /],
      ['a price base currency', { PRICE_BASE_CURRENCY: 'dollars' }, /^PRICE_BASE_CURRENCY: /],
    ])('%s', (_, env, problem) => {
      const problems = problemsOf(env);
      expect(problems.length).toBeGreaterThan(0);
      for (const found of problems) expect(found).toMatch(problem);
    });

    it('names the problems of every part at once', () => {
      const problems = problemsOf({
        RENEWAL_LEASE_SECONDS: '0',
        TELEGRAM_WEBHOOK_SECRET: 'only-the-secret',
        DYNADOT_API_KEY: 'dynadot-key-0001',
        DYNADOT_BASE_URL: 'https://api.dynadot.com/api3.xml',
        WEBHOOK_CALLBACK_MAX_ATTEMPTS: '0',
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^RENEWAL_LEASE_SECONDS: /),
          expect.stringMatching(/Telegram bot is partially configured; missing TELEGRAM_BOT_TOKEN$/),
          expect.stringMatching(/^DYNADOT_BASE_URL: /),
          expect.stringMatching(/^WEBHOOK_CALLBACK_MAX_ATTEMPTS: /),
        ]),
      );
      expect(problems).toHaveLength(4);
    });
  });

  it('gives each part its typed config, with the declared defaults', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '4242:bot-token',
      TELEGRAM_WEBHOOK_SECRET: 'hook-secret',
      TELEGRAM_USERS: '42:operator',
      ALERT_WEBHOOK_URL: 'https://alerts.example/hook',
      PRICE_RATES: 'CNY=0.138',
      RENEWAL_COOLDOWN_HOURS: '0',
    });
    expect(config.bot).toMatchObject({ apiRoot: 'https://api.telegram.org', confirmTtlSeconds: 300 });
    expect([...(config.bot?.users ?? [])]).toEqual([[42, 'operator']]);
    expect(config.alerts).toEqual({ url: 'https://alerts.example/hook', secret: undefined });
    expect(config.prices?.base).toBe('USD');
    expect(config.renewals).toMatchObject({
      cooldownHours: 0,
      maxSubmissions: 3,
      reminderWindowsDays: [30, 7, 1],
    });
    expect(loadConfig({})).toMatchObject({ bot: null, alerts: undefined, prices: undefined });
  });

  it('redacts exactly the variables declared secret', () => {
    expect([...SECRET_VARS].sort()).toEqual(
      CONFIG_VARS.filter((v) => v.secret)
        .map((v) => v.name)
        .sort(),
    );
    expect(SECRET_VARS).toContain('COM35_CLID');
    expect(SECRET_VARS).not.toContain('DYNADOT_BASE_URL');
  });
});
