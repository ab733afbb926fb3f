import { applyD1Migrations, env } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      RENEWALS: Queue;
      ACCOUNT_GATE: DurableObjectNamespace;
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      SIM_CONTROL: string;
      EXTRA_ACCOUNTS_ENV: string;
      EXTRA_SIM_CONTROL: string;
      ADMIN_API_KEY: string;
      TELEGRAM_WEBHOOK_SECRET: string;
      TELEGRAM_API_ROOT: string;
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
