/**
 * The billing webhooks' variables, declared once: each source's verification secret(s) and
 * callback URL, and how result callbacks are retried. src/env.ts parses them with every other part
 * of the configuration.
 */
import { defineConfigPart } from './config-declaration';
import { intFromEnv, type SettingGroup, secretList } from './config-schema';
import { httpUrl } from './core-config';

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

const secretName = (source: BillingSource) => `WEBHOOK_SECRET_${upper(source)}` as const;
const callbackName = (source: BillingSource) => `WEBHOOK_CALLBACK_URL_${upper(source)}` as const;
const upper = (source: BillingSource) => source.toUpperCase() as Uppercase<BillingSource>;

const sourceSecret = (description: string) =>
  ({ schema: secretList.optional(), for: 'worker', secret: true, description }) as const;
const sourceCallback = (description: string) =>
  ({ schema: httpUrl.optional(), for: 'worker', description }) as const;

const vars = {
  WEBHOOK_SECRET_STANDARD: sourceSecret(
    'Secret(s) of the `standard` source (space/comma separated during rotation); unset → 404.',
  ),
  WEBHOOK_SECRET_STRIPE: sourceSecret('Stripe endpoint secret(s); unset → 404.'),
  WEBHOOK_SECRET_WHMCS: sourceSecret('WHMCS hook secret(s); unset → 404.'),
  WEBHOOK_CALLBACK_URL_STANDARD: sourceCallback(
    'Where the final result of a `standard` renewal is POSTed (signed).',
  ),
  WEBHOOK_CALLBACK_URL_STRIPE: sourceCallback('Callback URL for `stripe` renewals.'),
  WEBHOOK_CALLBACK_URL_WHMCS: sourceCallback('Callback URL for `whmcs` renewals.'),
  WEBHOOK_CALLBACK_MAX_ATTEMPTS: {
    schema: intFromEnv(8, 1, 50),
    for: 'worker',
    description: 'Callback attempts before giving up.',
  },
  WEBHOOK_CALLBACK_RETRY_BASE_SECONDS: {
    schema: intFromEnv(30, 1, 3600),
    for: 'worker',
    description: 'Delay before the second callback attempt; doubles, capped at 1 hour.',
  },
} as const;

/** A billing source's callback URL means nothing without the source's secret (unset → no source). */
const groups: SettingGroup[] = BILLING_SOURCES.map((source) => ({
  what: `the ${source} billing webhook`,
  needs: [secretName(source)],
  alsoStartedBy: [callbackName(source)],
}));

export const webhookSettings = defineConfigPart({
  vars,
  groups,
  build: (v): WebhookConfig => {
    const sources: WebhookConfig['sources'] = {};
    for (const source of BILLING_SOURCES) {
      const secrets = v[secretName(source)];
      if (secrets) sources[source] = { secrets, callbackUrl: v[callbackName(source)] };
    }
    return {
      sources,
      callbackMaxAttempts: v.WEBHOOK_CALLBACK_MAX_ATTEMPTS,
      callbackRetryBaseSeconds: v.WEBHOOK_CALLBACK_RETRY_BASE_SECONDS,
    };
  },
});
