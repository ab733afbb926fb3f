/**
 * The registrar accounts the local stack simulates: one independent simulator instance per
 * account (its own port, domains, balance and credentials), whose variables are renamed from the
 * registrar's names to the account's (`dynadot-bulk` reads `DYNADOT_BULK_API_KEY`). 35.com's
 * accounts live on the bridge and are wired by the stack itself (sim/stack.ts).
 */
import { accountPrefix } from '../src/core/account-names';
import type { ProviderConfigDeclaration } from '../src/providers/provider-config';
import { SIMULATORS } from './registry';
import type { RunningSimulator, SimulatorOptions } from './types';

export interface StackAccount {
  /** The account's name, as `ACCOUNTS` lists it. */
  name: string;
  /** Its registrar's key. */
  provider: string;
  /**
   * The registrar's variable declaration, which names the account's variables (`withPrefix`,
   * `nameOf`). The caller hands it over: a simulator shares no code with the provider it plays, so
   * this module names the type only. Needed for an account not named like its registrar.
   */
  config?: ProviderConfigDeclaration<unknown>;
}

/** Without `ACCOUNTS`: one account per registrar, named like it (the worker's own default). */
export function defaultAccounts(): StackAccount[] {
  return Object.keys(SIMULATORS).map((key) => ({ name: key, provider: key }));
}

/**
 * The simulator's variables (the registrar's own names) as the account reads them: each variable
 * under the account's prefix, by the declaration (a variable with a fixed name keeps it).
 */
export function accountVars(account: StackAccount, vars: Record<string, string>): Record<string, string> {
  if (account.name === account.provider) return vars;
  const declaration = account.config;
  if (!declaration)
    throw new Error(`account "${account.name}": its registrar's declaration is needed to name its variables`);
  const own = declaration.withPrefix(accountPrefix(account.name));
  const suffixOf = new Map(
    Object.keys(declaration.vars).map((suffix) => [declaration.nameOf(suffix), suffix]),
  );
  return Object.fromEntries(
    Object.entries(vars).map(([name, value]) => {
      const suffix = suffixOf.get(name);
      if (suffix === undefined) throw new Error(`${name} is not a variable of ${account.provider}`);
      return [own.nameOf(suffix), value];
    }),
  );
}

/** One account's simulator instance, and the variables that point the worker at it. */
export interface SimulatedAccount {
  simulator: RunningSimulator;
  vars: Record<string, string>;
}

/**
 * Starts the simulator instance of an HTTP registrar's account. The default account (named like
 * its registrar) gets the simulator's documented seed; any other its own credentials, domains and
 * balance (sim/shared/instance.ts).
 */
export async function startAccountSimulator(
  account: StackAccount,
  opts: Pick<SimulatorOptions, 'host' | 'latencyMs' | 'allowFrom'>,
): Promise<SimulatedAccount> {
  const start = SIMULATORS[account.provider];
  if (!start) throw new Error(`account "${account.name}": no simulator for registrar "${account.provider}"`);
  const simulator = await start({
    host: opts.host,
    latencyMs: opts.latencyMs,
    allowFrom: opts.allowFrom,
    account: account.name === account.provider ? undefined : account.name,
  });
  try {
    return { simulator, vars: accountVars(account, simulator.env) };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}
