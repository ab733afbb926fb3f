/**
 * A registrar's variables, declared once in its `providers/<x>/config.ts`. Each is declared by
 * its suffix under the registrar's prefix (`API_KEY` under `DYNADOT` is `DYNADOT_API_KEY`), so
 * the name of a variable is made in one place (`nameOf`) and an account with a prefix of its own
 * can later be read by the same declaration. The parsed config is keyed by suffix.
 */

import {
  type ConfigVar,
  configRows,
  orThrow,
  type ParsedVars,
  type ParseResult,
  parseVars,
  type VarSpec,
} from '../core/config-declaration';
import { flagFromEnv } from '../core/config-schema';

export interface ProviderVarSpec extends VarSpec {
  /** All `required` variables set makes the registrar configured; some but not all is an error. */
  required?: boolean;
  /**
   * The variable's name where it is not `<PREFIX>_<suffix>`: 35.com's BRIDGE_URL and BRIDGE_SECRET,
   * which the bridge reads by the same names.
   */
  name?: string;
}

export type ProviderVarSpecs = Record<string, ProviderVarSpec>;

/**
 * `<PREFIX>_VIA_BRIDGE`, declared by every HTTP registrar: the account's calls leave through the
 * bridge's fixed-IP relay (bridge-relay.ts) instead of from Cloudflare's changing addresses, for
 * registrars that only answer allow-listed client IPs. Needs BRIDGE_URL and BRIDGE_SECRET (env.ts).
 */
export const VIA_BRIDGE_VAR = {
  schema: flagFromEnv,
  for: 'worker',
  shownDefault: 'false',
  description:
    "Send the account's calls through the bridge's fixed-IP relay (needs BRIDGE_URL, BRIDGE_SECRET).",
} as const satisfies ProviderVarSpec;

/** The suffix of that variable in a registrar's declaration. */
export const VIA_BRIDGE = 'VIA_BRIDGE';

export interface ProviderConfigDeclaration<Config> {
  prefix: string;
  vars: ProviderVarSpecs;
  /** The variable's name for a suffix. */
  nameOf(suffix: string): string;
  /** Names of the variables whose presence configures the registrar. */
  required: readonly string[];
  /** Every problem of the registrar's variables, or its config. */
  parse(vars: Readonly<Record<string, string | undefined>>): ParseResult<Config>;
  /** Its rows of the configuration table. */
  rows(): ConfigVar[];
  /**
   * The same declaration read under another prefix: an account of this registrar with a name of
   * its own (`dynadot-bulk` reads `DYNADOT_BULK_API_KEY`). Variables with a fixed `name` keep it.
   */
  withPrefix(prefix: string): ProviderConfigDeclaration<Config>;
  /** Names of the variables this declaration reads under its prefix (not the fixed names). */
  prefixedNames(): string[];
}

/**
 * Declares a registrar's variables. `settle` derives what one variable's default depends on
 * another (Alibaba's API version follows the endpoint).
 */
export function declareProviderConfig<const V extends ProviderVarSpecs, Config = ParsedVars<V>>(decl: {
  prefix: string;
  vars: V;
  settle?: (values: ParsedVars<V>) => Config;
}): ProviderConfigDeclaration<Config> {
  const nameOf = (suffix: string) => decl.vars[suffix]?.name ?? `${decl.prefix}_${suffix}`;
  const settle = decl.settle ?? ((values: ParsedVars<V>) => values as unknown as Config);
  return {
    prefix: decl.prefix,
    vars: decl.vars,
    nameOf,
    required: Object.entries(decl.vars)
      .filter(([, spec]) => spec.required)
      .map(([suffix]) => nameOf(suffix)),
    parse(vars) {
      const parsed = parseVars(decl.vars, vars, nameOf);
      return parsed.ok ? { ok: true, value: settle(parsed.value) } : parsed;
    },
    rows: () => configRows(decl.vars, nameOf),
    withPrefix: (prefix) => declareProviderConfig({ ...decl, prefix }),
    prefixedNames: () =>
      Object.entries(decl.vars)
        .filter(([, spec]) => spec.name === undefined)
        .map(([suffix]) => nameOf(suffix)),
  };
}

/** A registrar's config from its variables; throws ConfigError naming every problem. */
export function parseProviderConfig<Config>(
  declaration: ProviderConfigDeclaration<Config>,
  vars: Readonly<Record<string, string | undefined>>,
): Config {
  return orThrow(declaration.parse(vars));
}
