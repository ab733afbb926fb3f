/**
 * `npm run bridge`: the 35.com TCP bridge on its own (a host with a fixed IP), with a session pool
 * per account of BRIDGE_ACCOUNTS. Env is parsed once (config.ts, shared with the bridge `npm start`
 * runs); every missing or bad variable is listed by name. SIGTERM/SIGINT log every session out
 * before exiting.
 */
import { ConfigError } from '../core/config-schema';
import { createLogger } from '../core/log';
import { bridgeSecretValues, parseBridgeEnv } from './config';
import { startBridge } from './server';

/** The port of a bridge on its own host when BRIDGE_PORT is not set. */
const STANDALONE_PORT = 8788;

async function main() {
  let env: ReturnType<typeof parseBridgeEnv>;
  try {
    env = parseBridgeEnv(process.env, { standalone: true });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`bridge config: ${problem}`);
    process.exit(2);
  }
  // All set: parseBridgeEnv was told the bridge runs on its own.
  const accounts = Object.fromEntries(env.accounts.map(({ name, upstream }) => [name, upstream!]));
  const secrets = env.secrets!;
  const logger = createLogger({
    level: env.logLevel ?? 'info',
    // Every variable the configuration table marks secret (the member number is one).
    secrets: bridgeSecretValues(secrets, Object.values(accounts)),
    base: { app: 'com35-bridge' },
  });
  const bridge = await startBridge({
    ...env.tuning,
    accounts,
    secret: secrets,
    listen: { host: env.listen.host ?? '127.0.0.1', port: env.listen.port ?? STANDALONE_PORT },
    logger,
  });
  // Printed for scripts (and the benchmark) that start the bridge as a child process.
  console.log(`BRIDGE_URL=${bridge.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: logging every 35.com session out', { signal });
    await bridge.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // E.g. an unreadable BRIDGE_SENT_CLTRIDS_FILE: refuse to start rather than forget what was sent.
  console.error(`bridge: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
