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
import { providers } from './providers/registry';
import { BRIDGE_VARS } from './tcp-bridge/config';

const { com35, ...registrars } = providers;

export const SERVICE_VARS: readonly ConfigVar[] = [
  ...configRows(coreSettings.vars),
  ...configRows(accountSettings.vars),
  ...configRows(priceSettings.vars),
  ...configRows(renewalSettings.vars),
  ...configRows(alertSettings.vars),
  ...configRows(webhookSettings.vars),
  ...configRows(botSettings.vars),
  // 35.com's worker side next to the bridge it talks to.
  ...com35.config.rows(),
  ...configRows(BRIDGE_VARS),
  ...Object.values(registrars).flatMap((definition) => definition.config.rows()),
];

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
