/** Dynadot's variables (`DYNADOT_*`), declared once: parsing, the README's table and redaction read them here. */
import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { intFromEnv, originUrl, secret } from '../../core/config-schema';
import { declareProviderConfig, VIA_BRIDGE_VAR } from '../provider-config';
import { SEARCH_BATCH_MAX } from './codec';

/** The most threads any Dynadot price level is said to get (super bulk; docs/decisions.md). */
const MAX_THREADS = 35;

const vars = {
  API_KEY: { schema: secret, for: 'worker', secret: true, required: true, description: 'Dynadot API key.' },
  BASE_URL: {
    schema: originUrl.default('https://api.dynadot.com'),
    for: 'worker',
    description: 'Dynadot origin.',
  },
  /** Names per `search`: 100 for bulk/super-bulk accounts, 1 for regular ones (API3 document, `search`). */
  SEARCH_BATCH: {
    schema: intFromEnv(SEARCH_BATCH_MAX, 1, SEARCH_BATCH_MAX),
    for: 'worker',
    description: 'Names per `search` call (set 1 for regular, non-bulk accounts).',
  },
  CURRENCY: {
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/)
      .optional(),
    for: 'worker',
    shownDefault: 'account default',
    description: 'Currency for search prices, TLD prices and the balance shown.',
  },
  TIMEOUT_MS: {
    schema: intFromEnv(30_000, 1_000, 300_000),
    for: 'worker',
    description: 'Per-request timeout.',
  },
  /**
   * Requests of this key in flight at once. The document says one at a time; Dynadot's current
   * command list gives bulk accounts 5 threads and super/premium bulk 25 to 35 (docs/decisions.md).
   */
  CONCURRENCY: {
    schema: intFromEnv(1, 1, MAX_THREADS),
    for: 'worker',
    description:
      'Requests of the key in flight at once, 1–35 (Dynadot gives bulk accounts 5; see decisions).',
  },
  VIA_BRIDGE: VIA_BRIDGE_VAR,
} as const;

export const dynadotConfig = declareProviderConfig({ prefix: 'DYNADOT', vars });
export type DynadotConfig = ParsedVars<typeof vars>;
