/**
 * The terminal side of `npm run bot:local`: what the bot sent to the fake Bot API, printed as a
 * chat, and what the person types, turned into the Update Telegram would post — a message, or a
 * tap on a button of the latest message that still has buttons (by its number or its label).
 */
import type { AnsweredCall } from '../test/setup/fake-telegram';
import { callbackUpdate, messageUpdate, type TelegramUser } from '../test/setup/telegram-updates';

interface Button {
  text: string;
  data: string;
}

interface InlineKeyboard {
  inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>>;
}

function buttonsOf(markup: unknown): Button[] {
  const parsed = (typeof markup === 'string' ? JSON.parse(markup) : markup) as InlineKeyboard | undefined;
  return (parsed?.inline_keyboard ?? [])
    .flat()
    .filter((b) => b.callback_data !== undefined)
    .map((b) => ({ text: b.text, data: b.callback_data! }));
}

export class Chat {
  /** Buttons by message id; a message edited without buttons loses them, as in Telegram. */
  private readonly keyboards = new Map<number, Button[]>();

  constructor(
    readonly user: TelegramUser,
    readonly language: string,
  ) {}

  /** The lines to print for one Bot API call (none for calls a person would not see). */
  render(call: AnsweredCall): string[] {
    const p = call.payload;
    const id = Number(
      call.method === 'sendMessage' ? (call.result as { message_id: number }).message_id : p.message_id,
    );
    if (call.method === 'sendMessage' || call.method === 'editMessageText') {
      const buttons = buttonsOf(p.reply_markup);
      // Deleted first: a Map keeps a key's first position, and the latest keyboard must come last.
      this.keyboards.delete(id);
      if (buttons.length > 0) this.keyboards.set(id, buttons);
      const who = call.method === 'sendMessage' ? 'bot>' : `bot (edits its message ${id})>`;
      const lines = [`${who} ${String(p.text).replace(/\n/g, '\n     ')}`];
      if (buttons.length > 0) lines.push(`     ${buttons.map((b, i) => `[${i + 1}] ${b.text}`).join('   ')}`);
      return lines;
    }
    if (call.method === 'answerCallbackQuery' && p.text) return [`bot (notice)> ${String(p.text)}`];
    return [];
  }

  /** The Update for what was typed: a tap when it names a button of the latest keyboard. */
  updateFor(typed: string): unknown {
    const latest = [...this.keyboards.entries()].at(-1);
    if (latest) {
      const [messageId, buttons] = latest;
      const byNumber = /^\d+$/.test(typed) ? buttons[Number(typed) - 1] : undefined;
      const button = byNumber ?? buttons.find((b) => b.text.toLowerCase() === typed.toLowerCase());
      if (button) return callbackUpdate(this.user, button.data, messageId, this.user.id, this.language);
    }
    return messageUpdate(this.user, typed, this.language);
  }
}
