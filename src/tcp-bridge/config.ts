/**
 * The bridge's variables (COM35_*, BRIDGE_*), parsed in one place for both bridges: `npm run
 * bridge` (main.ts), where the 35.com account and the secret are required, and the bridge that
 * `npm start` runs in-process (sim/stack.ts), where an unset 35.com account means "the simulator"
 * and an unset secret the local stack's own. Every problem names its variable, never a value.
 *
 * Each variable is declared once here (BRIDGE_SECRET with 35.com's, LOG_LEVEL with the gateway's);
 * the README's table is made from these declarations. Only the variables that are set become
 * options: an unset one keeps the default of server.ts (BRIDGE_DEFAULTS), so the defaults live in
 * one place.
 */
import { z } from 'zod';
import { declareVars, parseVars, type VarSpec } from '../core/config-declaration';
import { ConfigError, incompleteGroup, presentVars, type SettingGroup, secret } from '../core/config-schema';
import { LOG_LEVEL_VAR } from '../core/core-config';
import type { LogLevel } from '../core/log';
import { bridgeSecretList, com35Config } from '../providers/com35/config';
import { BRIDGE_DEFAULTS } from './defaults';
import type { BridgeConfig } from './server';

/** The 35.com account the bridge logs in with: all of it, or none (then the simulator, locally). */
export const COM35_ACCOUNT: SettingGroup = {
  what: 'the 35.com account of the bridge',
  needs: ['COM35_HOST', 'COM35_CLID', 'COM35_PASSWORD'],
  alsoStartedBy: ['COM35_PORT'],
};

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

type TuningOption = Exclude<keyof BridgeConfig, 'com35' | 'secret' | 'listen' | 'logger'>;

/**
 * A tuning variable: the BridgeConfig option it sets, and its declaration. The default is the
 * bridge's own (BRIDGE_DEFAULTS), applied by server.ts to every option left unset, so an unset
 * variable does not override what a caller chose (the local stack's simulator reconnects faster).
 */
function tuning(option: TuningOption, schema: z.ZodType, description: string) {
  const fallback = BRIDGE_DEFAULTS[option as keyof typeof BRIDGE_DEFAULTS];
  return {
    option,
    schema: schema.optional(),
    for: 'bridge',
    description,
    shownDefault: fallback === undefined ? undefined : String(fallback),
  } as const satisfies VarSpec & { option: TuningOption };
}

/** Each tuning variable and the BridgeConfig option it sets. */
export const TUNING = {
  BRIDGE_MAX_BODY_BYTES: tuning(
    'maxBodyBytes',
    int(1024),
    'Largest request body; a bigger one is cut with 413 while it streams.',
  ),
  BRIDGE_HEADERS_TIMEOUT_MS: tuning(
    'headersTimeoutMs',
    int(100),
    'Time a client has to send its request headers, then the connection is closed.',
  ),
  BRIDGE_REQUEST_TIMEOUT_MS: tuning(
    'requestTimeoutMs',
    int(100),
    'Time a client has to send its whole request (≥ the headers timeout).',
  ),
  BRIDGE_MAX_CONNECTIONS: tuning(
    'maxConnections',
    int(1),
    'Open connections at most; further ones are closed at once. Keep above `BRIDGE_QUEUE_MAX`.',
  ),
  BRIDGE_SENT_CLTRIDS_FILE: tuning(
    'sentCltridsFile',
    z.string().min(1),
    'File remembering the renewals sent to 35.com (24 h) across restarts; unset = memory only.',
  ),
  BRIDGE_POOL_SIZE: tuning('poolSize', int(1, 64), '35.com sessions kept logged in.'),
  BRIDGE_QUEUE_MAX: tuning('queueMax', int(0), 'Commands allowed to wait; beyond it, 503.'),
  BRIDGE_QUEUE_TIMEOUT_MS: tuning(
    'queueTimeoutMs',
    int(1),
    'Longest wait for a free session, then 503 with Retry-After.',
  ),
  COM35_CONNECT_TIMEOUT_MS: tuning('connectTimeoutMs', int(1), 'Connect + greeting timeout.'),
  COM35_READ_TIMEOUT_MS: tuning(
    'readTimeoutMs',
    int(1),
    'Wait per reply; past it the command is `outcome_unknown`.',
  ),
  COM35_MAX_MESSAGE_BYTES: tuning('maxMessageBytes', int(1024), 'A larger reply drops the session.'),
  COM35_SESSION_COMMANDS: tuning(
    'sessionCommandBudget',
    int(1, 150),
    'Commands per session before Logout + Login (the server allows 150 with Login/Logout).',
  ),
  COM35_IDLE_POLICY: tuning(
    'idlePolicy',
    z.enum(['keepalive', 'close']),
    '`keepalive` or `close` when idle.',
  ),
  COM35_IDLE_MS: tuning('idleMs', int(0), 'Idle time before keep-alive or Logout; 0 = never.'),
  COM35_RECONNECT_BASE_MS: tuning('reconnectBaseMs', int(1), 'First reconnect backoff (full jitter).'),
  COM35_RECONNECT_MAX_MS: tuning('reconnectMaxMs', int(1), 'Reconnect backoff ceiling.'),
};

type TuningOptions = Omit<BridgeConfig, 'com35' | 'secret' | 'listen' | 'logger'>;

/** The bridge's own variables (BRIDGE_SECRET is 35.com's, LOG_LEVEL the gateway's: declared there). */
export const BRIDGE_VARS = declareVars({
  COM35_HOST: { schema: z.string().min(1).optional(), for: 'bridge', description: '35.com registrar host.' },
  COM35_PORT: {
    schema: int(1, 65535).default(30008),
    for: 'bridge',
    description: '35.com registrar TCP port.',
  },
  COM35_CLID: {
    schema: z.string().regex(/^\d+$/, 'the reseller member number (digits)').optional(),
    for: 'bridge',
    secret: true,
    description: '35.com reseller member number.',
  },
  COM35_PASSWORD: {
    schema: secret.optional(),
    for: 'bridge',
    secret: true,
    description: '35.com member password.',
  },
  BRIDGE_HOST: {
    schema: z.string().min(1).optional(),
    for: 'bridge',
    // Where main.ts and the local stack listen when it is unset.
    shownDefault: '127.0.0.1',
    description: 'Address the bridge listens on.',
  },
  BRIDGE_PORT: {
    schema: int(0, 65535).optional(),
    for: 'bridge',
    // main.ts's STANDALONE_PORT; `npm start`'s bridge takes any free port.
    shownDefault: '8788',
    description: 'Port the bridge listens on.',
  },
  ...TUNING,
});

/** Everything the bridge reads, each unset one left unset (the callers choose their own fallbacks). */
const READ = {
  ...BRIDGE_VARS,
  BRIDGE_SECRET: { ...com35Config.vars.BRIDGE_SECRET!, schema: bridgeSecretList.optional() },
  LOG_LEVEL: { ...LOG_LEVEL_VAR, schema: LOG_LEVEL_VAR.schema.unwrap().optional() },
};

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
  const parsed = parseVars(READ, vars);
  if (!parsed.ok) problems.push(...parsed.problems);
  if (problems.length > 0 || !parsed.ok) throw new ConfigError(problems);
  const env = parsed.value;
  const headersTimeoutMs = env.BRIDGE_HEADERS_TIMEOUT_MS ?? BRIDGE_DEFAULTS.headersTimeoutMs;
  if ((env.BRIDGE_REQUEST_TIMEOUT_MS ?? BRIDGE_DEFAULTS.requestTimeoutMs) < headersTimeoutMs)
    throw new ConfigError([
      'BRIDGE_REQUEST_TIMEOUT_MS: must be at least BRIDGE_HEADERS_TIMEOUT_MS (the headers are part of the request)',
    ]);
  const tuning: Record<string, unknown> = {};
  for (const [name, { option }] of Object.entries(TUNING)) {
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
