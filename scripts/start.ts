/**
 * `npm start`: the whole product locally and offline (see local-stack.ts), the inventory synced
 * from the registrars (local-run.ts), then the admin key, one authenticated example call and a
 * `ready` line. A configuration problem is printed at once and nothing starts; Ctrl-C / SIGTERM
 * stop every component at any moment.
 */
import { join, resolve } from 'node:path';
import { runLocal } from './local-run';
import { REPO_ROOT } from './local-stack';

const env = process.env;
const configuredKey = Boolean(env.ADMIN_API_KEY);

await runLocal(
  {
    env,
    // Checked with the rest of the environment before anything starts (local-config.ts).
    port: Number(env.PORT || 8787),
    // Local data (D1 inventory, renewals, API keys) survives restarts, as wrangler's default does;
    // the start-up sync brings it in line with the freshly started simulators.
    persistTo: env.LOCAL_STATE_DIR ? resolve(env.LOCAL_STATE_DIR) : join(REPO_ROOT, '.wrangler', 'state'),
  },
  ({ local }) => {
    // A key from the environment is a configured secret: it is referred to, never printed.
    const key = configuredKey ? '$ADMIN_API_KEY' : local.adminApiKey;
    console.log(
      configuredKey
        ? 'admin API key        ADMIN_API_KEY from your environment'
        : `local API key        ${local.adminApiKey}  (admin; set ADMIN_API_KEY to choose your own)`,
    );
    console.log(`dashboard            ${local.url}/app  (sign in with the API key)`);
    console.log(`example              curl -H "Authorization: Bearer ${key}" ${local.url}/v1/domains`);
    console.log(`ready ${local.url}  — try: curl ${local.url}/health`);
  },
);
