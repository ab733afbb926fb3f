import { z } from 'zod';
import { intFromEnv, originUrl, secret } from '../../core/config-schema';
import { defineProvider, defineProviderDefinition } from '../define';

const configSchema = z.object({
  MRDOMAIN_API_USER: secret,
  MRDOMAIN_API_PASSWORD: secret,
  MRDOMAIN_BASE_URL: originUrl.default('https://simple-api.dondominio.net'),
  MRDOMAIN_CHECK_INTERVAL_MS: intFromEnv(1000, 0, 60_000),
});
export type MrdomainConfig = z.infer<typeof configSchema>;

export const mrdomain = defineProviderDefinition<MrdomainConfig>({
  key: 'mrdomain',
  displayName: 'MrDomain / DonDominio',
  env: {
    required: ['MRDOMAIN_API_USER', 'MRDOMAIN_API_PASSWORD'],
    optional: ['MRDOMAIN_BASE_URL', 'MRDOMAIN_CHECK_INTERVAL_MS'],
  },
  parseConfig: (vars) => configSchema.parse(vars),
  gate: () => ({ concurrency: 1 }),
  create: (account) =>
    defineProvider({ key: 'mrdomain', account, limits: { availabilityBatch: 1, concurrency: 1 } }, {}),
});
