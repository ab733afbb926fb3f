/**
 * How a configuration variable is declared, once, beside the code that uses it: its zod schema
 * (which carries its default), whether it is secret, who reads it and what it means. Parsing, the
 * README's table, `.dev.vars.example`, `npm start`'s pass-through list and log redaction all come
 * from these declarations, so none of them can drift from the code.
 */
import { z } from 'zod';
import { ConfigError, configProblems, incompleteGroup, type SettingGroup } from './config-schema';

/** Who reads a variable: the worker, the 35.com bridge, both, `npm start` itself, or the bot's CLI scripts. */
export type VarReader = 'worker' | 'bridge' | 'both' | 'start' | 'bot-cli';

export interface VarSpec {
  /** Parses the string value; its `.default(…)` is the default, and the table shows it. */
  schema: z.ZodType;
  for: VarReader;
  secret?: boolean;
  description: string;
  /**
   * The default as the table words it, where it is no single value the schema could carry (the
   * account's currency, a version chosen by the endpoint, a default that lives in the bridge).
   */
  shownDefault?: string;
}

export type VarSpecs = Record<string, VarSpec>;

/** The parsed values of a set of declarations, by declaration key. */
export type ParsedVars<V extends VarSpecs> = { [K in keyof V]: z.output<V[K]['schema']> };

/** One row of the configuration table: what a variable is, for people and for `npm start`. */
export interface ConfigVar {
  name: string;
  for: VarReader;
  secret: boolean;
  default?: string;
  description: string;
}

/** Identity with a type check, so each declaration keeps its own schema types. */
export function declareVars<const V extends VarSpecs>(vars: V): V {
  return vars;
}

/** The default the table shows: the spec's wording, else the schema's default when it is a plain value. */
export function shownDefault(spec: VarSpec): string | undefined {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  if (!(spec.schema instanceof z.ZodDefault)) return undefined;
  const value: unknown = spec.schema.def.defaultValue;
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The table rows of a set of declarations; `nameOf` turns a key into the variable's name. */
export function configRows(vars: VarSpecs, nameOf: (key: string) => string = (key) => key): ConfigVar[] {
  return Object.entries(vars).map(([key, spec]) => ({
    name: nameOf(key),
    for: spec.for,
    secret: spec.secret === true,
    default: shownDefault(spec),
    description: spec.description,
  }));
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Parses the variables a set of declarations names. Each problem names its variable (through
 * `nameOf`), never a value; every problem is returned, none is thrown.
 */
export function parseVars<V extends VarSpecs>(
  specs: V,
  vars: Readonly<Record<string, string | undefined>>,
  nameOf: (key: string) => string = (key) => key,
): ParseResult<ParsedVars<V>> {
  const shape = Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, spec.schema]));
  const input = Object.fromEntries(Object.keys(specs).map((key) => [key, vars[nameOf(key)]]));
  const parsed = z.object(shape).safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as ParsedVars<V> };
  const problems = configProblems(parsed.error).map((problem) => {
    const key = problem.slice(0, problem.indexOf(':'));
    return Object.hasOwn(specs, key) ? `${nameOf(key)}${problem.slice(key.length)}` : problem;
  });
  return { ok: false, problems };
}

/**
 * One feature's configuration: its variables, the groups of them that only work together, and
 * how the parsed values become the feature's typed config. The worker's loadConfig parses every
 * part the same way (src/env.ts).
 */
export interface ConfigPart<V extends VarSpecs, T> {
  vars: V;
  groups?: readonly SettingGroup[];
  build(values: ParsedVars<V>): T;
}

export function defineConfigPart<const V extends VarSpecs, T>(part: ConfigPart<V, T>): ConfigPart<V, T> {
  return part;
}

/** A part's typed config, or every problem of it: its half-set groups and its invalid variables. */
export function parsePart<V extends VarSpecs, T>(
  part: ConfigPart<V, T>,
  vars: Readonly<Record<string, string | undefined>>,
): ParseResult<T> {
  const problems = (part.groups ?? []).flatMap((group) => incompleteGroup(group, vars) ?? []);
  const parsed = parseVars(part.vars, vars);
  if (!parsed.ok) problems.push(...parsed.problems);
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  return { ok: true, value: part.build(parsed.value) };
}

/** The value of a parse, or its problems thrown as one ConfigError. */
export function orThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new ConfigError(result.problems);
  return result.value;
}
