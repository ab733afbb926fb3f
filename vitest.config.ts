/**
 * Two projects: `node` (pure units beside the code, the bridge, the simulators, scripts) and
 * `worker` (integration tests inside workerd through @cloudflare/vitest-pool-workers, talking to
 * the simulators over real sockets).
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

process.env.WRANGLER_SEND_METRICS = 'false';
process.env.WRANGLER_SEND_ERROR_REPORTS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';

/** Fixed test values: recognizable, so a test can prove none of them leaks. */
export const TEST_SECRETS = {
  ADMIN_API_KEY: 'test-admin-key-0123456789abcdef',
  // debug: every line the logger can write goes through the secret guard (test/worker/secret-guard.ts).
  LOG_LEVEL: 'debug',
  TELEGRAM_BOT_TOKEN: '123456789:TEST-bot-token-abcdef',
  TELEGRAM_WEBHOOK_SECRET: 'test-telegram-secret-0001',
  // 1001 and 1003 operators, 1002 viewer; anyone else is a stranger.
  TELEGRAM_USERS: '1001:operator,1002:viewer,1003:operator',
  // Billing webhooks: `whsec_` + base64 of a readable text; STANDARD holds two (a rotation).
  WEBHOOK_SECRET_STANDARD: `whsec_${btoa('test-standard-webhook-secret-0001')} whsec_${btoa('test-standard-webhook-secret-0002')}`,
  // Shaped like a real Stripe endpoint secret: whsec_ + 32 alphanumerics.
  WEBHOOK_SECRET_STRIPE: 'whsec_TestStripeWebhookSecret000000001',
  WEBHOOK_SECRET_WHMCS: `whsec_${btoa('test-whmcs-webhook-secret-0001')}`,
  WEBHOOK_CALLBACK_RETRY_BASE_SECONDS: '1',
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'sim/**/*.test.ts', 'test/node/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const migrations = await readD1Migrations('migrations');
            return {
              main: './src/index.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  ...inject('stackEnv'),
                  ...TEST_SECRETS,
                  // Billing webhook callbacks go to the stand-in receiver of test/setup/callback-receiver.ts.
                  WEBHOOK_CALLBACK_URL_STANDARD: `${inject('callbackReceiver')}/hooks/standard`,
                  WEBHOOK_CALLBACK_URL_STRIPE: `${inject('callbackReceiver')}/hooks/stripe`,
                  WEBHOOK_CALLBACK_URL_WHMCS: `${inject('callbackReceiver')}/hooks/whmcs`,
                  CALLBACK_RECEIVER: inject('callbackReceiver'),
                  SIM_CONTROL: JSON.stringify(inject('simControl')),
                  // Accounts beyond one per registrar (test/setup/stack.ts), not configured here:
                  // test/worker/accounts.test.ts adds ACCOUNTS and these to an env of its own.
                  EXTRA_ACCOUNTS_ENV: JSON.stringify(inject('extraAccountsEnv')),
                  EXTRA_SIM_CONTROL: JSON.stringify(inject('extraSimControl')),
                  TELEGRAM_API_ROOT: inject('telegramApiRoot'),
                  TEST_MIGRATIONS: migrations,
                  // Renewal engine: the stand-in alert endpoint of test/setup/alert-receiver.ts.
                  ALERT_RECEIVER: inject('alertReceiver'),
                  // Dashboard: the stand-in Access key endpoint of test/setup/access-jwks.ts.
                  ACCESS_JWKS: inject('accessJwks'),
                  // Cases per door for the hardening fuzz/campaign tests (npm run soak raises it).
                  HARDENING_RUNS: process.env.HARDENING_RUNS ?? '',
                  HARDENING_SEED: process.env.HARDENING_SEED ?? '',
                },
              },
            };
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: [
            'test/setup/stack.ts',
            'test/setup/alert-receiver.ts',
            'test/setup/fake-telegram.ts',
            'test/setup/access-jwks.ts',
          ],
          // secret-guard watches every worker test file for leaked secret values (docs/reliability.md).
          setupFiles: ['test/worker/apply-migrations.ts', 'test/worker/secret-guard.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Worker test files share the simulators and their fault rules: run them one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
