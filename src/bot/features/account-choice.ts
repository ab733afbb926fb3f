/**
 * "Which account?": when several configured accounts hold a domain (or, for /renew, a service of
 * the inventory), /renew and /info answer with one button per account instead of the ambiguity
 * error every other door gives (a person can choose).
 * Each button is a one-use row (`bot_account_choices`), and tapping it goes on with the command for
 * that account; for /renew that is the usual summary with its own Confirm, so a choice spends nothing.
 */
import { InlineKeyboard } from 'grammy';
import { findHolders } from '../../core/holding-account';
import { itemLabel, itemOfKey } from '../../core/items';
import type { Provider } from '../../providers/types';
import type { BotContext } from '../context';
import {
  type AccountChoice,
  type ChoosingCommand,
  claimAccountChoice,
  newToken,
  saveAccountChoices,
} from '../store';

/** The callback data of a choice button, and the pattern each command listens to. */
const pickData = (command: ChoosingCommand, token: string) => `${command}:pick:${token}`;
export const pickPattern = (command: ChoosingCommand) => new RegExp(`^${command}:pick:([0-9a-f]{24})$`);

/** A button's label: the account, and its registrar when the name does not say it. */
function label(provider: Provider): string {
  return provider.account === provider.key ? provider.account : `${provider.account} (${provider.key})`;
}

/**
 * The account a command works on: the one named, else the one holder of the domain. With several
 * holders it asks which one (one button per account) and gives undefined: the button goes on.
 */
export async function holderOrAsk(
  ctx: BotContext,
  ask: { command: ChoosingCommand; domain: string; account?: string; years?: number },
): Promise<Provider | undefined> {
  if (ask.account !== undefined) return ctx.deps.accounts.get(ask.account);
  const { holders } = await findHolders(ctx.deps, ask.domain);
  return oneOrAsk(ctx, ask, holders);
}

/**
 * The one provider of `holders`, or the "which account?" question (undefined). `ask.domain` is
 * the item's key (core/items.ts): a domain name, or `<kind>:<id>` for a service; the question
 * names it as a person reads it.
 */
export async function oneOrAsk(
  ctx: BotContext,
  ask: { command: ChoosingCommand; domain: string; years?: number },
  holders: Provider[],
): Promise<Provider | undefined> {
  const [only] = holders;
  if (holders.length === 1 && only) return only;
  const expiresAt = new Date(Date.now() + ctx.deps.config.confirmTtlSeconds * 1000).toISOString();
  const choices = holders.map(
    (provider): AccountChoice => ({
      token: newToken(),
      userId: String(ctx.from!.id),
      chatId: String(ctx.chat!.id),
      command: ask.command,
      domain: ask.domain,
      account: provider.account,
      ...(ask.years !== undefined ? { years: ask.years } : {}),
      expiresAt,
    }),
  );
  await saveAccountChoices(ctx.deps.env.DB, choices);
  const keyboard = new InlineKeyboard();
  holders.forEach((provider, i) => {
    keyboard.text(label(provider), pickData(ask.command, choices[i]!.token)).row();
  });
  await ctx.reply(
    ctx.t.whichAccount(itemLabel(itemOfKey(ask.domain)), holders.map((h) => h.account).join(', ')),
    { reply_markup: keyboard },
  );
  return undefined;
}

/** Claim the tapped button (one use, its asker only); undefined after telling the tapper why not. */
export async function claimPick(
  ctx: BotContext,
  command: ChoosingCommand,
): Promise<AccountChoice | undefined> {
  const token = (ctx.match as RegExpMatchArray)[1]!;
  const claim = await claimAccountChoice(ctx.deps.env.DB, token, command, String(ctx.from!.id));
  if (claim.ok) return claim.choice;
  const text =
    claim.reason === 'not_yours'
      ? ctx.t.choiceNotYours()
      : claim.reason === 'used'
        ? ctx.t.choiceUsed()
        : ctx.t.choiceExpired();
  await ctx.answerCallbackQuery({ text, show_alert: true });
  return undefined;
}
