/**
 * Bindings and secrets, parsed once per env object into typed config.
 *
 * A registrar account is configured only when all of its required keys are present; a registrar
 * with some but not all of them is a start-up error that lists every missing key by name (never a
 * value). The same holds for every other group of variables that only works together: the bot's
 * token and webhook secret, a billing source's callback URL and its secret, the alert webhook's
 * URL and its secret. Optional keys (base URLs, tuning) fall back to the registrar's real
 * endpoints. `npm start` runs this same function over its environment before starting anything.
 */
import { z } from 'zod';
// The one list of configuration variables (it also generates the README's table): which are secret.
import { CONFIG_VARS } from '../scripts/config-vars';
import { botConfig } from './bot/config';
import {
  ConfigError,
  configProblems,
  incompleteGroup,
  intFromEnv,
  presentVars,
  type SettingGroup,
  secretList,
  splitSecretList,
} from './core/config-schema';
import type { LogLevel } from './core/log';
import { parseExchangeRates } from './core/prices';
import { type ProviderKey, providers } from './providers/registry';
import type { ProviderDefinition } from './providers/types';

/** Worker bindings declared in wrangler.toml plus the string vars and secrets below. */
export interface Env {
  DB: D1Database;
  RENEWALS: Queue;
  ACCOUNT_GATE: DurableObjectNamespace;
  /** Per-API-key request counter (core/rate-limit.ts). */
  API_RATE_LIMITER: DurableObjectNamespace;
  [name: string]: unknown;
}

export { ConfigError } from './core/config-schema';

export interface AccountConfig {
  /** Account name; the default account of each registrar is named by its key. */
  name: string;
  provider: ProviderKey;
  definition: ProviderDefinition<unknown>;
  config: unknown;
}

export interface AppConfig {
  version: string;
  accounts: AccountConfig[];
  adminApiKey?: string;
  logLevel: LogLevel;
  /** Default requests per minute per API key (a key may carry its own). */
  apiRateLimitPerMinute: number;
  /** Every secret value, for log and error redaction. */
  secrets: string[];
  /** The raw string vars, for features that parse their own (webhooks, bot). */
  vars: Readonly<Record<string, string | undefined>>;
  /** Billing webhook sources: only configured ones (a secret is set) are served. */
  webhooks: WebhookConfig;
}

/** Billing systems that may call `POST /webhooks/billing/{source}`. */
export const BILLING_SOURCES = ['standard', 'stripe', 'whmcs'] as const;
export type BillingSource = (typeof BILLING_SOURCES)[number];

export interface BillingSourceConfig {
  /** Verification secrets; several during a rotation. Our callbacks carry a signature per secret. */
  secrets: string[];
  /** Where the result of a renewal this source started is POSTed, signed the Standard Webhooks way. */
  callbackUrl?: string;
}

export interface WebhookConfig {
  sources: Partial<Record<BillingSource, BillingSourceConfig>>;
  /** Attempts of one outbound callback before it is given up (each recorded in D1). */
  callbackMaxAttempts: number;
  /** Delay before the 2nd attempt; doubles per attempt, capped at one hour. */
  callbackRetryBaseSeconds: number;
}

export const VERSION = '0.1.0';

const coreSchema = z.object({
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  API_RATE_LIMIT_PER_MINUTE: intFromEnv(600, 1),
});

const callbackUrl = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

const webhookSchema = z.object({
  WEBHOOK_SECRET_STANDARD: secretList.optional(),
  WEBHOOK_SECRET_STRIPE: secretList.optional(),
  WEBHOOK_SECRET_WHMCS: secretList.optional(),
  WEBHOOK_CALLBACK_URL_STANDARD: callbackUrl.optional(),
  WEBHOOK_CALLBACK_URL_STRIPE: callbackUrl.optional(),
  WEBHOOK_CALLBACK_URL_WHMCS: callbackUrl.optional(),
  WEBHOOK_CALLBACK_MAX_ATTEMPTS: intFromEnv(8, 1, 50),
  WEBHOOK_CALLBACK_RETRY_BASE_SECONDS: intFromEnv(30, 1, 3600),
});

/** A billing source's callback URL means nothing without the source's secret (unset → no source). */
const BILLING_SOURCE_GROUPS: SettingGroup[] = BILLING_SOURCES.map((source) => ({
  what: `the ${source} billing webhook`,
  needs: [`WEBHOOK_SECRET_${source.toUpperCase()}`],
  alsoStartedBy: [`WEBHOOK_CALLBACK_URL_${source.toUpperCase()}`],
}));

/** The alert webhook's secret only signs what is sent to its URL. */
const ALERT_WEBHOOK_GROUP: SettingGroup = {
  what: 'the alert webhook',
  needs: ['ALERT_WEBHOOK_URL'],
  alsoStartedBy: ['ALERT_WEBHOOK_SECRET'],
};

/** Problems of the features that read their own variables later: found now, not on first use. */
function featureProblems(vars: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  for (const group of [...BILLING_SOURCE_GROUPS, ALERT_WEBHOOK_GROUP]) {
    const problem = incompleteGroup(group, vars);
    if (problem) problems.push(problem);
  }
  for (const check of [botConfig, parseExchangeRates]) {
    try {
      check(vars);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  return problems;
}

function webhookConfig(data: z.infer<typeof webhookSchema>): WebhookConfig {
  const sources: WebhookConfig['sources'] = {};
  for (const source of BILLING_SOURCES) {
    const upper = source.toUpperCase() as Uppercase<BillingSource>;
    const secrets = data[`WEBHOOK_SECRET_${upper}`];
    if (secrets) sources[source] = { secrets, callbackUrl: data[`WEBHOOK_CALLBACK_URL_${upper}`] };
  }
  return {
    sources,
    callbackMaxAttempts: data.WEBHOOK_CALLBACK_MAX_ATTEMPTS,
    callbackRetryBaseSeconds: data.WEBHOOK_CALLBACK_RETRY_BASE_SECONDS,
  };
}

/**
 * Variables whose values are secrets, redacted wherever they might appear: those the configuration
 * table marks secret (scripts/config-vars.ts), not a guess from their names (`*_USER` was missed).
 */
export const SECRET_VARS: ReadonlySet<string> = new Set(
  CONFIG_VARS.filter((v) => v.secret).map((v) => v.name),
);

export function loadConfig(
  env: Record<string, unknown>,
  definitions: Readonly<Record<string, ProviderDefinition<unknown>>> = providers,
): AppConfig {
  const vars = presentVars(env);
  const problems: string[] = [];
  const core = coreSchema.safeParse(vars);
  if (!core.success) problems.push(...configProblems(core.error));
  const webhooks = webhookSchema.safeParse(vars);
  if (!webhooks.success) problems.push(...configProblems(webhooks.error));

  problems.push(...featureProblems(vars));

  const accounts: AccountConfig[] = [];
  for (const [key, definition] of Object.entries(definitions)) {
    const incomplete = incompleteGroup(
      { what: definition.displayName, needs: definition.env.required },
      vars,
    );
    if (incomplete) problems.push(incomplete);
    if (definition.env.required.some((name) => vars[name] === undefined)) continue;
    try {
      accounts.push({
        name: key,
        provider: key as ProviderKey,
        definition,
        config: definition.parseConfig(vars),
      });
    } catch (error) {
      if (error instanceof z.ZodError) problems.push(...configProblems(error));
      else throw error;
    }
  }
  if (problems.length > 0 || !core.success || !webhooks.success) throw new ConfigError(problems);

  // A rotation list (WEBHOOK_SECRET_*, BRIDGE_SECRET) holds several secrets in one variable: each
  // one is redacted on its own too.
  const secrets = Object.entries(vars)
    .filter(([name, value]) => SECRET_VARS.has(name) && value !== undefined)
    .flatMap(([, value]) => {
      const items = splitSecretList(value as string);
      return items.length > 1 ? [value as string, ...items] : [value as string];
    });
  const webhookConfigured = webhookConfig(webhooks.data);
  return {
    version: VERSION,
    accounts,
    adminApiKey: core.data.ADMIN_API_KEY,
    logLevel: core.data.LOG_LEVEL,
    apiRateLimitPerMinute: core.data.API_RATE_LIMIT_PER_MINUTE,
    secrets,
    vars,
    webhooks: webhookConfigured,
  };
}

const cache = new WeakMap<object, AppConfig>();

/** Parse once per env object (one per isolate in production). */
export function configFor(env: Env): AppConfig {
  let config = cache.get(env);
  if (!config) {
    config = loadConfig(env);
    cache.set(env, config);
  }
  return config;
}
