/**
 * The deployment's variables, held to the worker's own rules (`loadConfig`: every half-configured
 * feature, every value that does not parse) and to what production needs beyond them: a way in
 * (the bootstrap admin key), at least one registrar account, no secret in wrangler.toml's plain
 * `[vars]`, and each account routed through the bridge's relay to an origin the bridge allows.
 */
import { SECRET_VARS } from '../../src/config-vars';
import { accountPrefix } from '../../src/core/account-names';
import { splitSecretList } from '../../src/core/config-schema';
import { type AccountConfig, type AppConfig, ConfigError, loadConfig } from '../../src/env';

export interface Findings {
  problems: string[];
  notices: string[];
}

/** `BRIDGE_ALLOWED_ORIGINS`: the relay's comma list of exact origins (declared by the relay). */
const ALLOWED_ORIGINS_VAR = 'BRIDGE_ALLOWED_ORIGINS';

/** The variable that routes an account's calls through the bridge (`LOGICBOXES_VIA_BRIDGE`). */
export function viaBridgeVar(account: string): string {
  return `${accountPrefix(account)}_VIA_BRIDGE`;
}

/**
 * The origins an account calls: the values of its provider's non-secret URL variables (a base URL,
 * Alibaba's endpoint). Variables with a fixed name (35.com's BRIDGE_URL) are the bridge itself.
 */
export function accountOrigins(account: AccountConfig): string[] {
  const declaration = account.definition.config;
  const values = account.config as Record<string, unknown>;
  const origins = new Set<string>();
  for (const [suffix, spec] of Object.entries(declaration.vars)) {
    const value = values[suffix];
    if (spec.secret || spec.name !== undefined || typeof value !== 'string') continue;
    if (/^https?:\/\//.test(value)) origins.add(new URL(value).origin);
  }
  return [...origins];
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text.trim()).origin;
  } catch {
    return undefined;
  }
}

function relayProblems(config: AppConfig, vars: Readonly<Record<string, string>>): Findings {
  const findings: Findings = { problems: [], notices: [] };
  const routed = config.accounts.filter((account) => vars[viaBridgeVar(account.name)] === 'true');
  if (routed.length === 0) return findings;
  if (!vars.BRIDGE_URL)
    findings.problems.push(
      `BRIDGE_URL: not set, but ${routed.map((a) => viaBridgeVar(a.name)).join(', ')} route calls through the bridge`,
    );
  const allowedList = vars[ALLOWED_ORIGINS_VAR];
  if (allowedList === undefined) {
    findings.notices.push(
      `${ALLOWED_ORIGINS_VAR} is not in this environment: the relay's origins were not checked (pass the bridge's env file with --env-file)`,
    );
    return findings;
  }
  const allowed = new Set(allowedList.split(',').map(originOf));
  for (const account of routed) {
    for (const origin of accountOrigins(account)) {
      if (!allowed.has(origin))
        findings.problems.push(
          `${viaBridgeVar(account.name)}: account "${account.name}" calls ${origin}, which is not in the bridge's ${ALLOWED_ORIGINS_VAR}`,
        );
    }
  }
  return findings;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

export function deploymentProblems(
  vars: Readonly<Record<string, string>>,
  plainVarNames: readonly string[],
): Findings {
  const findings: Findings = { problems: [], notices: [] };
  const { problems } = findings;
  for (const name of plainVarNames) {
    if (SECRET_VARS.has(name))
      problems.push(
        `${name}: a secret in wrangler.toml's [vars] (plain text in the repository); remove it there and use \`wrangler secret put ${name}\``,
      );
  }
  let config: AppConfig;
  try {
    config = loadConfig(vars);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The worker's own rules; each problem names its variable, never a value.
    problems.push(...error.problems);
    return findings;
  }
  if (!config.adminApiKey)
    problems.push(
      'ADMIN_API_KEY: not set; the first API key is made with it (docs/deploy.md, "First API key")',
    );
  if (config.accounts.length === 0)
    problems.push('no registrar account is configured: set the credentials of at least one registrar');
  const bridgeUrl = vars.BRIDGE_URL;
  if (bridgeUrl && !bridgeUrl.startsWith('https://') && !isLoopback(bridgeUrl))
    problems.push(
      'BRIDGE_URL: not https; the bridge must be reached through TLS (Caddy in front of it, docs/deploy.md)',
    );
  if (vars.BRIDGE_SECRET && splitSecretList(vars.BRIDGE_SECRET).length > 1)
    findings.notices.push(
      'BRIDGE_SECRET holds two secrets: a rotation is in progress (the worker signs with the first)',
    );
  const relay = relayProblems(config, vars);
  problems.push(...relay.problems);
  findings.notices.push(...relay.notices);
  return findings;
}
