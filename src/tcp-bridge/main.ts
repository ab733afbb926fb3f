/**
 * `npm run bridge`: the 35.com TCP bridge on its own (a host with a fixed IP). Env is parsed once
 * with zod; every missing or bad variable is listed by name. SIGTERM/SIGINT log every session
 * out before exiting.
 */
import { z } from 'zod';
import { intFromEnv, secret, secretList } from '../core/config-schema';
import { createLogger } from '../core/log';
import { BRIDGE_DEFAULTS, startBridge } from './server';

const d = BRIDGE_DEFAULTS;
const envSchema = z
  .object({
    COM35_HOST: z.string().min(1),
    COM35_PORT: intFromEnv(30008, 1, 65535),
    COM35_CLID: z.string().regex(/^\d+$/, 'the reseller member number (digits)'),
    COM35_PASSWORD: secret,
    // One secret, or two during a rotation (whitespace/comma separated): either is accepted.
    BRIDGE_SECRET: secretList.pipe(z.array(z.string()).max(2, 'at most two secrets (a rotation)')),
    BRIDGE_HOST: z.string().default('127.0.0.1'),
    BRIDGE_PORT: intFromEnv(8788, 0, 65535),
    BRIDGE_MAX_BODY_BYTES: intFromEnv(d.maxBodyBytes, 1024),
    BRIDGE_HEADERS_TIMEOUT_MS: intFromEnv(d.headersTimeoutMs, 100),
    BRIDGE_REQUEST_TIMEOUT_MS: intFromEnv(d.requestTimeoutMs, 100),
    BRIDGE_MAX_CONNECTIONS: intFromEnv(d.maxConnections, 1),
    BRIDGE_SENT_CLTRIDS_FILE: z.string().min(1).optional(),
    BRIDGE_POOL_SIZE: intFromEnv(d.poolSize, 1, 64),
    BRIDGE_QUEUE_MAX: intFromEnv(d.queueMax, 0),
    BRIDGE_QUEUE_TIMEOUT_MS: intFromEnv(d.queueTimeoutMs, 1),
    COM35_CONNECT_TIMEOUT_MS: intFromEnv(d.connectTimeoutMs, 1),
    COM35_READ_TIMEOUT_MS: intFromEnv(d.readTimeoutMs, 1),
    COM35_MAX_MESSAGE_BYTES: intFromEnv(d.maxMessageBytes, 1024),
    COM35_SESSION_COMMANDS: intFromEnv(d.sessionCommandBudget, 1, 150),
    COM35_IDLE_POLICY: z.enum(['keepalive', 'close']).default(d.idlePolicy),
    COM35_IDLE_MS: intFromEnv(d.idleMs, 0),
    COM35_RECONNECT_BASE_MS: intFromEnv(d.reconnectBaseMs, 1),
    COM35_RECONNECT_MAX_MS: intFromEnv(d.reconnectMaxMs, 1),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .refine((env) => env.BRIDGE_REQUEST_TIMEOUT_MS >= env.BRIDGE_HEADERS_TIMEOUT_MS, {
    path: ['BRIDGE_REQUEST_TIMEOUT_MS'],
    message: 'must be at least BRIDGE_HEADERS_TIMEOUT_MS (the headers are part of the request)',
  });

async function main() {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`bridge config: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const logger = createLogger({
    level: env.LOG_LEVEL,
    // Every variable the configuration table marks secret (the member number is one).
    secrets: [...env.BRIDGE_SECRET, env.COM35_PASSWORD, env.COM35_CLID],
    base: { app: 'com35-bridge' },
  });
  const bridge = await startBridge({
    com35: { host: env.COM35_HOST, port: env.COM35_PORT, clid: env.COM35_CLID, password: env.COM35_PASSWORD },
    secret: env.BRIDGE_SECRET,
    listen: { host: env.BRIDGE_HOST, port: env.BRIDGE_PORT },
    poolSize: env.BRIDGE_POOL_SIZE,
    queueMax: env.BRIDGE_QUEUE_MAX,
    queueTimeoutMs: env.BRIDGE_QUEUE_TIMEOUT_MS,
    connectTimeoutMs: env.COM35_CONNECT_TIMEOUT_MS,
    readTimeoutMs: env.COM35_READ_TIMEOUT_MS,
    maxMessageBytes: env.COM35_MAX_MESSAGE_BYTES,
    sessionCommandBudget: env.COM35_SESSION_COMMANDS,
    idlePolicy: env.COM35_IDLE_POLICY,
    idleMs: env.COM35_IDLE_MS,
    reconnectBaseMs: env.COM35_RECONNECT_BASE_MS,
    reconnectMaxMs: env.COM35_RECONNECT_MAX_MS,
    maxBodyBytes: env.BRIDGE_MAX_BODY_BYTES,
    headersTimeoutMs: env.BRIDGE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.BRIDGE_REQUEST_TIMEOUT_MS,
    maxConnections: env.BRIDGE_MAX_CONNECTIONS,
    sentCltridsFile: env.BRIDGE_SENT_CLTRIDS_FILE,
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
