/**
 * Worker entry and composition root: the HTTP app (REST API, webhooks, Telegram), the queue
 * consumer, the scheduled handler, the Durable Object classes wrangler.toml binds, and the
 * notification channels the engine tells a finished renewal, a reminder or an alert through.
 */

import { telegramBroadcastChannel, telegramConfirmationChannel } from './bot/notify';
import { TELEGRAM_CHANNEL } from './bot/store';
import { handleQueueBatch } from './core/jobs';
import { alertWebhookChannel, createNotifier } from './core/notifications';
import { runScheduled } from './core/scheduled';
import { BILLING_CHANNEL, billingCallbackChannel } from './core/webhook-callbacks';
import type { Env } from './env';
import { createApp } from './handlers/app';

export { AccountGate } from './core/account-gate';
export { ApiRateLimiter } from './core/rate-limit';

/**
 * Subscriber channels by the name a door's subscriber carries (`billing` for a billing delivery,
 * `telegram` for a bot confirmation); broadcast channels tell everyone who follows.
 */
export const notifier = createNotifier({
  subscribers: { [BILLING_CHANNEL]: billingCallbackChannel, [TELEGRAM_CHANNEL]: telegramConfirmationChannel },
  broadcasts: [alertWebhookChannel, telegramBroadcastChannel],
});

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx, notifier),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx, notifier),
} satisfies ExportedHandler<Env>;
