/**
 * The Telegram bot (grammY): one Composer per feature, behind three middlewares — language,
 * access (allow-list with roles) and an error guard that turns any failure into one sentence, so
 * Telegram never sees a 500 and never redelivers an update because of us.
 */
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createRedactor } from '../core/log';
import type { BotContext, BotDeps } from './context';
import { basics, fallback } from './features/basics';
import { queries } from './features/queries';
import { renew } from './features/renew';
import { services } from './features/services';
import { errorSentence } from './format';
import { langOf, messages } from './i18n';

/** getMe's answer when TELEGRAM_BOT_INFO is not set: only the id (from the token) is certain. */
function fallbackBotInfo(token: string): UserFromGetMe {
  return {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Registrar gateway',
    username: 'registrar_gateway_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;
}

export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.config.token, {
    client: { apiRoot: deps.config.apiRoot },
    // Without botInfo grammY calls getMe once per isolate before the first update.
    botInfo: deps.config.botInfo ?? fallbackBotInfo(deps.config.token),
  });
  const redact = createRedactor([deps.config.token, deps.config.webhookSecret]);

  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.lang = langOf(ctx.from?.language_code);
    ctx.t = messages[ctx.lang];
    await next();
  });

  bot.use(async (ctx, next) => {
    const role = ctx.from ? deps.config.users.get(ctx.from.id) : undefined;
    if (!role) {
      deps.logger.warn('telegram: refused a user not on the allow-list', { userId: ctx.from?.id });
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.refused(), show_alert: true });
      else if (ctx.chat) await ctx.reply(ctx.t.refused());
      return;
    }
    ctx.role = role;
    await next();
  });

  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      deps.logger.warn('telegram: command failed', {
        error: redact(String(error)),
        update: ctx.update.update_id,
      });
      const sentence = errorSentence(error, ctx.t, redact);
      try {
        if (ctx.callbackQuery)
          await ctx.answerCallbackQuery({ text: sentence.slice(0, 190), show_alert: true });
        else if (ctx.chat) await ctx.reply(sentence);
      } catch (replyError) {
        deps.logger.error('telegram: could not tell the user about a failure', {
          error: redact(String(replyError)),
        });
      }
    }
  });

  bot.use(basics, queries, services, renew, fallback);
  return bot;
}
