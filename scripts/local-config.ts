/**
 * What `npm start` makes of its environment, decided before anything starts: the worker's
 * accounts (`ACCOUNTS`, or one per registrar), which are real (their credentials are set) and
 * which are simulated, what the worker is given, and every
 * problem with it — found by the same code the deployed worker runs (src/env.ts loadConfig) and
 * the same code the bridge runs (src/tcp-bridge/config.ts), so a mistake is named at once instead
 * of after a wait for a worker that cannot answer.
 */
import type { StackAccount } from '../sim/accounts';
import { withBridgeAccounts } from '../sim/stack';
import { accountListSchema, accountPrefix } from '../src/core/account-names';
import { parseVars } from '../src/core/config-declaration';
import { ConfigError, presentVars } from '../src/core/config-schema';
import { loadConfig } from '../src/env';
import { VIA_BRIDGE } from '../src/providers/provider-config';
import { providers } from '../src/providers/registry';
import { parseBridgeEnv } from '../src/tcp-bridge/config';
import { CONFIG_VARS, SCRIPT_VARS } from './config-vars';

type Vars = Readonly<Record<string, string | undefined>>;

// An empty variable counts as unset, as everywhere configuration is read (presentVars).
const isSet = (env: Vars, name: string) => env[name] !== undefined && env[name] !== '';

const isProvider = (key: string): key is keyof typeof providers => Object.hasOwn(providers, key);

/**
 * The worker's accounts: those `ACCOUNTS` lists, or one per registrar named like it (the worker
 * then serves those whose credentials are set; `npm start` simulates the others). An entry the
 * worker would refuse (an unknown registrar, a bad list) is left to `checkLocalConfig` to name.
 */
export function workerAccounts(env: Vars): StackAccount[] {
  const listed = isSet(env, 'ACCOUNTS') ? accountListSchema.safeParse(env.ACCOUNTS) : undefined;
  const entries = listed?.success
    ? listed.data
    : Object.keys(providers).map((key) => ({ name: key, provider: key }));
  return entries.flatMap(({ name, provider }) =>
    isProvider(provider) ? [{ name, provider, config: providers[provider].config }] : [],
  );
}

/** The variables that make an account configured, under its own prefix. */
function requiredOf(account: StackAccount): readonly string[] {
  return account.config?.withPrefix(accountPrefix(account.name)).required ?? [];
}

/** Accounts whose credentials are all set: not simulated, the worker talks to what they name. */
export function realAccounts(env: Vars): Set<string> {
  return new Set(
    workerAccounts(env)
      .filter((account) => requiredOf(account).every((name) => isSet(env, name)))
      .map((account) => account.name),
  );
}

/**
 * Every variable the worker reads ("worker" or "both") that is set: passed through as it is —
 * the declared ones, and each listed account's under its own prefix (`DYNADOT_BULK_API_KEY`).
 */
export function workerVarsFrom(env: Vars): Record<string, string> {
  const names = [
    ...CONFIG_VARS.filter((v) => v.for === 'worker' || v.for === 'both').map((v) => v.name),
    ...workerAccounts(env).flatMap(
      (account) => account.config?.withPrefix(accountPrefix(account.name)).prefixedNames() ?? [],
    ),
  ];
  return Object.fromEntries(names.filter((name) => isSet(env, name)).map((name) => [name, env[name]!]));
}

/** Stand-in values the pre-check tries, in order, for a simulated account's credentials. */
const STAND_INS = ['simulated-by-npm-start-0000', 'http://127.0.0.1'];

/**
 * For the check before anything starts: a value the declaration accepts for each credential of
 * a listed account that `npm start` will simulate (none of its credentials set), so that the
 * worker's rules see the account configured as it will be once its simulator runs.
 */
function simulatedStandIns(worker: Vars): Record<string, string> {
  if (!isSet(worker, 'ACCOUNTS')) return {};
  const standIns: Record<string, string> = {};
  for (const account of workerAccounts(worker)) {
    const own = account.config?.withPrefix(accountPrefix(account.name));
    if (!own || own.required.some((name) => isSet(worker, name))) continue;
    for (const [suffix, spec] of Object.entries(own.vars)) {
      if (!spec.required) continue;
      const value = STAND_INS.find((candidate) => spec.schema.safeParse(candidate).success);
      if (value !== undefined) standIns[own.nameOf(suffix)] = value;
    }
  }
  return standIns;
}

/** The variables `npm start` itself reads (PORT, LOCAL_STATE_DIR, LOCAL_ALLOWLIST), by their declarations. */
const START_VARS = Object.fromEntries(Object.entries(SCRIPT_VARS).filter(([, spec]) => spec.for === 'start'));

/**
 * `LOCAL_ALLOWLIST=1`: the simulators answer one client address and the local bridge's relay
 * sends from it. An unreadable value counts as off here; `checkLocalConfig` names it.
 */
export function localAllowList(env: Vars): boolean {
  const parsed = SCRIPT_VARS.LOCAL_ALLOWLIST.schema.safeParse(env.LOCAL_ALLOWLIST || undefined);
  return parsed.success && parsed.data;
}

/**
 * The relay's source address under `LOCAL_ALLOWLIST=1`, and the one client address the HTTP
 * simulators then serve: any of 127.0.0.0/8 is the machine itself on Linux, and a call that
 * leaves from the default 127.0.0.1 (one that bypassed the relay) is turned away.
 */
export const LOCAL_RELAY_ADDRESS = '127.0.0.2';

/** `<PREFIX>_VIA_BRIDGE=true` for each of these accounts, named by its registrar's declaration. */
export function relayRouteVars(accounts: readonly StackAccount[]): Record<string, string> {
  return Object.fromEntries(
    accounts.flatMap((account) => {
      const own = account.config?.withPrefix(accountPrefix(account.name));
      return own && VIA_BRIDGE in own.vars ? [[own.nameOf(VIA_BRIDGE), 'true']] : [];
    }),
  );
}

/**
 * Throws ConfigError naming every problem of this environment for `npm start` (never a value):
 * the worker's rules, the bridge's rules, and the one contradiction only a local run can have.
 */
export function checkLocalConfig(env: Vars): void {
  const problems: string[] = [];
  const start = parseVars(START_VARS, presentVars(env));
  if (!start.ok) problems.push(...start.problems);

  const external = isSet(env, 'BRIDGE_URL');
  const worker = workerVarsFrom(env);
  // Without BRIDGE_URL the local bridge runs and hands the worker its own URL and BRIDGE_SECRET
  // (checked by the bridge's rules below), so the secret alone is no half-configured 35.com.
  if (!external) delete worker.BRIDGE_SECRET;
  try {
    loadConfig({ ...worker, ...simulatedStandIns(worker) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }

  if (external && localAllowList(env))
    problems.push(
      'LOCAL_ALLOWLIST=1 relays through the local bridge, but BRIDGE_URL sends the worker to a bridge elsewhere: unset one or the other',
    );
  if (external) {
    const bridgeOnly = CONFIG_VARS.filter((v) => v.for === 'bridge' && isSet(env, v.name)).map((v) => v.name);
    if (bridgeOnly.length > 0)
      problems.push(
        `${bridgeOnly.join(', ')} configure the local bridge, but BRIDGE_URL sends the worker to a bridge elsewhere: unset one or the other`,
      );
  } else {
    try {
      parseBridgeEnv(withBridgeAccounts(env));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  // LOG_LEVEL is read by both and would be named twice.
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
}
