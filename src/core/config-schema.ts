/** zod pieces shared by the config of the worker, each provider and the bridge. */
import { z } from 'zod';

/** A base URL is an origin only (scheme, host, port): each client appends its API's own path. */
export const originUrl = z
  .string()
  .trim()
  .url()
  .transform((value, ctx) => {
    const url = new URL(value);
    if (url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must be an origin only (scheme, host and port; no path)' });
      return z.NEVER;
    }
    return url.origin;
  });

export const secret = z.string().min(1, 'must not be empty');

/** The items of a rotation list: several secrets in one variable, separated by whitespace or commas. */
export function splitSecretList(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s.length > 0);
}

/** A variable holding one secret, or several during a rotation; each at least 16 characters. */
export const secretList = z
  .string()
  .transform(splitSecretList)
  .pipe(z.array(z.string().min(16, 'each secret must be at least 16 characters')).min(1));

/** A `true`/`false` env var, default false: anything else is a problem, never a silent false. */
export const flagFromEnv = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true');

/** An integer env var with a default: `"1500"` → 1500. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The variables that are set: strings only, and an empty one counts as unset (an `.env` line
 * `NAME=` or a cleared dashboard field means "not configured", never "configured as empty").
 */
export function presentVars(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw))
    if (typeof value === 'string' && value !== '') out[name] = value;
  return out;
}

/**
 * A schema's issues as problems, each named by its variable only (`BRIDGE_SECRET.1` would name an
 * item of a rotation list, not a variable): one wording wherever configuration is read.
 */
export function configProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${String(issue.path[0] ?? '(configuration)')}: ${issue.message}`);
}

/**
 * A configuration problem found at start-up: each problem names its variable and the rule it
 * breaks, never a value (values may be secrets).
 */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`configuration error: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Variables that only work together: a registrar's credentials, the bot's token and secret, … */
export interface SettingGroup {
  /** What the group configures, as the problem names it ("Dynadot", "the Telegram bot"). */
  what: string;
  /** Every variable the group needs. */
  needs: readonly string[];
  /** Variables that mean nothing without the group (a callback URL without its secret): they start it too. */
  alsoStartedBy?: readonly string[];
}

/**
 * The problem with a group that is half set, naming every missing variable; undefined when the
 * group is complete or not started at all (then it is simply not configured).
 */
export function incompleteGroup(
  group: SettingGroup,
  vars: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const started = [...group.needs, ...(group.alsoStartedBy ?? [])].some((name) => vars[name] !== undefined);
  const missing = group.needs.filter((name) => vars[name] === undefined);
  if (!started || missing.length === 0) return undefined;
  return `${group.what} is partially configured; missing ${missing.join(', ')}`;
}
