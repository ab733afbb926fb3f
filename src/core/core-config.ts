/**
 * The gateway's own variables, declared once: the admin key, logging, the API's rate limit, the
 * exchange rates of price comparison and the alert webhook. src/env.ts parses them with every
 * other part of the configuration.
 */
import { z } from 'zod';
import { defineConfigPart } from './config-declaration';
import { intFromEnv, secret } from './config-schema';
import type { LogLevel } from './log';
import { normalizeCurrency, toDecimalString } from './money';
import type { ExchangeRates } from './prices';

const logLevel = z.enum(['debug', 'info', 'warn', 'error']);

/** LOG_LEVEL's values; the bridge reads the variable too (src/tcp-bridge/config.ts). */
export const LOG_LEVEL_VAR = {
  schema: logLevel.default('info'),
  for: 'both',
  description: 'debug, info, warn or error.',
} as const;

export const coreSettings = defineConfigPart({
  vars: {
    ADMIN_API_KEY: {
      schema: z.string().min(16, 'must be at least 16 characters').optional(),
      for: 'worker',
      secret: true,
      description: 'Bootstrap admin API key (≥ 16 chars).',
    },
    LOG_LEVEL: LOG_LEVEL_VAR,
    API_RATE_LIMIT_PER_MINUTE: {
      schema: intFromEnv(600, 1),
      for: 'worker',
      description: 'Requests per minute per API key.',
    },
  },
  build: (v): { adminApiKey?: string; logLevel: LogLevel; apiRateLimitPerMinute: number } => ({
    adminApiKey: v.ADMIN_API_KEY,
    logLevel: v.LOG_LEVEL,
    apiRateLimitPerMinute: v.API_RATE_LIMIT_PER_MINUTE,
  }),
});

/** `CNY=0.138,EUR=1.08`: one unit of each currency in the base currency. */
const rateList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const rates = new Map<string, string>();
    for (const part of value.split(',')) {
      const match = /^\s*([A-Za-z]{3})\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'must be a list of CUR=rate (e.g. CNY=0.138,EUR=1.08)' });
        return z.NEVER;
      }
      rates.set(normalizeCurrency(match[1]!), toDecimalString(match[2]));
    }
    return rates;
  });

/** The operator's exchange rates; undefined when none are configured (prices are then not converted). */
export const priceSettings = defineConfigPart({
  vars: {
    PRICE_RATES: {
      schema: rateList.optional(),
      for: 'worker',
      description:
        'Exchange rates for price comparison, e.g. `CNY=0.138,EUR=1.08` (one unit in the base currency).',
    },
    PRICE_BASE_CURRENCY: {
      schema: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
        .transform(normalizeCurrency)
        .default('USD'),
      for: 'worker',
      description: 'Base currency of `PRICE_RATES`.',
    },
  },
  build: (v): ExchangeRates | undefined => {
    if (!v.PRICE_RATES) return undefined;
    return { base: v.PRICE_BASE_CURRENCY, rates: new Map([[v.PRICE_BASE_CURRENCY, '1'], ...v.PRICE_RATES]) };
  },
});

/** Where reminders, alerts and renewal results are POSTed, and the secret that signs them. */
export interface AlertConfig {
  url: string;
  secret?: string;
}

/** An http(s) URL we POST to (a billing callback, the alert webhook). */
export const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

export const alertSettings = defineConfigPart({
  vars: {
    ALERT_WEBHOOK_URL: {
      schema: httpUrl.optional(),
      for: 'worker',
      description: 'Optional outbound webhook for reminders, alerts and results.',
    },
    ALERT_WEBHOOK_SECRET: {
      schema: secret.optional(),
      for: 'worker',
      secret: true,
      description: '`whsec_…` secret signing the alert webhook (Standard Webhooks).',
    },
  },
  // The secret only signs what is sent to the URL.
  groups: [
    { what: 'the alert webhook', needs: ['ALERT_WEBHOOK_URL'], alsoStartedBy: ['ALERT_WEBHOOK_SECRET'] },
  ],
  build: (v): AlertConfig | undefined =>
    v.ALERT_WEBHOOK_URL ? { url: v.ALERT_WEBHOOK_URL, secret: v.ALERT_WEBHOOK_SECRET } : undefined,
});
