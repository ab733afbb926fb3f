/**
 * Every configuration variable of the product, in one list: `npm start` passes each one that is set
 * in its environment through to the worker and the bridge, and a test checks the README's
 * configuration table names every one of them.
 */
export interface ConfigVar {
  name: string;
  /** Who reads it. */
  for: 'worker' | 'bridge' | 'both' | 'start' | 'bot-cli';
  secret?: boolean;
  default?: string;
  description: string;
}

export const CONFIG_VARS: readonly ConfigVar[] = [
  // Core
  {
    name: 'ADMIN_API_KEY',
    for: 'worker',
    secret: true,
    description: 'Bootstrap admin API key (≥ 16 chars).',
  },
  { name: 'LOG_LEVEL', for: 'worker', default: 'info', description: 'debug, info, warn or error.' },
  {
    name: 'API_RATE_LIMIT_PER_MINUTE',
    for: 'worker',
    default: '600',
    description: 'Requests per minute per API key.',
  },
  { name: 'PORT', for: 'start', default: '8787', description: 'Port of the local worker (`npm start`).' },
  // 35.com through the bridge
  { name: 'BRIDGE_URL', for: 'worker', description: 'Origin of the 35.com TCP bridge.' },
  {
    name: 'BRIDGE_SECRET',
    for: 'both',
    secret: true,
    description: 'HMAC secret shared by worker and bridge.',
  },
  { name: 'COM35_HOST', for: 'bridge', description: '35.com registrar host.' },
  { name: 'COM35_PORT', for: 'bridge', description: '35.com registrar TCP port.' },
  { name: 'COM35_CLID', for: 'bridge', secret: true, description: '35.com client id.' },
  { name: 'COM35_PASSWORD', for: 'bridge', secret: true, description: '35.com password.' },
  { name: 'BRIDGE_PORT', for: 'bridge', default: '8788', description: 'Port the bridge listens on.' },
  // Dynadot
  { name: 'DYNADOT_API_KEY', for: 'worker', secret: true, description: 'Dynadot API key.' },
  {
    name: 'DYNADOT_BASE_URL',
    for: 'worker',
    default: 'https://api.dynadot.com',
    description: 'Dynadot origin.',
  },
  {
    name: 'DYNADOT_SEARCH_BATCH',
    for: 'worker',
    default: '100',
    description: 'Names per `search` call (set 1 for regular, non-bulk accounts).',
  },
  {
    name: 'DYNADOT_CURRENCY',
    for: 'worker',
    default: 'account default',
    description: 'Currency for search prices, TLD prices and the balance shown.',
  },
  { name: 'DYNADOT_TIMEOUT_MS', for: 'worker', default: '30000', description: 'Per-request timeout.' },
  // LogicBoxes
  { name: 'LOGICBOXES_AUTH_USERID', for: 'worker', secret: true, description: 'LogicBoxes reseller id.' },
  { name: 'LOGICBOXES_API_KEY', for: 'worker', secret: true, description: 'LogicBoxes API key.' },
  {
    name: 'LOGICBOXES_BASE_URL',
    for: 'worker',
    default: 'https://httpapi.com',
    description: 'LogicBoxes origin (`https://test.httpapi.com` for the sandbox).',
  },
  {
    name: 'LOGICBOXES_INVOICE_OPTION',
    for: 'worker',
    default: 'NoInvoice',
    description: 'invoice-option of renewals: NoInvoice, PayInvoice, KeepInvoice or OnlyAdd.',
  },
  {
    name: 'LOGICBOXES_PRICE_LIST',
    for: 'worker',
    default: 'reseller',
    description: '`reseller` (what we pay) or `customer` (the customer price list) for prices.',
  },
  // Alibaba
  { name: 'ALIBABA_ACCESS_KEY_ID', for: 'worker', secret: true, description: 'Alibaba Cloud AccessKey id.' },
  {
    name: 'ALIBABA_ACCESS_KEY_SECRET',
    for: 'worker',
    secret: true,
    description: 'Alibaba Cloud AccessKey secret.',
  },
  {
    name: 'ALIBABA_ENDPOINT',
    for: 'worker',
    default: 'https://domain-intl.aliyuncs.com',
    description: 'Alibaba Cloud Domain endpoint origin.',
  },
  {
    name: 'ALIBABA_API_VERSION',
    for: 'worker',
    default: 'by endpoint',
    description: 'RPC `Version`; default `2017-12-18` on `domain-intl.*`, else `2018-01-29` (see decisions).',
  },
  {
    name: 'ALIBABA_TASK_POLL_INTERVAL_MS',
    for: 'worker',
    default: '3000',
    description: 'Wait between polls of a renewal task.',
  },
  {
    name: 'ALIBABA_TASK_POLL_ATTEMPTS',
    for: 'worker',
    default: '20',
    description: 'Polls before `renew` answers `pending` and the engine keeps watching the task.',
  },
  // MrDomain
  { name: 'MRDOMAIN_API_USER', for: 'worker', secret: true, description: 'MrDomain API user.' },
  { name: 'MRDOMAIN_API_PASSWORD', for: 'worker', secret: true, description: 'MrDomain API password.' },
  {
    name: 'MRDOMAIN_BASE_URL',
    for: 'worker',
    default: 'https://simple-api.dondominio.net',
    description: 'MrDomain origin.',
  },
  {
    name: 'MRDOMAIN_CHECK_INTERVAL_MS',
    for: 'worker',
    default: '1000',
    description: 'Minimum spacing of `domain/check` calls (no mass checks).',
  },
];
