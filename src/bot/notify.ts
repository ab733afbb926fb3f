/**
 * The Telegram channels of the engine's notifications (registered in src/index.ts): a renewal's
 * final state edited into the confirmation message that subscribed to it, and reminders /
 * low-balance alerts sent to the chats that subscribed. Each returns false when there was nothing
 * to send through Telegram.
 *
 * `TELEGRAM_USERS` is checked again at send time: a row (subscription or confirmation) whose user
 * has since been removed from the allow-list is skipped — a private chat and a group chat alike —
 * and logged. The row is kept, so putting the user back restores their subscriptions, and a
 * mistyped allow-list cannot delete anyone's.
 */
import { Api, GrammyError } from 'grammy';
import { itemLabel, itemOfKey } from '../core/items';
import type { Logger } from '../core/log';
import type {
  BroadcastChannel,
  ExpiryReminder,
  LowBalanceAlert,
  SubscriberChannel,
} from '../core/notifications';
import type { Env } from '../env';
import { configFor } from '../env';
import type { BotConfig } from './config';
import { renewalStateText } from './features/renew';
import { formatDate, formatMoney } from './format';
import { messages } from './i18n';
import { getConfirmation, subscribers } from './store';

interface Telegram {
  client: Api;
  users: BotConfig['users'];
}

function telegram(env: Env): Telegram | undefined {
  const config = configFor(env).bot;
  return config
    ? { client: new Api(config.token, { apiRoot: config.apiRoot }), users: config.users }
    : undefined;
}

/** The rows whose user is still on the allow-list; the others are skipped, with one log line. */
function stillAllowed<T extends { userId: string }>(
  rows: T[],
  users: BotConfig['users'],
  logger: Logger,
  what: string,
): T[] {
  const allowed = rows.filter((r) => users.has(Number(r.userId)));
  const removed = rows.filter((r) => !users.has(Number(r.userId)));
  if (removed.length > 0) {
    logger.warn('telegram: skipped chats of users no longer on the allow-list', {
      what,
      skipped: removed.length,
      userIds: [...new Set(removed.map((r) => r.userId))],
    });
  }
  return allowed;
}

/**
 * A renewal's result, edited into the confirmation message whose token subscribed to it (or sent
 * anew when the message id is unknown). An edit Telegram refuses as "not modified" already shows
 * this result (the bot edited it when the renewal was final on confirmation): it counts as told.
 */
export const telegramConfirmationChannel: SubscriberChannel = {
  async deliver(env, renewal, subscriber, logger) {
    const bot = telegram(env);
    if (!bot) return false;
    const confirmation = await getConfirmation(env.DB, subscriber.key);
    if (!confirmation) return false;
    const [c] = stillAllowed([confirmation], bot.users, logger, 'renewal result');
    if (!c) return false;
    const text = renewalStateText(messages[c.language], c.language, renewal);
    try {
      if (c.messageId) await bot.client.editMessageText(c.chatId, c.messageId, text);
      else await bot.client.sendMessage(c.chatId, text);
    } catch (error) {
      if (!(error instanceof GrammyError && /message is not modified/i.test(error.description))) throw error;
    }
    logger.info('telegram: renewal result delivered', { renewal: renewal.id });
    return true;
  },
};

async function broadcast(
  env: Env,
  kind: 'reminders' | 'balance',
  text: (lang: 'en' | 'zh') => string,
  logger: Logger,
): Promise<boolean> {
  const bot = telegram(env);
  if (!bot) return false;
  const { client } = bot;
  const chats = stillAllowed(await subscribers(env.DB, kind), bot.users, logger, kind);
  const results = await Promise.allSettled(chats.map((c) => client.sendMessage(c.chatId, text(c.language))));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed > 0)
    logger.warn('telegram: some subscribers were not reached', { kind, failed, total: chats.length });
  if (chats.length > 0 && failed === chats.length) throw new Error(`telegram: no ${kind} subscriber reached`);
  return chats.length > 0;
}

export function telegramReminder(env: Env, r: ExpiryReminder, logger: Logger): Promise<boolean> {
  return broadcast(
    env,
    'reminders',
    (lang) =>
      messages[lang].reminder(
        // A service's reminder names it as a person does ("hosting weipeng1"), not by its key.
        itemLabel(r.kind && r.id ? { kind: r.kind, id: r.id } : itemOfKey(r.domain)),
        r.daysLeft,
        formatDate(r.expiresAt, messages[lang]),
      ),
    logger,
  );
}

export function telegramLowBalance(env: Env, a: LowBalanceAlert, logger: Logger): Promise<boolean> {
  return broadcast(
    env,
    'balance',
    (lang) =>
      messages[lang].lowBalance(
        a.account,
        formatMoney(a.available, messages[lang]),
        formatMoney(a.threshold ?? a.upcoming?.cost, messages[lang]),
      ),
    logger,
  );
}

/** The chats subscribed to reminders and low-balance alerts. */
export const telegramBroadcastChannel: BroadcastChannel = {
  reminder: telegramReminder,
  lowBalance: telegramLowBalance,
};
