/**
 * Telegram Update JSON as Telegram posts it to a webhook: a message (a command gets its
 * `bot_command` entity, as grammY's command matching needs) and a button tap. Used by the bot's
 * worker tests and by `npm run bot:local`.
 */

export interface TelegramUser {
  id: number;
  first_name: string;
  username?: string;
}

let updateId = Math.floor(Math.random() * 1_000_000);
let messageId = 1;

export function messageUpdate(from: TelegramUser, text: string, language = 'en') {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: ++updateId,
    message: {
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: 'private', first_name: from.first_name },
      from: { ...from, is_bot: false, language_code: language },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  };
}

export function callbackUpdate(
  from: TelegramUser,
  data: string,
  onMessage: number,
  chatId = from.id,
  language = 'en',
) {
  return {
    update_id: ++updateId,
    callback_query: {
      id: String(++updateId),
      from: { ...from, is_bot: false, language_code: language },
      chat_instance: '-100',
      data,
      message: {
        message_id: onMessage,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private' },
        text: 'summary',
      },
    },
  };
}
