/**
 * /renew <domain> <years> [account], or /renew <hosting|mail> <id> <years> [account] for a service
 * (renew-service.ts) → (when several accounts hold the item and none is named:
 * "which account?", one button per account →) a summary (current expiry, price, balance) with
 * Confirm / Cancel → the renewal engine → this same message edited with progress and, through the engine's
 * notifications, the final result: the confirmation subscribes to the renewal with its request
 * (also when it joins a renewal another door started, or one already final). Operators only.
 *
 * Exactly once from a chat: the button's token is claimed with a compare-and-set in D1 (one use,
 * only by the user who asked, only before it expires), and the engine's idempotency key is the
 * token, so even a claim replayed by Telegram lands on the same renewal. The years are required
 * (a money command has no default), and a domain renewed within the cooldown asks a second
 * confirmation ("Renew again") before the engine is told to `force` it.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { type GatewayError, isGatewayError } from '../../core/errors';
import { itemLabel, itemOfKey } from '../../core/items';
import { checkRenewalAsk, FINAL_STATES, getRenewal, listRenewals, requestRenewal } from '../../core/renewals';
import type { BotContext } from '../context';
import { formatDate } from '../format';
import { STATE_WORDS } from '../i18n';
import {
  type Confirmation,
  claimConfirmation,
  confirmationSubscriber,
  newToken,
  saveConfirmation,
  setConfirmationMessage,
} from '../store';
import { claimPick, holderOrAsk, pickPattern } from './account-choice';
import { args, domainArg } from './args';
import { looksLikeKind, renewService } from './renew-service';
import { CANCEL, CONFIRM, sendSummary } from './renew-summary';

export const renew = new Composer<BotContext>();

renew.command('renew', async (ctx) => {
  if (ctx.role !== 'operator') return void (await ctx.reply(ctx.t.needsOperator()));
  const words = args(ctx);
  // `/renew domain example.com 1` names the kind as a service's renewal does; it is the same request.
  if (words[0]?.toLowerCase() === 'domain') words.shift();
  if (looksLikeKind(words)) return renewService(ctx, words);
  const [raw, rawYears, account, ...extra] = words;
  if (!raw || !rawYears) return void (await ctx.reply(ctx.t.usageRenew()));
  if (extra.length > 0) return void (await ctx.reply(ctx.t.renewExtraArgs(extra.join(' '))));
  const domain = await domainArg(ctx, raw);
  if (!domain) return;
  // The engine's rules, asked before the summary: a person confirms only what it would accept.
  let years: number;
  try {
    ({ years } = checkRenewalAsk({
      domain,
      years: /^\d+$/.test(rawYears) ? Number(rawYears) : Number.NaN,
      account,
    }));
  } catch (error) {
    if (isGatewayError(error) && error.fields?.some((f) => f.field === 'years'))
      return void (await ctx.reply(ctx.t.invalidYears(rawYears)));
    throw error;
  }

  await ctx.replyWithChatAction('typing');
  const provider = await holderOrAsk(ctx, { command: 'renew', domain, account, years });
  if (provider) await sendSummary(ctx, provider, { kind: 'domain', id: domain }, years, 'reply');
});

/** The account chosen from "which account?": the usual summary, edited into the question. */
renew.callbackQuery(pickPattern('renew'), async (ctx) => {
  if (ctx.role !== 'operator') return void (await ctx.answerCallbackQuery(ctx.t.needsOperator()));
  const choice = await claimPick(ctx, 'renew');
  if (!choice) return;
  await ctx.answerCallbackQuery();
  const provider = ctx.deps.accounts.get(choice.account);
  // The choice holds the item's key: a domain's name, or `<kind>:<id>` for a service.
  await sendSummary(ctx, provider, itemOfKey(choice.domain), choice.years!, 'edit');
});

renew.callbackQuery(/^renew:(ok|no):([0-9a-f]{24})$/, async (ctx) => {
  const [, action, token] = ctx.match as RegExpMatchArray;
  const userId = String(ctx.from.id);
  if (action === 'ok' && ctx.role !== 'operator')
    return void (await ctx.answerCallbackQuery(ctx.t.needsOperator()));
  const claim = await claimConfirmation(
    ctx.deps.env.DB,
    token!,
    userId,
    action === 'ok' ? 'confirmed' : 'cancelled',
  );
  if (!claim.ok) {
    const text =
      claim.reason === 'not_yours'
        ? ctx.t.confirmNotYours()
        : claim.reason === 'used'
          ? ctx.t.confirmUsed()
          : ctx.t.confirmExpired();
    return void (await ctx.answerCallbackQuery({ text, show_alert: true }));
  }
  const c = claim.confirmation;
  // The confirmation holds the item's key (a domain's name, or `<kind>:<id>`), as the engine does.
  const item = itemOfKey(c.domain);
  const label = itemLabel(item);
  if (action === 'no') {
    await ctx.answerCallbackQuery();
    return void (await ctx.editMessageText(ctx.t.cancelled(label)));
  }
  await ctx.answerCallbackQuery(ctx.t.working());
  try {
    const { renewal } = await requestRenewal(ctx.deps, {
      ...(item.kind !== 'domain' ? { kind: item.kind } : {}),
      domain: item.id,
      years: c.years,
      // Read by the bot for its summary, not typed by the person: it guards against a stale
      // expiry, and the cooldown after a confirmed renewal still applies.
      expectedExpiry: c.expectedExpiry,
      expectedExpiryReadByDoor: true,
      account: c.account,
      force: c.force,
      idempotencyKey: `telegram:${c.token}`,
      subscriber: confirmationSubscriber(c.token),
      source: 'telegram',
      actor: `telegram:${userId}${ctx.from.username ? `(@${ctx.from.username})` : ''}`,
    });
    // A renewal already final (this confirmation joined it) is told through the subscription, like
    // any other result: the engine edits it into this message, once.
    if (!FINAL_STATES.has(renewal.state)) {
      await ctx.editMessageText(
        renewal.state === 'requested' || renewal.state === 'submitting'
          ? ctx.t.renewSubmitted(label, renewal.id)
          : renewalStateText(ctx.t, ctx.lang, renewal),
      );
    }
  } catch (error) {
    if (isGatewayError(error) && error.code === 'recently_renewed' && !c.force) {
      return void (await askToRenewAgain(ctx, c, error));
    }
    const detail = isGatewayError(error) ? ctx.t.errorKind(error.kind, error.message) : ctx.t.internalError();
    await ctx.editMessageText(ctx.t.renewState(label, STATE_WORDS[ctx.lang].failed!, detail));
  }
});

/**
 * The domain was renewed within the cooldown: nothing was recorded. Ask once more, on the same
 * message, with a new one-use token that carries `force`.
 */
async function askToRenewAgain(ctx: BotContext, c: Confirmation, error: GatewayError): Promise<void> {
  const recent = error.renewalId ? await getRenewal(ctx.deps.env.DB, error.renewalId) : undefined;
  const token = newToken();
  await saveConfirmation(ctx.deps.env.DB, {
    token,
    userId: c.userId,
    chatId: c.chatId,
    language: c.language,
    domain: c.domain,
    account: c.account,
    years: c.years,
    expectedExpiry: c.expectedExpiry,
    force: true,
    expiresAt: new Date(Date.now() + ctx.deps.config.confirmTtlSeconds * 1000).toISOString(),
  });
  const message = await ctx.editMessageText(
    ctx.t.renewAgainQuestion({
      domain: itemLabel(itemOfKey(c.domain)),
      years: c.years,
      renewedAt: formatDate(recent?.updatedAt, ctx.t),
      renewalId: error.renewalId ?? '',
      expires: formatDate(recent?.newExpiry, ctx.t),
    }),
    {
      reply_markup: new InlineKeyboard()
        .text(ctx.t.renewAgain(), CONFIRM + token)
        .text(ctx.t.cancel(), CANCEL + token),
    },
  );
  const messageId = typeof message === 'object' ? message.message_id : c.messageId;
  if (messageId !== undefined) await setConfirmationMessage(ctx.deps.env.DB, token, messageId);
}

/**
 * The text of a renewal's state, as edited into the confirmation message. `domain` is the item's
 * key, read as a person says it ("hosting weipeng1").
 */
export function renewalStateText(
  t: BotContext['t'],
  lang: BotContext['lang'],
  r: { domain: string; state: string; reason?: string; newExpiry?: string },
): string {
  const detail =
    r.state === 'confirmed' && r.newExpiry ? t.newExpiry(formatDate(r.newExpiry, t)) : (r.reason ?? '');
  return t.renewState(itemLabel(itemOfKey(r.domain)), STATE_WORDS[lang][r.state] ?? r.state, detail);
}

renew.command('renewals', async (ctx) => {
  const { items } = await listRenewals(ctx.deps.env.DB, { limit: 10 });
  if (items.length === 0) return void (await ctx.reply(ctx.t.renewalsNone()));
  await ctx.reply(
    [
      ctx.t.renewalsHeader(),
      ...items.map((r) =>
        ctx.t.renewalLine(
          itemLabel(itemOfKey(r.domain)),
          r.years,
          STATE_WORDS[ctx.lang][r.state] ?? r.state,
          formatDate(r.updatedAt, ctx.t),
        ),
      ),
    ].join('\n'),
  );
});
