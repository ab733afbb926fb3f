/**
 * The bridge's variables (COM35_*, BRIDGE_*), parsed in one place for both bridges: `npm run
 * bridge` (main.ts), where every 35.com account and the secret are required, and the bridge that
 * `npm start` runs in-process (sim/stack.ts), where an account without credentials means "the
 * simulator" and an unset secret the local stack's own. Every problem names its variable, never a
 * value.
 *
 * The accounts: `BRIDGE_ACCOUNTS` lists them as `name=com35` pairs (the worker's `ACCOUNTS`
 * syntax); each reads COM35_HOST, COM35_PORT, COM35_CLID and COM35_PASSWORD with `COM35` replaced by
 * its name in upper snake case (`com35-sub` → `COM35_SUB_HOST`), so the account `com35` reads
 * today's names, and BRIDGE_ACCOUNTS unset is that one account. The tuning is bridge-wide.
 *
 * Each variable is declared once here (BRIDGE_SECRET with 35.com's, LOG_LEVEL with the gateway's);
 * the README's table is made from these declarations. Only the variables that are set become
 * options: an unset one keeps the default of server.ts (BRIDGE_DEFAULTS), so the defaults live in
 * one place.
 */
import { z } from 'zod';
import { type AccountEntry, accountListSchema, accountPrefix } from '../core/account-names';
import { declareVars, type ParseResult, parseVars, type VarSpec } from '../core/config-declaration';
import { ConfigError, presentVars, secret } from '../core/config-schema';
import { LOG_LEVEL_VAR } from '../core/core-config';
import type { LogLevel } from '../core/log';
import { DEFAULT_BRIDGE_ACCOUNT } from '../providers/com35/bridge-protocol';
import { bridgeSecretList, com35Config } from '../providers/com35/config';
import { declareProviderConfig, type ProviderVarSpecs } from '../providers/provider-config';
import type { Com35Account } from './account-pools';
import { BRIDGE_DEFAULTS } from './defaults';
import { originProblem } from './relay-origins';
import type { BridgeConfig } from './server';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/**
 * BRIDGE_ALLOWED_ORIGINS: a comma list of exact origins. An entry that is not one (a path, a
 * trailing slash, a default port written out) is a problem named by its position, so a typo cannot
 * quietly allow nothing, or more than meant.
 */
const originList = z.string().transform((text, ctx) => {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, i) => {
    const problem = originProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} is ${problem}` });
  });
  return entries;
});

type TuningOption = Exclude<keyof BridgeConfig, 'accounts' | 'secret' | 'listen' | 'logger'>;

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
    'Largest request body (a relayed request: its decoded body); a bigger one is refused with 413.',
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
  BRIDGE_ALLOWED_ORIGINS: tuning(
    'allowedOrigins',
    originList,
    "The relay's targets: comma list of exact origins (`https://httpapi.com`); unset or empty = relay off.",
  ),
  BRIDGE_SOURCE_ADDRESS: tuning(
    'sourceAddress',
    z.union([z.ipv4(), z.ipv6()]),
    "Local IP address of the relay's outgoing connections (the one registered at the registrars).",
  ),
  BRIDGE_RELAY_TIMEOUT_MS: tuning(
    'relayTimeoutMs',
    int(1),
    "Longest relay; the worker's deadline less 500 ms when shorter. Past it: `not-sent` or `reply-lost`.",
  ),
  BRIDGE_RELAY_MAX_IN_FLIGHT: tuning(
    'relayMaxInFlight',
    int(1),
    'Relays at once at most; beyond, 503 not sent.',
  ),
  BRIDGE_RELAY_MAX_REPLY_BYTES: tuning(
    'relayMaxReplyBytes',
    int(1024),
    "Largest relayed reply body; a bigger one is cut and the worker's connection closed.",
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

type TuningOptions = Omit<BridgeConfig, 'accounts' | 'secret' | 'listen' | 'logger'>;

/** One 35.com account's variables, by suffix under the account's prefix (`COM35` for `com35`). */
const ACCOUNT_VARS = {
  HOST: {
    schema: z.string().min(1).optional(),
    for: 'bridge',
    required: true,
    description: '35.com registrar host.',
  },
  PORT: {
    schema: int(1, 65535).default(30008),
    for: 'bridge',
    description: '35.com registrar TCP port.',
  },
  CLID: {
    schema: z.string().regex(/^\d+$/, 'the reseller member number (digits)').optional(),
    for: 'bridge',
    secret: true,
    required: true,
    description: '35.com reseller member number.',
  },
  PASSWORD: {
    schema: secret.optional(),
    for: 'bridge',
    secret: true,
    required: true,
    description: '35.com member password.',
  },
} as const satisfies ProviderVarSpecs;

/** The account `com35`'s variables; another account reads them under its own prefix (`withPrefix`). */
export const com35AccountConfig = declareProviderConfig({ prefix: 'COM35', vars: ACCOUNT_VARS });

/** Where the bridge listens. */
const LISTEN_VARS = declareVars({
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
});

const ACCOUNTS_VAR = declareVars({
  BRIDGE_ACCOUNTS: {
    schema: accountListSchema.optional(),
    for: 'bridge',
    shownDefault: 'com35=com35',
    description:
      'The 35.com accounts as `name=com35` pairs; `com35-sub` reads `COM35_SUB_HOST`, `…_PORT`, `…_CLID`, `…_PASSWORD`.',
  },
});

/** The bridge's own variables (BRIDGE_SECRET is 35.com's, LOG_LEVEL the gateway's: declared there). */
export const BRIDGE_VARS = declareVars({
  ...ACCOUNTS_VAR,
  // The account `com35`'s names, as the table lists them; every other account's follow from these.
  COM35_HOST: ACCOUNT_VARS.HOST,
  COM35_PORT: ACCOUNT_VARS.PORT,
  COM35_CLID: ACCOUNT_VARS.CLID,
  COM35_PASSWORD: ACCOUNT_VARS.PASSWORD,
  ...LISTEN_VARS,
  ...TUNING,
});

/**
 * Everything the bridge reads for itself (the accounts' variables are read per account), each
 * unset one left unset (the callers choose their own fallbacks).
 */
const READ = {
  ...ACCOUNTS_VAR,
  ...LISTEN_VARS,
  ...TUNING,
  BRIDGE_SECRET: { ...com35Config.vars.BRIDGE_SECRET!, schema: bridgeSecretList.optional() },
  LOG_LEVEL: { ...LOG_LEVEL_VAR, schema: LOG_LEVEL_VAR.schema.unwrap().optional() },
};

/** One account of BRIDGE_ACCOUNTS: where its sessions go, when its credentials are set. */
export interface BridgeAccountEnv {
  name: string;
  /** Unset where none of its variables is set (the local stack simulates it; `npm run bridge` refuses). */
  upstream?: Com35Account;
}

export interface BridgeEnv {
  /** Every account, in BRIDGE_ACCOUNTS' order (unset: the one account `com35`). */
  accounts: BridgeAccountEnv[];
  /** BRIDGE_SECRET's items (two during a rotation), when set. */
  secrets?: string[];
  /** Where to listen, as far as BRIDGE_HOST and BRIDGE_PORT say. */
  listen: { host?: string; port?: number };
  /** The tuning options whose variables are set. */
  tuning: TuningOptions;
  logLevel?: LogLevel;
}

/** How the problems name an account: the account `com35` as before there were several. */
function accountWhat(name: string): string {
  return name === DEFAULT_BRIDGE_ACCOUNT
    ? 'the 35.com account of the bridge'
    : `the 35.com account "${name}" of the bridge`;
}

/**
 * Every account's upstream, or every problem: a provider other than com35, a name that would read
 * one of the bridge's own variables, a partial credential set (or, where `standalone`, none), two
 * accounts that are one 35.com member, and the account `com35`'s variables set while
 * BRIDGE_ACCOUNTS leaves it out (they would be ignored without a word).
 */
function parseBridgeAccounts(
  vars: Readonly<Record<string, string>>,
  listed: AccountEntry[] | undefined,
  standalone: boolean,
): ParseResult<BridgeAccountEnv[]> {
  const problems: string[] = [];
  const accounts: BridgeAccountEnv[] = [];
  /** `host:port:clid` → the member variable of the account that logs in as it. */
  const members = new Map<string, string>();
  for (const { name, provider } of listed ?? [{ name: DEFAULT_BRIDGE_ACCOUNT, provider: 'com35' }]) {
    if (provider !== 'com35') {
      problems.push(
        `BRIDGE_ACCOUNTS: account "${name}" names the provider "${provider}"; the bridge serves 35.com accounts only (com35)`,
      );
      continue;
    }
    const declaration = com35AccountConfig.withPrefix(accountPrefix(name));
    const own = declaration.prefixedNames();
    const clash = own.filter((variable) => Object.hasOwn(READ, variable));
    if (clash.length > 0) {
      problems.push(
        `BRIDGE_ACCOUNTS: account "${name}" would read ${clash.join(', ')}, which the bridge reads for itself: rename the account`,
      );
      continue;
    }
    const set = own.filter((variable) => vars[variable] !== undefined);
    if (set.length === 0 && !standalone) {
      accounts.push({ name });
      continue;
    }
    const missing = declaration.required.filter((variable) => vars[variable] === undefined);
    if (missing.length > 0) {
      problems.push(
        `${accountWhat(name)} is ${set.length === 0 ? 'not' : 'partially'} configured; missing ${missing.join(', ')}`,
      );
      continue;
    }
    const parsed = declaration.parse(vars);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const { HOST, PORT, CLID, PASSWORD } = parsed.value;
    const upstream: Com35Account = { host: HOST!, port: PORT, clid: CLID!, password: PASSWORD! };
    const member = `${upstream.host}:${upstream.port}:${upstream.clid}`;
    const other = members.get(member);
    if (other) {
      // Two names for one member would share its cltrids and its domains: not two accounts.
      problems.push(
        `${declaration.nameOf('CLID')}: the same 35.com member on the same host as ${other}; one member is one account`,
      );
      continue;
    }
    members.set(member, declaration.nameOf('CLID'));
    accounts.push({ name, upstream });
  }
  if (listed && !listed.some((entry) => entry.name === DEFAULT_BRIDGE_ACCOUNT)) {
    const set = com35AccountConfig.prefixedNames().filter((variable) => vars[variable] !== undefined);
    if (set.length > 0)
      problems.push(
        `BRIDGE_ACCOUNTS lists no account "com35", but ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set: add com35=com35 to BRIDGE_ACCOUNTS or unset ${set.length > 1 ? 'them' : 'it'}`,
      );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: accounts };
}

/**
 * Parses the bridge's variables. `standalone` (`npm run bridge`): BRIDGE_SECRET and every
 * account's credentials are required; otherwise (the local stack) an account without any of its
 * variables is left for the simulator. A half-set account is always a problem. Throws ConfigError
 * listing every problem.
 */
export function parseBridgeEnv(
  raw: Readonly<Record<string, string | undefined>>,
  opts: { standalone?: boolean } = {},
): BridgeEnv {
  const vars = presentVars(raw);
  const standalone = opts.standalone === true;
  const problems = standalone && vars.BRIDGE_SECRET === undefined ? ['BRIDGE_SECRET: required'] : [];
  const parsed = parseVars(READ, vars);
  if (!parsed.ok) problems.push(...parsed.problems);
  // A list that cannot be read names no accounts to check: its own problem is named above.
  const accounts =
    parsed.ok || vars.BRIDGE_ACCOUNTS === undefined
      ? parseBridgeAccounts(vars, parsed.ok ? parsed.value.BRIDGE_ACCOUNTS : undefined, standalone)
      : undefined;
  if (accounts && !accounts.ok) problems.push(...accounts.problems);
  if (problems.length > 0 || !parsed.ok || !accounts?.ok) throw new ConfigError(problems);
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
    accounts: accounts.value,
    secrets: env.BRIDGE_SECRET,
    listen: { host: env.BRIDGE_HOST, port: env.BRIDGE_PORT },
    tuning: tuning as TuningOptions,
    logLevel: env.LOG_LEVEL,
  };
}

/** The values to redact in the bridge's logs: the secrets and every account's member number and password. */
export function bridgeSecretValues(secrets: readonly string[], accounts: readonly Com35Account[]): string[] {
  return [...secrets, ...accounts.flatMap((a) => [a.password, a.clid])];
}
