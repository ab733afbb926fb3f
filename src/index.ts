/**
 * Worker entry: the HTTP app (REST API, webhooks, Telegram), the queue consumer, the scheduled
 * handler, and the Durable Object classes wrangler.toml binds.
 */

import { handleQueueBatch } from './core/jobs';
import { runScheduled } from './core/scheduled';
import type { Env } from './env';
import { createApp } from './handlers/app';

export { AccountGate } from './core/account-gate';
export { ApiRateLimiter } from './core/rate-limit';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env>;
