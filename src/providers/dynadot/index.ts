import { z } from 'zod';
import { originUrl, secret } from '../../core/config-schema';
import { defineProvider, defineProviderDefinition } from '../define';

const configSchema = z.object({
  DYNADOT_API_KEY: secret,
  DYNADOT_BASE_URL: originUrl.default('https://api.dynadot.com'),
});
export type DynadotConfig = z.infer<typeof configSchema>;

export const dynadot = defineProviderDefinition<DynadotConfig>({
  key: 'dynadot',
  displayName: 'Dynadot',
  env: { required: ['DYNADOT_API_KEY'], optional: ['DYNADOT_BASE_URL'] },
  parseConfig: (vars) => configSchema.parse(vars),
  // One request at a time per key (seed: concurrent requests are refused).
  gate: () => ({ concurrency: 1 }),
  create: (account) =>
    defineProvider({ key: 'dynadot', account, limits: { availabilityBatch: 100, concurrency: 1 } }, {}),
});
