/**
 * `npm run bot:poll`: the same bot, fed by long polling instead of a webhook, for local
 * development where Telegram cannot reach your machine. Updates are fetched with getUpdates here
 * in Node and posted to the local worker's `/telegram/webhook` (with the secret token), so the bot
 * that answers is exactly the deployed code with its D1 state, providers and account gates.
 *
 * Env: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, GATEWAY_URL (default http://127.0.0.1:8787),
 * TELEGRAM_API_ROOT (optional). Start the worker first with `npm start` (with the same
 * TELEGRAM_* variables set).
 */
import { Api } from 'grammy';
import type { Update } from 'grammy/types';

export interface PollOptions {
  api: Api;
  gatewayUrl: string;
  secret: string;
  /** Long-poll timeout in seconds (0 in tests). */
  timeout: number;
}

/** One getUpdates round: forwards each update and returns the next offset. */
export async function pollOnce(opts: PollOptions, offset: number): Promise<number> {
  const updates: Update[] = await opts.api.getUpdates({ offset, timeout: opts.timeout });
  let next = offset;
  for (const update of updates) {
    const res = await fetch(`${opts.gatewayUrl.replace(/\/$/, '')}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': opts.secret },
      body: JSON.stringify(update),
    });
    await res.body?.cancel();
    if (res.status !== 200) console.error(`update ${update.update_id}: the worker answered ${res.status}`);
    next = update.update_id + 1;
  }
  return next;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.TELEGRAM_BOT_TOKEN;
  const secret = process.env.TELEGRAM_WEBHOOK_SECRET;
  if (!token || !secret) {
    console.log(
      'bot:poll needs TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET; without them the bot runs in its tests only.',
    );
    process.exit(0);
  }
  const api = new Api(token, { apiRoot: process.env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org' });
  await api.deleteWebhook(); // getUpdates refuses to run while a webhook is set
  const opts = { api, gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8787', secret, timeout: 30 };
  let stopping = false;
  process.on('SIGINT', () => {
    stopping = true;
  });
  console.log(`polling; forwarding updates to ${opts.gatewayUrl}`);
  let offset = 0;
  while (!stopping) {
    try {
      offset = await pollOnce(opts, offset);
    } catch (error) {
      console.error(`getUpdates failed: ${error instanceof Error ? error.message : error}`);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}
