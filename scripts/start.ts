/**
 * `npm start`: the whole product locally and offline (see local-stack.ts), then a `ready` line
 * with the URL and a sample curl. Ctrl-C / SIGTERM stop every component.
 */
import { join } from 'node:path';
import { REPO_ROOT, startLocalStack } from './local-stack';

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

try {
  const local = await startLocalStack({
    port,
    // Local data (D1 inventory, renewals, API keys) survives restarts, as wrangler's default does.
    persistTo: join(REPO_ROOT, '.wrangler', 'state'),
    log: (line) => console.log(line),
  });
  console.log(`local API key        ${local.adminApiKey}  (admin; set ADMIN_API_KEY to choose your own)`);
  console.log(`ready ${local.url}  — try: curl ${local.url}/health`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await local.close();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
