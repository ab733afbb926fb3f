import { z } from 'zod';
import { originUrl, secret } from '../../core/config-schema';
import { defineProvider, defineProviderDefinition } from '../define';

const configSchema = z.object({
  LOGICBOXES_AUTH_USERID: secret,
  LOGICBOXES_API_KEY: secret,
  LOGICBOXES_BASE_URL: originUrl.default('https://httpapi.com'),
  LOGICBOXES_INVOICE_OPTION: z
    .enum(['NoInvoice', 'PayInvoice', 'KeepInvoice', 'OnlyAdd'])
    .default('NoInvoice'),
});
export type LogicboxesConfig = z.infer<typeof configSchema>;

export const logicboxes = defineProviderDefinition<LogicboxesConfig>({
  key: 'logicboxes',
  displayName: 'ResellerClub / LogicBoxes',
  env: {
    required: ['LOGICBOXES_AUTH_USERID', 'LOGICBOXES_API_KEY'],
    optional: ['LOGICBOXES_BASE_URL', 'LOGICBOXES_INVOICE_OPTION'],
  },
  parseConfig: (vars) => configSchema.parse(vars),
  gate: () => ({ concurrency: 4 }),
  create: (account) =>
    defineProvider({ key: 'logicboxes', account, limits: { availabilityBatch: 20, concurrency: 4 } }, {}),
});
