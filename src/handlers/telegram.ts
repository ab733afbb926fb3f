/**
 * `POST /telegram/webhook`: Telegram's updates, verified by the secret token header through
 * grammY's own `webhookCallback` (401 on a wrong token). 404 when the bot is not configured.
 */

import { webhookCallback } from 'grammy';
import { Hono } from 'hono';
import { createBot } from '../bot/bot';
import { constantTimeEqual } from '../core/digest';
import { GatewayError, invalidRequest } from '../core/errors';
import { limitBody } from './body-limit';
import type { AppBindings } from './context';

const TELEGRAM_MAX_BODY_BYTES = 1024 * 1024;

export function telegramRoutes() {
  const app = new Hono<AppBindings>();
  // Telegram's updates are a few KiB; anything near this limit is not from Telegram.
  app.post('/telegram/webhook', limitBody(TELEGRAM_MAX_BODY_BYTES), async (c) => {
    const config = c.get('config').bot;
    if (!config) throw new GatewayError('not_found', { message: 'the Telegram bot is not configured' });
    // Checked here too (grammY would answer a bare text/plain 401): every HTTP error of the
    // gateway is problem+json.
    const token = c.req.header('x-telegram-bot-api-secret-token') ?? '';
    if (!constantTimeEqual(token, config.webhookSecret)) {
      throw new GatewayError('authentication', {
        message: 'the Telegram secret token header is missing or wrong',
      });
    }
    // grammY hands any JSON to the bot, and `null` or `[]` made it throw (a 500, found by fuzzing).
    let update: unknown;
    try {
      update = await c.req.raw.clone().json();
    } catch {
      throw invalidRequest('the body is not JSON');
    }
    if (
      !update ||
      typeof update !== 'object' ||
      typeof (update as { update_id?: unknown }).update_id !== 'number'
    ) {
      throw invalidRequest('the body is not a Telegram Update (no numeric update_id)');
    }
    const bot = createBot({ env: c.env, accounts: c.get('accounts'), logger: c.get('logger'), config });
    return webhookCallback(bot, 'hono', {
      secretToken: config.webhookSecret,
      // grammY's default throws after 10 s, which became a 500 (and a redelivery by Telegram)
      // whenever a registrar was slow (found by the secrets campaign with 35.com faults). Answer
      // 200 instead; Telegram itself gives up on a webhook after about a minute.
      onTimeout: 'return',
      timeoutMilliseconds: 50_000,
    })(c);
  });
  return app;
}
