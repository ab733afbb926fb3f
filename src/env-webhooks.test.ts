import { describe, expect, it } from 'vitest';
import { loadConfig } from './env';

const std = `whsec_${Buffer.from('standard-secret-for-config-test').toString('base64')}`;
const std2 = `whsec_${Buffer.from('standard-secret-for-config-two').toString('base64')}`;

describe('billing webhook configuration', () => {
  it('serves only the sources that have a secret', () => {
    const config = loadConfig({ WEBHOOK_SECRET_STANDARD: std });
    expect(Object.keys(config.webhooks.sources)).toEqual(['standard']);
    expect(config.webhooks.sources.standard).toEqual({ secrets: [std], callbackUrl: undefined });
    expect(config.webhooks).toMatchObject({ callbackMaxAttempts: 8, callbackRetryBaseSeconds: 30 });
  });

  it('reads a rotation list and redacts each secret of it on its own', () => {
    const config = loadConfig({
      WEBHOOK_SECRET_STANDARD: ` ${std},  ${std2} `,
      WEBHOOK_CALLBACK_URL_STANDARD: 'https://billing.example/hooks/gateway',
    });
    expect(config.webhooks.sources.standard).toEqual({
      secrets: [std, std2],
      callbackUrl: 'https://billing.example/hooks/gateway',
    });
    expect(config.secrets).toEqual(expect.arrayContaining([std, std2]));
  });

  it('refuses a short secret and a callback URL that is not http(s), naming the variables', () => {
    expect(() =>
      loadConfig({
        WEBHOOK_SECRET_STRIPE: 'whsec_short',
        WEBHOOK_CALLBACK_URL_WHMCS: 'ftp://billing.example/x',
      }),
    ).toThrow(/WEBHOOK_SECRET_STRIPE.*WEBHOOK_CALLBACK_URL_WHMCS/s);
  });

  it('refuses a callback URL without its source secret, naming the missing secret', () => {
    expect(() => loadConfig({ WEBHOOK_CALLBACK_URL_STRIPE: 'https://shop.example/cb' })).toThrow(
      /stripe billing webhook is partially configured; missing WEBHOOK_SECRET_STRIPE/,
    );
  });
});
