import { z } from 'zod';
import { originUrl, secret } from '../../core/config-schema';
import { defineProvider, defineProviderDefinition } from '../define';

const configSchema = z.object({
  ALIBABA_ACCESS_KEY_ID: secret,
  ALIBABA_ACCESS_KEY_SECRET: secret,
  ALIBABA_ENDPOINT: originUrl.default('https://domain.aliyuncs.com'),
  ALIBABA_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default('2018-01-29'),
});
export type AlibabaConfig = z.infer<typeof configSchema>;

export const alibaba = defineProviderDefinition<AlibabaConfig>({
  key: 'alibaba',
  displayName: 'Alibaba Cloud Domain',
  env: {
    required: ['ALIBABA_ACCESS_KEY_ID', 'ALIBABA_ACCESS_KEY_SECRET'],
    optional: ['ALIBABA_ENDPOINT', 'ALIBABA_API_VERSION'],
  },
  parseConfig: (vars) => configSchema.parse(vars),
  gate: () => ({ concurrency: 4 }),
  create: (account) =>
    defineProvider({ key: 'alibaba', account, limits: { availabilityBatch: 1, concurrency: 4 } }, {}),
});
