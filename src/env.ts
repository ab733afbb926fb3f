/**
 * Bindings and secrets, parsed once per env object into typed config: the one place the worker
 * reads its variables. Each part (accounts, webhooks, the bot, the renewal engine, alerts, prices,
 * the core settings) declares its variables beside the code that uses it; this parses every part
 * the same way and fails the same way: a ConfigError listing every problem by variable name, never
 * a value, on the worker's first request and in `npm start`'s pre-check, before anything runs.
 *
 * A registrar account is configured only when all of its required variables are present; a
 * registrar with some but not all of them is a problem naming every missing one. The same holds
 * for every other group of variables that only works together: the bot's token and webhook secret,
 * a billing source's callback URL and its secret, the alert webhook's URL and its secret.
 */
import { type BotConfig, botSettings } from './bot/config';
import { GATEWAY_VARS, SECRET_VARS } from './config-vars';
import { type AccountEntry, accountPrefix, accountSettings } from './core/account-names';
import {
  type ConfigPart,
  type ParseResult,
  parsePart,
  parseVars,
  type VarSpecs,
} from './core/config-declaration';
import { ConfigError, presentVars, splitSecretList } from './core/config-schema';
import { type AlertConfig, alertSettings, coreSettings, priceSettings } from './core/core-config';
import type { LogLevel } from './core/log';
import type { ExchangeRates } from './core/prices';
import { type RenewalConfig, renewalSettings } from './core/renewals/config';
import { type WebhookConfig, webhookSettings } from './core/webhook-config';
import { type DashboardConfig, dashboardSettings } from './dashboard/config';
import { com35Config } from './providers/com35/config';
import { VIA_BRIDGE } from './providers/provider-config';
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

export { SECRET_VARS } from './config-vars';
export { ConfigError } from './core/config-schema';
export type { AlertConfig } from './core/core-config';
export {
  BILLING_SOURCES,
  type BillingSource,
  type BillingSourceConfig,
  type WebhookConfig,
} from './core/webhook-config';

export interface AccountConfig {
  /** Account name; the default account of each registrar is named by its key. */
  name: string;
  provider: ProviderKey;
  definition: ProviderDefinition<unknown>;
  config: unknown;
  /** Its calls leave through the bridge's fixed-IP relay (`<PREFIX>_VIA_BRIDGE=true`). */
  viaBridge: boolean;
}

/** Where relayed calls go: the bridge (the same URL and secret the 35.com client uses). */
export interface RelayConfig {
  url: string;
  /** Requests are signed with the first secret of a rotation, as 35.com commands are. */
  secret: string;
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
  /** Billing webhook sources: only configured ones (a secret is set) are served. */
  webhooks: WebhookConfig;
  /** The Telegram bot; null when it is not configured (`/telegram/webhook` answers 404). */
  bot: BotConfig | null;
  /** The renewal engine's tuning, reminder windows and balance alerts. */
  renewals: RenewalConfig;
  /** The alert webhook, when configured. */
  alerts?: AlertConfig;
  /** Exchange rates for price comparison, when configured. */
  prices?: ExchangeRates;
  /** The bridge's relay, when BRIDGE_URL and BRIDGE_SECRET are set (required by a routed account). */
  relay?: RelayConfig;
  /** The operator dashboard at /app (src/dashboard). */
  dashboard: DashboardConfig;
}

export const VERSION = '0.1.0';

interface ParsedAccounts {
  accounts: AccountConfig[];
  /** Names of the secret variables the accounts read (an account's own key is one). */
  secretNames: string[];
}

/**
 * The registrar accounts. Without `ACCOUNTS`, every registrar whose required variables are set is
 * one account named after it (a half-set registrar is a problem). With `ACCOUNTS`, exactly the
 * accounts it lists, each reading its provider's variables under its own prefix, all required.
 */
function parseAccounts(
  vars: Readonly<Record<string, string>>,
  definitions: Readonly<Record<string, ProviderDefinition<unknown>>>,
  listed: AccountEntry[] | undefined,
  reservedNames: ReadonlySet<string>,
): ParseResult<ParsedAccounts> {
  const problems: string[] = [];
  const accounts: AccountConfig[] = [];
  const secretNames: string[] = [];
  const readers = new Map<string, string>();
  const entries =
    listed ??
    Object.keys(definitions)
      .filter((key) => definitions[key]?.config.required.some((name) => vars[name] !== undefined))
      .map((key) => ({ name: key, provider: key }));
  for (const { name, provider } of entries) {
    const definition = definitions[provider];
    if (!definition) {
      problems.push(
        `ACCOUNTS: account "${name}" names an unknown provider "${provider}" (known: ${Object.keys(definitions).join(', ')})`,
      );
      continue;
    }
    const declaration = definition.config.withPrefix(accountPrefix(name));
    for (const variable of declaration.prefixedNames()) {
      const other = readers.get(variable) ?? (reservedNames.has(variable) ? 'the gateway' : undefined);
      if (other)
        problems.push(
          `ACCOUNTS: account "${name}" would read ${variable}, which ${other} reads: rename the account`,
        );
      readers.set(variable, `account "${name}"`);
    }
    const what = name === provider ? definition.displayName : `account "${name}" (${definition.displayName})`;
    const missing = declaration.required.filter((variable) => vars[variable] === undefined);
    if (missing.length > 0) {
      problems.push(`${what} is ${listed ? 'not' : 'partially'} configured; missing ${missing.join(', ')}`);
      continue;
    }
    const parsed = declaration.parse(vars);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const viaBridge = (parsed.value as Record<string, unknown>)[VIA_BRIDGE] === true;
    accounts.push({ name, provider: provider as ProviderKey, definition, config: parsed.value, viaBridge });
    secretNames.push(
      ...declaration
        .rows()
        .filter((row) => row.secret)
        .map((row) => row.name),
    );
  }
  if (listed) {
    // A registrar's own variables set while ACCOUNTS lists no account that reads them would be
    // ignored without a word: an account dropped from the list must not vanish silently.
    for (const [key, definition] of Object.entries(definitions)) {
      const own = definition.config.prefixedNames();
      const set = definition.config.required.filter(
        (variable) => own.includes(variable) && vars[variable] !== undefined,
      );
      if (set.length > 0 && !listed.some((entry) => accountPrefix(entry.name) === definition.config.prefix))
        problems.push(
          `ACCOUNTS lists no account "${key}", but ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set: add ${key}=${key} to ACCOUNTS or unset ${set.length > 1 ? 'them' : 'it'}`,
        );
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { accounts, secretNames } };
}

/**
 * The relay's bridge: BRIDGE_URL and BRIDGE_SECRET (35.com's variables, fixed names). Read whenever
 * both are set, because the AccountGate sends relayed calls with its own environment's config;
 * required when some account is routed through it, and then missing or invalid ones are a
 * start-up problem naming them and the accounts that need them.
 */
function parseRelay(
  vars: Readonly<Record<string, string>>,
  accounts: readonly AccountConfig[],
): ParseResult<RelayConfig | undefined> {
  const routed = accounts.filter((a) => a.viaBridge);
  const flags = routed.map(
    (a) => `${a.definition.config.withPrefix(accountPrefix(a.name)).nameOf(VIA_BRIDGE)}=true`,
  );
  const needed = [com35Config.nameOf('BRIDGE_URL'), com35Config.nameOf('BRIDGE_SECRET')];
  const missing = needed.filter((name) => vars[name] === undefined);
  if (missing.length > 0) {
    if (routed.length === 0) return { ok: true, value: undefined };
    return {
      ok: false,
      problems: [`${flags.join(', ')} needs ${needed.join(' and ')}; missing ${missing.join(', ')}`],
    };
  }
  const parsed = parseVars(
    { BRIDGE_URL: com35Config.vars.BRIDGE_URL!, BRIDGE_SECRET: com35Config.vars.BRIDGE_SECRET! },
    vars,
  );
  // Unused by any account, a bad value is 35.com's to report (its own declaration), not twice.
  if (!parsed.ok) return routed.length > 0 ? parsed : { ok: true, value: undefined };
  const secrets = parsed.value.BRIDGE_SECRET as string[];
  return { ok: true, value: { url: parsed.value.BRIDGE_URL as string, secret: secrets[0]! } };
}

/** Every secret value that is set. A rotation list holds several in one variable: each is redacted on its own too. */
function secretValues(vars: Readonly<Record<string, string>>, accountSecrets: readonly string[]): string[] {
  return Object.entries(vars)
    .filter(([name]) => SECRET_VARS.has(name) || accountSecrets.includes(name))
    .flatMap(([, value]) => {
      const items = splitSecretList(value);
      return items.length > 1 ? [value, ...items] : [value];
    });
}

export function loadConfig(
  env: Record<string, unknown>,
  definitions: Readonly<Record<string, ProviderDefinition<unknown>>> = providers,
): AppConfig {
  const vars = presentVars(env);
  const problems: string[] = [];
  const part = <V extends VarSpecs, T>(p: ConfigPart<V, T>): T | undefined => collect(parsePart(p, vars));
  const collect = <T>(result: ParseResult<T>): T | undefined => {
    if (result.ok) return result.value;
    problems.push(...result.problems);
    return undefined;
  };
  const core = part(coreSettings);
  const listed = part(accountSettings);
  const parsedAccounts = collect(parseAccounts(vars, definitions, listed, GATEWAY_VARS));
  const accounts = parsedAccounts?.accounts;
  const relay = accounts ? collect(parseRelay(vars, accounts)) : undefined;
  const webhooks = part(webhookSettings);
  const bot = part(botSettings);
  const renewals = part(renewalSettings);
  const alerts = part(alertSettings);
  const prices = part(priceSettings);
  const dashboard = part(dashboardSettings);
  if (problems.length > 0 || !core || !accounts || !webhooks || bot === undefined || !renewals || !dashboard)
    throw new ConfigError(problems);
  return {
    version: VERSION,
    accounts,
    ...core,
    secrets: secretValues(vars, parsedAccounts?.secretNames ?? []),
    webhooks,
    bot,
    renewals,
    alerts,
    prices,
    relay,
    dashboard,
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
