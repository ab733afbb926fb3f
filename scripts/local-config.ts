/**
 * What `npm start` makes of its environment, decided before anything starts: which registrars are
 * real (their credentials are set) and which are simulated, what the worker is given, and every
 * problem with it — found by the same code the deployed worker runs (src/env.ts loadConfig) and
 * the same code the bridge runs (src/tcp-bridge/config.ts), so a mistake is named at once instead
 * of after a wait for a worker that cannot answer.
 */

import { withBridgeAccounts } from '../sim/stack';
import { parseVars } from '../src/core/config-declaration';
import { ConfigError, presentVars } from '../src/core/config-schema';
import { loadConfig } from '../src/env';
import { type ProviderKey, providers } from '../src/providers/registry';
import { parseBridgeEnv } from '../src/tcp-bridge/config';
import { CONFIG_VARS, SCRIPT_VARS } from './config-vars';

type Vars = Readonly<Record<string, string | undefined>>;

// An empty variable counts as unset, as everywhere configuration is read (presentVars).
const isSet = (env: Vars, name: string) => env[name] !== undefined && env[name] !== '';

/** Registrars whose credentials are all set: not simulated, the worker talks to what they name. */
export function realRegistrars(env: Vars): Set<ProviderKey> {
  return new Set(
    (Object.keys(providers) as ProviderKey[]).filter((key) =>
      providers[key].config.required.every((name) => isSet(env, name)),
    ),
  );
}

/** Every variable the worker reads ("worker" or "both") that is set: passed through as it is. */
export function workerVarsFrom(env: Vars): Record<string, string> {
  return Object.fromEntries(
    CONFIG_VARS.filter((v) => (v.for === 'worker' || v.for === 'both') && isSet(env, v.name)).map((v) => [
      v.name,
      env[v.name]!,
    ]),
  );
}

/** The variables `npm start` itself reads (PORT, LOCAL_STATE_DIR), by their declarations. */
const START_VARS = Object.fromEntries(Object.entries(SCRIPT_VARS).filter(([, spec]) => spec.for === 'start'));

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
    loadConfig(worker);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }

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
