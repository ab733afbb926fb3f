/**
 * `npm run bot:setup`: registers the command menu (English, and Chinese for zh users) with
 * setMyCommands and points Telegram's webhook at the deployed worker, with the secret token.
 *
 * Env: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, PUBLIC_URL (the worker's public origin),
 * TELEGRAM_API_ROOT (optional).
 */
import { Api } from 'grammy';
import { COMMANDS } from '../src/bot/commands';

export interface SetupOptions {
  token: string;
  secret: string;
  publicUrl: string;
  apiRoot?: string;
}

export async function setupBot(opts: SetupOptions): Promise<string> {
  const api = new Api(opts.token, { apiRoot: opts.apiRoot ?? 'https://api.telegram.org' });
  await api.setMyCommands(COMMANDS.en);
  await api.setMyCommands(COMMANDS.zh, { language_code: 'zh' });
  const webhook = `${opts.publicUrl.replace(/\/$/, '')}/telegram/webhook`;
  await api.setWebhook(webhook, {
    secret_token: opts.secret,
    allowed_updates: ['message', 'callback_query'],
  });
  return webhook;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'PUBLIC_URL'].filter(
    (n) => !process.env[n],
  );
  if (missing.length > 0) {
    console.error(`bot:setup needs ${missing.join(', ')}`);
    process.exit(2);
  }
  const webhook = await setupBot({
    token: process.env.TELEGRAM_BOT_TOKEN!,
    secret: process.env.TELEGRAM_WEBHOOK_SECRET!,
    publicUrl: process.env.PUBLIC_URL!,
    apiRoot: process.env.TELEGRAM_API_ROOT,
  });
  console.log(`commands registered (en, zh); webhook set to ${webhook}`);
}
