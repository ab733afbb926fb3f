/** MrDomain's variables (`MRDOMAIN_*`), declared once: parsing, the README's table and redaction read them here. */

import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { intFromEnv, originUrl, secret } from '../../core/config-schema';
import { declareProviderConfig, VIA_BRIDGE_VAR } from '../provider-config';

const vars = {
  API_USER: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'MrDomain API user.',
  },
  API_PASSWORD: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'MrDomain API password.',
  },
  BASE_URL: {
    schema: originUrl.default('https://simple-api.dondominio.net'),
    for: 'worker',
    description: 'MrDomain origin.',
  },
  CHECK_INTERVAL_MS: {
    schema: intFromEnv(1000, 0, 60_000),
    for: 'worker',
    description: 'Minimum spacing of `domain/check` calls (no mass checks).',
  },
  SSL_ADMIN_CONTACT_ID: {
    schema: z.string().trim().min(1).optional(),
    for: 'worker',
    description:
      'MrDomain contact id (e.g. `XXX-12312`) sent as `adminContactID` with `ssl/renew` when the request names none.',
  },
  VIA_BRIDGE: VIA_BRIDGE_VAR,
} as const;

export const mrdomainConfig = declareProviderConfig({ prefix: 'MRDOMAIN', vars });
export type MrdomainConfig = ParsedVars<typeof vars>;
