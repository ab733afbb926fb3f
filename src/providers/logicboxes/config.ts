/** LogicBoxes' variables (`LOGICBOXES_*`), declared once: parsing, the README's table and redaction read them here. */
import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { originUrl, secret } from '../../core/config-schema';
import { declareProviderConfig, VIA_BRIDGE_VAR } from '../provider-config';
import { INVOICE_OPTIONS } from './codec';

const vars = {
  AUTH_USERID: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'LogicBoxes reseller id.',
  },
  API_KEY: {
    schema: secret,
    for: 'worker',
    secret: true,
    required: true,
    description: 'LogicBoxes API key.',
  },
  BASE_URL: {
    schema: originUrl.default('https://httpapi.com'),
    for: 'worker',
    description: 'LogicBoxes origin (`https://test.httpapi.com` for the sandbox).',
  },
  INVOICE_OPTION: {
    schema: z.enum(INVOICE_OPTIONS).default('NoInvoice'),
    for: 'worker',
    description: 'invoice-option of renewals: NoInvoice, PayInvoice, KeepInvoice or OnlyAdd.',
  },
  /** Which price list `getPrices` reads: what we pay (`reseller`) or what customers pay. */
  PRICE_LIST: {
    schema: z.enum(['reseller', 'customer']).default('reseller'),
    for: 'worker',
    description: '`reseller` (what we pay) or `customer` (the customer price list) for prices.',
  },
  VIA_BRIDGE: VIA_BRIDGE_VAR,
} as const;

export const logicboxesConfig = declareProviderConfig({ prefix: 'LOGICBOXES', vars });
export type LogicboxesConfig = ParsedVars<typeof vars>;
