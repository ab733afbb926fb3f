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
  { name: 'LOG_LEVEL', for: 'both', default: 'info', description: 'debug, info, warn or error.' },
  {
    name: 'API_RATE_LIMIT_PER_MINUTE',
    for: 'worker',
    default: '600',
    description: 'Requests per minute per API key.',
  },
  {
    name: 'PRICE_RATES',
    for: 'worker',
    description:
      'Exchange rates for price comparison, e.g. `CNY=0.138,EUR=1.08` (one unit in the base currency).',
  },
  {
    name: 'PRICE_BASE_CURRENCY',
    for: 'worker',
    default: 'USD',
    description: 'Base currency of `PRICE_RATES`.',
  },
  // Renewal engine, reminders and alerts
  {
    name: 'RENEWAL_RECONCILE_DELAYS',
    for: 'worker',
    default: '10,30,120,600,1800,3600',
    description: 'Seconds between reconciliation checks after a lost reply; the last value repeats.',
  },
  {
    name: 'RENEWAL_MAX_CHECKS',
    for: 'worker',
    default: '12',
    description: 'Checks before `needs_attention`.',
  },
  {
    name: 'RENEWAL_UNCHANGED_READS',
    for: 'worker',
    default: '3',
    description: 'Unchanged expiry reads before deciding a lost submission did not happen.',
  },
  {
    name: 'RENEWAL_DECIDE_AFTER_SECONDS',
    for: 'worker',
    default: '300',
    description: 'Minimum time after a lost submission before that decision.',
  },
  {
    name: 'RENEWAL_MAX_SUBMISSIONS',
    for: 'worker',
    default: '3',
    description: 'Renew calls per intent at most.',
  },
  {
    name: 'RENEWAL_MAX_PRECHECK_ATTEMPTS',
    for: 'worker',
    default: '5',
    description: 'Pre-check rounds that may fail on transport before `failed`.',
  },
  {
    name: 'RENEWAL_LEASE_SECONDS',
    for: 'worker',
    default: '180',
    description: 'How long a worker owns a `submitting` row.',
  },
  {
    name: 'RENEWAL_SWEEP_AFTER_SECONDS',
    for: 'worker',
    default: '300',
    description: 'Age after which the hourly sweep re-drives a renewal whose queue message was lost.',
  },
  {
    name: 'RENEWAL_COOLDOWN_HOURS',
    for: 'worker',
    default: '24',
    description:
      'After a confirmed renewal of a domain, a request without `expectedExpiry` is refused (409 `recently_renewed`) for this long unless it says `force`; 0 turns it off.',
  },
  {
    name: 'REMINDER_WINDOWS_DAYS',
    for: 'worker',
    default: '30,7,1',
    description: 'Expiry reminder windows (days).',
  },
  {
    name: 'RENEWAL_FORECAST_DAYS',
    for: 'worker',
    default: '30',
    description: 'Days of upcoming renewals a balance must cover before a low-balance alert.',
  },
  {
    name: 'LOW_BALANCE_THRESHOLDS',
    for: 'worker',
    description: 'Low-balance thresholds per currency, e.g. `USD=50,CNY=300`.',
  },
  {
    name: 'ALERT_WEBHOOK_URL',
    for: 'worker',
    description: 'Optional outbound webhook for reminders, alerts and results.',
  },
  {
    name: 'ALERT_WEBHOOK_SECRET',
    for: 'worker',
    secret: true,
    description: '`whsec_…` secret signing the alert webhook (Standard Webhooks).',
  },
  // Billing webhooks
  {
    name: 'WEBHOOK_SECRET_STANDARD',
    for: 'worker',
    secret: true,
    description: 'Secret(s) of the `standard` source (space/comma separated during rotation); unset → 404.',
  },
  {
    name: 'WEBHOOK_SECRET_STRIPE',
    for: 'worker',
    secret: true,
    description: 'Stripe endpoint secret(s); unset → 404.',
  },
  {
    name: 'WEBHOOK_SECRET_WHMCS',
    for: 'worker',
    secret: true,
    description: 'WHMCS hook secret(s); unset → 404.',
  },
  {
    name: 'WEBHOOK_CALLBACK_URL_STANDARD',
    for: 'worker',
    description: 'Where the final result of a `standard` renewal is POSTed (signed).',
  },
  { name: 'WEBHOOK_CALLBACK_URL_STRIPE', for: 'worker', description: 'Callback URL for `stripe` renewals.' },
  { name: 'WEBHOOK_CALLBACK_URL_WHMCS', for: 'worker', description: 'Callback URL for `whmcs` renewals.' },
  {
    name: 'WEBHOOK_CALLBACK_MAX_ATTEMPTS',
    for: 'worker',
    default: '8',
    description: 'Callback attempts before giving up.',
  },
  {
    name: 'WEBHOOK_CALLBACK_RETRY_BASE_SECONDS',
    for: 'worker',
    default: '30',
    description: 'Delay before the second callback attempt; doubles, capped at 1 hour.',
  },
  // Telegram bot
  { name: 'TELEGRAM_BOT_TOKEN', for: 'worker', secret: true, description: 'Bot token from @BotFather.' },
  {
    name: 'TELEGRAM_WEBHOOK_SECRET',
    for: 'worker',
    secret: true,
    description: 'Secret token Telegram sends with each update (wrong → 401).',
  },
  {
    name: 'TELEGRAM_API_ROOT',
    for: 'worker',
    default: 'https://api.telegram.org',
    description: 'Bot API root (tests point it at a fake).',
  },
  {
    name: 'TELEGRAM_USERS',
    for: 'worker',
    description: 'Allow-list `<user id>:<viewer|operator>`, comma separated; everyone else is refused.',
  },
  {
    name: 'TELEGRAM_BOT_INFO',
    for: 'worker',
    description: 'Optional getMe JSON, so no isolate calls getMe.',
  },
  {
    name: 'TELEGRAM_CONFIRM_TTL_SECONDS',
    for: 'worker',
    default: '300',
    description: 'How long a renewal Confirm button works.',
  },
  {
    name: 'PUBLIC_URL',
    for: 'bot-cli',
    description: 'Public origin of the worker, for `npm run bot:setup`.',
  },
  {
    name: 'GATEWAY_URL',
    for: 'bot-cli',
    default: 'http://127.0.0.1:8787',
    description: 'Local worker for `npm run bot:poll`.',
  },
  {
    name: 'PORT',
    for: 'start',
    default: '8787',
    description: 'Port of the local worker (`npm start`); 0 picks a free one (printed on the `ready` line).',
  },
  {
    name: 'LOCAL_STATE_DIR',
    for: 'start',
    default: '.wrangler/state',
    description: 'Where `npm start` keeps the local D1 and Durable Object state between runs.',
  },
  // 35.com through the bridge
  { name: 'BRIDGE_URL', for: 'worker', description: 'Origin of the 35.com TCP bridge.' },
  {
    name: 'BRIDGE_SECRET',
    for: 'both',
    secret: true,
    description: 'HMAC key of worker and bridge (≥ 16 chars); a rotation: new and old, space separated.',
  },
  {
    name: 'COM35_BRIDGE_TIMEOUT_MS',
    for: 'worker',
    default: '100000',
    description: 'How long the worker waits for the bridge; keep above queue + read timeouts.',
  },
  { name: 'COM35_HOST', for: 'bridge', description: '35.com registrar host.' },
  { name: 'COM35_PORT', for: 'bridge', default: '30008', description: '35.com registrar TCP port.' },
  { name: 'COM35_CLID', for: 'bridge', secret: true, description: '35.com reseller member number.' },
  { name: 'COM35_PASSWORD', for: 'bridge', secret: true, description: '35.com member password.' },
  { name: 'BRIDGE_HOST', for: 'bridge', default: '127.0.0.1', description: 'Address the bridge listens on.' },
  { name: 'BRIDGE_PORT', for: 'bridge', default: '8788', description: 'Port the bridge listens on.' },
  {
    name: 'BRIDGE_MAX_BODY_BYTES',
    for: 'bridge',
    default: '65536',
    description: 'Largest request body; a bigger one is cut with 413 while it streams.',
  },
  {
    name: 'BRIDGE_HEADERS_TIMEOUT_MS',
    for: 'bridge',
    default: '10000',
    description: 'Time a client has to send its request headers, then the connection is closed.',
  },
  {
    name: 'BRIDGE_REQUEST_TIMEOUT_MS',
    for: 'bridge',
    default: '30000',
    description: 'Time a client has to send its whole request (≥ the headers timeout).',
  },
  {
    name: 'BRIDGE_MAX_CONNECTIONS',
    for: 'bridge',
    default: '1024',
    description: 'Open connections at most; further ones are closed at once. Keep above `BRIDGE_QUEUE_MAX`.',
  },
  {
    name: 'BRIDGE_SENT_CLTRIDS_FILE',
    for: 'bridge',
    description: 'File remembering the renewals sent to 35.com (24 h) across restarts; unset = memory only.',
  },
  { name: 'BRIDGE_POOL_SIZE', for: 'bridge', default: '2', description: '35.com sessions kept logged in.' },
  {
    name: 'BRIDGE_QUEUE_MAX',
    for: 'bridge',
    default: '1000',
    description: 'Commands allowed to wait; beyond it, 503.',
  },
  {
    name: 'BRIDGE_QUEUE_TIMEOUT_MS',
    for: 'bridge',
    default: '30000',
    description: 'Longest wait for a free session, then 503 with Retry-After.',
  },
  {
    name: 'COM35_CONNECT_TIMEOUT_MS',
    for: 'bridge',
    default: '10000',
    description: 'Connect + greeting timeout.',
  },
  {
    name: 'COM35_READ_TIMEOUT_MS',
    for: 'bridge',
    default: '60000',
    description: 'Wait per reply; past it the command is `outcome_unknown`.',
  },
  {
    name: 'COM35_MAX_MESSAGE_BYTES',
    for: 'bridge',
    default: '1048576',
    description: 'A larger reply drops the session.',
  },
  {
    name: 'COM35_SESSION_COMMANDS',
    for: 'bridge',
    default: '148',
    description: 'Commands per session before Logout + Login (the server allows 150 with Login/Logout).',
  },
  {
    name: 'COM35_IDLE_POLICY',
    for: 'bridge',
    default: 'keepalive',
    description: '`keepalive` or `close` when idle.',
  },
  {
    name: 'COM35_IDLE_MS',
    for: 'bridge',
    default: '60000',
    description: 'Idle time before keep-alive or Logout; 0 = never.',
  },
  {
    name: 'COM35_RECONNECT_BASE_MS',
    for: 'bridge',
    default: '500',
    description: 'First reconnect backoff (full jitter).',
  },
  {
    name: 'COM35_RECONNECT_MAX_MS',
    for: 'bridge',
    default: '30000',
    description: 'Reconnect backoff ceiling.',
  },
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
  {
    name: 'DYNADOT_CONCURRENCY',
    for: 'worker',
    default: '1',
    description:
      'Requests of the key in flight at once, 1–35 (Dynadot gives bulk accounts 5; see decisions).',
  },
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
