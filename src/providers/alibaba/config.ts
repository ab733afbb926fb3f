/** Alibaba's variables (`ALIBABA_*`), declared once: parsing, the README's table and redaction read them here. */
import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { intFromEnv, originUrl, secret } from '../../core/config-schema';
import { declareProviderConfig, VIA_BRIDGE_VAR } from '../provider-config';

export const DEFAULT_ENDPOINT = 'https://domain-intl.aliyuncs.com';

/** The `Version` that belongs to an endpoint when none is configured. */
export function defaultVersionFor(endpoint: string): string {
  return new URL(endpoint).hostname.startsWith('domain-intl.') ? '2017-12-18' : '2018-01-29';
}

const vars = {
  ACCESS_KEY_ID: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'Alibaba Cloud AccessKey id.',
  },
  ACCESS_KEY_SECRET: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'Alibaba Cloud AccessKey secret.',
  },
  ENDPOINT: {
    schema: originUrl.default(DEFAULT_ENDPOINT),
    for: 'worker',
    description: 'Alibaba Cloud Domain endpoint origin.',
  },
  API_VERSION: {
    schema: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    for: 'worker',
    shownDefault: 'by endpoint',
    description: 'RPC `Version`; default `2017-12-18` on `domain-intl.*`, else `2018-01-29` (see decisions).',
  },
  /** Wait between two polls of a task (renewal, DNS, lock). */
  TASK_POLL_INTERVAL_MS: {
    schema: intFromEnv(3_000, 0, 600_000),
    for: 'worker',
    description: 'Wait between polls of a renewal task.',
  },
  /** Polls before `renew` answers `pending` (interval × attempts bounds the wait). */
  TASK_POLL_ATTEMPTS: {
    schema: intFromEnv(20, 1, 1_000),
    for: 'worker',
    description: 'Polls before `renew` answers `pending` and the engine keeps watching the task.',
  },
  VIA_BRIDGE: VIA_BRIDGE_VAR,
} as const;

export type AlibabaConfig = Omit<ParsedVars<typeof vars>, 'API_VERSION'> & { API_VERSION: string };

export const alibabaConfig = declareProviderConfig({
  prefix: 'ALIBABA',
  vars,
  settle: (values): AlibabaConfig => ({
    ...values,
    API_VERSION: values.API_VERSION ?? defaultVersionFor(values.ENDPOINT),
  }),
});
