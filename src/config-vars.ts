/**
 * Every variable the worker and the bridge read, gathered from their declarations (each declared
 * once beside the code that uses it), in the order the README's table lists them. Secret ones are
 * redacted wherever they might appear.
 */
import { botSettings } from './bot/config';
import { accountSettings } from './core/account-names';
import { type ConfigVar, configRows } from './core/config-declaration';
import { alertSettings, coreSettings, priceSettings } from './core/core-config';
import { renewalSettings } from './core/renewals/config';
import { webhookSettings } from './core/webhook-config';
import { dashboardSettings } from './dashboard/config';
import { providers } from './providers/registry';
import { BRIDGE_VARS } from './tcp-bridge/config';

const { com35, ...registrars } = providers;

/** The variables of one feature: what an operator sets together (docs/deploy.md lists secrets by it). */
export interface FeatureVars {
  feature: string;
  vars: readonly ConfigVar[];
}

export const SERVICE_VAR_GROUPS: readonly FeatureVars[] = [
  { feature: 'core', vars: configRows(coreSettings.vars) },
  { feature: 'accounts', vars: configRows(accountSettings.vars) },
  { feature: 'prices', vars: configRows(priceSettings.vars) },
  { feature: 'renewals', vars: configRows(renewalSettings.vars) },
  { feature: 'alerts', vars: configRows(alertSettings.vars) },
  { feature: 'billing webhooks', vars: configRows(webhookSettings.vars) },
  { feature: 'Telegram bot', vars: configRows(botSettings.vars) },
  { feature: 'dashboard', vars: configRows(dashboardSettings.vars) },
  // 35.com's worker side next to the bridge it talks to.
  { feature: com35.displayName, vars: com35.config.rows() },
  { feature: '35.com bridge', vars: configRows(BRIDGE_VARS) },
  ...Object.values(registrars).map((definition) => ({
    feature: definition.displayName,
    vars: definition.config.rows(),
  })),
];

export const SERVICE_VARS: readonly ConfigVar[] = SERVICE_VAR_GROUPS.flatMap((group) => group.vars);

/**
 * Variables whose values are secrets, redacted wherever they might appear: those declared secret,
 * not a guess from their names (`*_USER` was missed).
 */
export const SECRET_VARS: ReadonlySet<string> = new Set(
  SERVICE_VARS.filter((v) => v.secret).map((v) => v.name),
);

/**
 * The variables that are not a registrar account's: an account whose name would make it read one
 * of these (an account named `webhook-secret`) is refused.
 */
export const GATEWAY_VARS: ReadonlySet<string> = new Set(
  SERVICE_VARS.map((v) => v.name).filter(
    (name) =>
      !Object.values(providers).some((definition) => definition.config.prefixedNames().includes(name)),
  ),
);
