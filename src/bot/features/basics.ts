/** /start, /help, /subscribe, /unsubscribe, and one sentence for anything else. */
import { Composer } from 'grammy';
import type { BotContext } from '../context';
import { subscribe, unsubscribe } from '../store';

export const basics = new Composer<BotContext>();

basics.command('start', (ctx) => ctx.reply(ctx.t.welcome(ctx.from?.first_name ?? '')));
basics.command('help', (ctx) => ctx.reply(ctx.t.help()));

basics.command('subscribe', async (ctx) => {
  await subscribe(ctx.deps.env.DB, String(ctx.chat.id), String(ctx.from?.id ?? ''), ctx.lang);
  await ctx.reply(ctx.t.subscribed());
});

basics.command('unsubscribe', async (ctx) => {
  await unsubscribe(ctx.deps.env.DB, String(ctx.chat.id));
  await ctx.reply(ctx.t.unsubscribed());
});

/** Registered last: any other command or text. */
export const fallback = new Composer<BotContext>();

fallback.on('message:text', async (ctx) => {
  const first = ctx.message.text.trim().split(/\s+/)[0] ?? '';
  await ctx.reply(first.startsWith('/') ? ctx.t.unknownCommand(first) : ctx.t.help());
});

fallback.on('callback_query:data', (ctx) => ctx.answerCallbackQuery(ctx.t.confirmExpired()));
