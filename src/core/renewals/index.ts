/**
 * The renewal engine: one module serves the REST API, the billing webhooks and the Telegram bot.
 *
 * - `requestRenewal` records an intent exactly once and queues it (intent.ts).
 * - The RENEWALS queue consumer pre-checks, submits, confirms and reconciles (executor.ts).
 * - The daily cron sends expiry reminders and low-balance alerts (reminders.ts).
 * See docs/renewals.md for the state diagram and the guarantees.
 */
export { RENEWAL_JOB_HANDLERS, sweepRenewals } from './executor';
export {
  checkRenewalAsk,
  expiryDay,
  getRenewal,
  listRenewals,
  requestRenewal,
  resolveRenewal,
} from './intent';
export { runReminders } from './reminders';
export { history as renewalHistory } from './store';
export type {
  EngineContext,
  Renewal,
  RenewalEvent,
  RenewalFilter,
  RenewalJob,
  RenewalRequest,
  RenewalSource,
  RenewalState,
  RenewalSubscriber,
} from './types';
export { FINAL_STATES, RENEWAL_SOURCES, RENEWAL_STATES } from './types';
