/**
 * `npm run bot:poll`: the same bot, fed by long polling instead of a webhook, for local
 * development where Telegram cannot reach your machine. Updates are fetched with getUpdates here
 * in Node and posted to the local worker's `/telegram/webhook` (with the secret token), so the bot
 * that answers is exactly the deployed code with its D1 state, providers and account gates.
 *
 * Env: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, GATEWAY_URL (default http://127.0.0.1:8787),
 * TELEGRAM_API_ROOT (optional). Start the worker first with `npm start` (with the same
 * TELEGRAM_* variables set). Without Telegram at all, `npm run bot:local` (bot-local.ts).
 *
 * Long polling: each getUpdates waits up to 30 s on Telegram's side for an update. A server that
 * answers at once with nothing (a proxy, a fake) or with an error gets a short, growing pause
 * instead of a tight loop of calls.
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

/** Posts one update to the worker's webhook as Telegram would; returns the worker's status. */
export async function forwardUpdate(gatewayUrl: string, secret: string, update: unknown): Promise<number> {
  const res = await fetch(`${gatewayUrl.replace(/\/$/, '')}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  await res.body?.cancel();
  return res.status;
}

/** One getUpdates round: forwards each update and returns the next offset. */
export async function pollOnce(opts: PollOptions, offset: number): Promise<number> {
  const updates: Update[] = await opts.api.getUpdates({ offset, timeout: opts.timeout });
  let next = offset;
  for (const update of updates) {
    const status = await forwardUpdate(opts.gatewayUrl, opts.secret, update);
    if (status !== 200) console.error(`update ${update.update_id}: the worker answered ${status}`);
    next = update.update_id + 1;
  }
  return next;
}

/** An empty answer faster than this did not long-poll: the server answered at once. */
const IMMEDIATE_ANSWER_MS = 1_000;
const EMPTY_PAUSE = { first: 500, max: 5_000 };
const ERROR_PAUSE = { first: 1_000, max: 30_000 };

export type PollOutcome = { kind: 'updates' } | { kind: 'empty'; answeredInMs: number } | { kind: 'error' };

/** The pause before the next getUpdates: none while updates flow or a long poll ran its course. */
export function pauseAfter(outcome: PollOutcome, previousPauseMs: number): number {
  const grow = (limits: { first: number; max: number }) =>
    previousPauseMs > 0 ? Math.min(previousPauseMs * 2, limits.max) : limits.first;
  if (outcome.kind === 'error') return grow(ERROR_PAUSE);
  if (outcome.kind === 'empty' && outcome.answeredInMs < IMMEDIATE_ANSWER_MS) return grow(EMPTY_PAUSE);
  return 0;
}

export interface LoopDeps {
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Checked before each round: true ends the loop. */
  stopped(): boolean;
  log(line: string): void;
}

/** getUpdates until stopped, pausing as `pauseAfter` says. */
export async function pollLoop(opts: PollOptions, deps: LoopDeps): Promise<void> {
  let offset = 0;
  let pause = 0;
  while (!deps.stopped()) {
    const started = deps.now();
    let outcome: PollOutcome;
    try {
      const next = await pollOnce(opts, offset);
      outcome = next === offset ? { kind: 'empty', answeredInMs: deps.now() - started } : { kind: 'updates' };
      offset = next;
    } catch (error) {
      deps.log(`getUpdates failed: ${error instanceof Error ? error.message : error}`);
      outcome = { kind: 'error' };
    }
    pause = pauseAfter(outcome, pause);
    if (pause > 0) await deps.sleep(pause);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.TELEGRAM_BOT_TOKEN;
  const secret = process.env.TELEGRAM_WEBHOOK_SECRET;
  if (!token || !secret) {
    console.log(
      'bot:poll needs TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET; to try the bot without Telegram, run npm run bot:local.',
    );
    process.exit(0);
  }
  const api = new Api(token, { apiRoot: process.env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org' });
  await api.deleteWebhook(); // getUpdates refuses to run while a webhook is set
  const opts = { api, gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8787', secret, timeout: 30 };
  // Nothing to finish: an update is either forwarded or fetched again (the offset is not yet confirmed).
  process.on('SIGINT', () => process.exit(0));
  console.log(`polling; forwarding updates to ${opts.gatewayUrl}`);
  await pollLoop(opts, {
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: Date.now,
    stopped: () => false,
    log: (line) => console.error(line),
  });
}
