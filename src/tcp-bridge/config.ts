/**
 * The bridge's variables (COM35_*, BRIDGE_*), parsed in one place for both bridges: `npm run
 * bridge` (main.ts), where the 35.com account and the secret are required, and the bridge that
 * `npm start` runs in-process (sim/stack.ts), where an unset 35.com account means "the simulator"
 * and an unset secret the local stack's own. Every problem names its variable, never a value.
 *
 * Only the variables that are set become options: an unset one keeps the default of server.ts
 * (BRIDGE_DEFAULTS), so the defaults live in one place.
 */
import { z } from 'zod';
import {
  ConfigError,
  configProblems,
  incompleteGroup,
  presentVars,
  type SettingGroup,
  secret,
  secretList,
} from '../core/config-schema';
import type { LogLevel } from '../core/log';
import { BRIDGE_DEFAULTS, type BridgeConfig } from './server';

/** The 35.com account the bridge logs in with: all of it, or none (then the simulator, locally). */
export const COM35_ACCOUNT: SettingGroup = {
  what: 'the 35.com account of the bridge',
  needs: ['COM35_HOST', 'COM35_CLID', 'COM35_PASSWORD'],
  alsoStartedBy: ['COM35_PORT'],
};

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** Each tuning variable and the BridgeConfig option it sets. */
export const TUNING = {
  BRIDGE_MAX_BODY_BYTES: ['maxBodyBytes', int(1024)],
  BRIDGE_HEADERS_TIMEOUT_MS: ['headersTimeoutMs', int(100)],
  BRIDGE_REQUEST_TIMEOUT_MS: ['requestTimeoutMs', int(100)],
  BRIDGE_MAX_CONNECTIONS: ['maxConnections', int(1)],
  BRIDGE_SENT_CLTRIDS_FILE: ['sentCltridsFile', z.string().min(1)],
  BRIDGE_POOL_SIZE: ['poolSize', int(1, 64)],
  BRIDGE_QUEUE_MAX: ['queueMax', int(0)],
  BRIDGE_QUEUE_TIMEOUT_MS: ['queueTimeoutMs', int(1)],
  COM35_CONNECT_TIMEOUT_MS: ['connectTimeoutMs', int(1)],
  COM35_READ_TIMEOUT_MS: ['readTimeoutMs', int(1)],
  COM35_MAX_MESSAGE_BYTES: ['maxMessageBytes', int(1024)],
  COM35_SESSION_COMMANDS: ['sessionCommandBudget', int(1, 150)],
  COM35_IDLE_POLICY: ['idlePolicy', z.enum(['keepalive', 'close'])],
  COM35_IDLE_MS: ['idleMs', int(0)],
  COM35_RECONNECT_BASE_MS: ['reconnectBaseMs', int(1)],
  COM35_RECONNECT_MAX_MS: ['reconnectMaxMs', int(1)],
} as const satisfies Record<string, readonly [keyof BridgeConfig, z.ZodType]>;

type TuningOptions = Omit<BridgeConfig, 'com35' | 'secret' | 'listen' | 'logger'>;

const tuningSchema = Object.fromEntries(
  Object.entries(TUNING).map(([name, [, schema]]) => [name, schema.optional()]),
) as { [K in keyof typeof TUNING]: z.ZodOptional<(typeof TUNING)[K][1]> };

const envSchema = z
  .object({
    COM35_HOST: z.string().min(1).optional(),
    COM35_PORT: int(1, 65535).default(30008),
    COM35_CLID: z.string().regex(/^\d+$/, 'the reseller member number (digits)').optional(),
    COM35_PASSWORD: secret.optional(),
    // One secret, or two during a rotation (whitespace/comma separated): either is accepted.
    BRIDGE_SECRET: secretList.pipe(z.array(z.string()).max(2, 'at most two secrets (a rotation)')).optional(),
    BRIDGE_HOST: z.string().min(1).optional(),
    BRIDGE_PORT: int(0, 65535).optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    ...tuningSchema,
  })
  .refine(
    (env) =>
      (env.BRIDGE_REQUEST_TIMEOUT_MS ?? BRIDGE_DEFAULTS.requestTimeoutMs) >=
      (env.BRIDGE_HEADERS_TIMEOUT_MS ?? BRIDGE_DEFAULTS.headersTimeoutMs),
    {
      path: ['BRIDGE_REQUEST_TIMEOUT_MS'],
      message: 'must be at least BRIDGE_HEADERS_TIMEOUT_MS (the headers are part of the request)',
    },
  );

export interface BridgeEnv {
  /** The 35.com account, when COM35_HOST, COM35_CLID and COM35_PASSWORD are set. */
  com35?: BridgeConfig['com35'];
  /** BRIDGE_SECRET's items (two during a rotation), when set. */
  secrets?: string[];
  /** Where to listen, as far as BRIDGE_HOST and BRIDGE_PORT say. */
  listen: { host?: string; port?: number };
  /** The tuning options whose variables are set. */
  tuning: TuningOptions;
  logLevel?: LogLevel;
}

/**
 * Parses the bridge's variables. `required` names variables that must be set (the standalone
 * bridge needs its 35.com account and secret); a half-set 35.com account is always a problem.
 * Throws ConfigError listing every problem.
 */
export function parseBridgeEnv(
  raw: Readonly<Record<string, string | undefined>>,
  required: readonly string[] = [],
): BridgeEnv {
  const vars = presentVars(raw);
  const problems = required.filter((name) => vars[name] === undefined).map((name) => `${name}: required`);
  // Where the account is required, its missing variables are named above already.
  const incomplete = incompleteGroup(COM35_ACCOUNT, vars);
  if (incomplete && !COM35_ACCOUNT.needs.some((name) => required.includes(name))) problems.push(incomplete);
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) problems.push(...configProblems(parsed.error));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const env = parsed.data;
  const tuning: Record<string, unknown> = {};
  for (const [name, [option]] of Object.entries(TUNING)) {
    const value = env[name as keyof typeof TUNING];
    if (value !== undefined) tuning[option] = value;
  }
  return {
    com35:
      env.COM35_HOST && env.COM35_CLID && env.COM35_PASSWORD
        ? { host: env.COM35_HOST, port: env.COM35_PORT, clid: env.COM35_CLID, password: env.COM35_PASSWORD }
        : undefined,
    secrets: env.BRIDGE_SECRET,
    listen: { host: env.BRIDGE_HOST, port: env.BRIDGE_PORT },
    tuning: tuning as TuningOptions,
    logLevel: env.LOG_LEVEL,
  };
}
