/** Real Telegram Update JSON posted to the worker's webhook, and the fake Bot API's record. */
import { env, SELF } from 'cloudflare:test';
import type { TelegramCall } from '../setup/fake-telegram';
import { callbackUpdate, messageUpdate, type TelegramUser } from '../setup/telegram-updates';

export { callbackUpdate, messageUpdate };

export const OPERATOR = { id: 1001, first_name: 'Olga', username: 'olga' };
export const VIEWER = { id: 1002, first_name: 'Wei', username: 'wei' };
export const STRANGER = { id: 4242, first_name: 'Mallory' };

type User = TelegramUser;

export async function postUpdate(
  update: unknown,
  secret = env.TELEGRAM_WEBHOOK_SECRET as string,
): Promise<Response> {
  return SELF.fetch('http://gateway.test/telegram/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}

export async function telegramCalls(method?: string): Promise<TelegramCall[]> {
  const res = await fetch(`${env.TELEGRAM_API_ROOT}/__calls`);
  const calls = (await res.json()) as TelegramCall[];
  return method ? calls.filter((c) => c.method === method) : calls;
}

export async function clearTelegramCalls(): Promise<void> {
  await fetch(`${env.TELEGRAM_API_ROOT}/__calls`, { method: 'DELETE' });
}

/** Texts the bot sent (sendMessage) or edited (editMessageText), in order. */
export async function botTexts(): Promise<string[]> {
  return (await telegramCalls())
    .filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')
    .map((c) => String(c.payload.text));
}

/** Send a message and return what the bot answered to it. */
export async function say(from: User, text: string, language = 'en'): Promise<string[]> {
  await clearTelegramCalls();
  const res = await postUpdate(messageUpdate(from, text, language));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  return botTexts();
}

export const OTHER_OPERATOR = { id: 1003, first_name: 'Oscar', username: 'oscar' };

/** The Confirm / Cancel callback data of the last summary the bot sent, and that message's id. */
export async function lastKeyboard(): Promise<{
  confirm: string;
  cancel: string;
  token: string;
  messageId: number;
}> {
  const last = (await telegramCalls('sendMessage')).filter((c) => c.payload.reply_markup).at(-1);
  if (!last) throw new Error('the bot sent no message with buttons');
  const [confirm, cancel] = buttonsOf(last).map((b) => b.callback_data) as [string, string];
  const token = confirm.split(':')[2]!;
  const row = await env.DB.prepare('SELECT message_id FROM bot_confirmations WHERE token = ?')
    .bind(token)
    .first<{ message_id: number }>();
  return { confirm, cancel, token, messageId: row!.message_id };
}

/** The buttons of the last message the bot sent or edited with a keyboard, in order. */
export async function lastButtons(): Promise<Array<{ text: string; callback_data: string }>> {
  const last = (await telegramCalls())
    .filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && c.payload.reply_markup)
    .at(-1);
  if (!last) throw new Error('the bot sent no message with buttons');
  return buttonsOf(last);
}

function buttonsOf(call: TelegramCall): Array<{ text: string; callback_data: string }> {
  const markup = (
    typeof call.payload.reply_markup === 'string'
      ? JSON.parse(call.payload.reply_markup)
      : call.payload.reply_markup
  ) as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
  return markup.inline_keyboard.flat();
}
