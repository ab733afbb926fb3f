/**
 * The summary /renew shows before anything is spent — the item, its current expiry (read live),
 * the price and the balance — with Confirm / Cancel, and the one-use confirmation behind the
 * buttons. The same for a domain and a service: the item is named by its key (core/items.ts), and
 * the expiry is read with the engine's own item reader, so the expiry a person confirms is the one
 * the engine checks.
 */
import { InlineKeyboard } from 'grammy';
import { tldOf } from '../../core/domain-name';
import { GatewayError, isGatewayError } from '../../core/errors';
import { type ItemRef, itemKey, itemLabel, renewableItem } from '../../core/items';
import { type Money, POINTS_CURRENCY } from '../../core/model';
import { compareAmounts } from '../../core/money';
import { expiryDay } from '../../core/renewals';
import { serviceRenewRequest } from '../../core/renewals/intent';
import { renewalPrice } from '../../core/renewals/policy';
import type { Provider } from '../../providers/types';
import type { BotContext } from '../context';
import { formatDate, formatMoney } from '../format';
import { newToken, saveConfirmation, setConfirmationMessage } from '../store';

/** The callback data prefixes of the summary's buttons (renew.ts listens to them). */
export const CONFIRM = 'renew:ok:';
export const CANCEL = 'renew:no:';

/**
 * The price of renewing the item for `years`, or undefined when the registrar gives none. A
 * service is priced by the registrar's own quote where it has one (35.com `GetPrice=1`); a quote
 * the registrar refuses as invalid (past its ten-year ceiling) is the answer to the person, before
 * any Confirm button: the engine would refuse the same renewal.
 */
async function priceOf(
  provider: Provider,
  ref: ItemRef,
  years: number,
  expectedExpiry: string,
): Promise<Money | undefined> {
  if (ref.kind === 'domain') {
    if (!provider.capabilities.has('getPrices')) return undefined;
    const tld = tldOf(ref.id);
    return provider
      .getPrices({ tld, operation: 'renew', years }, {})
      .then((prices) => renewalPrice(prices, tld, years))
      .catch(() => undefined);
  }
  const { quote } = renewableItem(provider, ref);
  if (!quote) return undefined;
  try {
    // Asked exactly as the engine will ask it (the expiry as a day), so both get the same answer.
    return await quote(serviceRenewRequest(years, expiryDay(expectedExpiry, 'expiresAt'), undefined));
  } catch (error) {
    if (isGatewayError(error) && error.kind === 'invalid_request') throw error;
    return undefined;
  }
}

/**
 * The summary with Confirm / Cancel, as a new message or edited into the one whose button was
 * tapped; its one-use token remembers the message. A service with no expiry yet (a certificate
 * being issued) is answered with a sentence instead: the engine could not renew it.
 */
export async function sendSummary(
  ctx: BotContext,
  provider: Provider,
  ref: ItemRef,
  years: number,
  how: 'reply' | 'edit',
): Promise<void> {
  const label = itemLabel(ref);
  const item = renewableItem(provider, ref);
  if (!item.supported) {
    // The engine's own refusal, said before any read: the account does not renew this kind.
    throw new GatewayError('unsupported', {
      message: `account ${provider.account} (${provider.key}) does not renew ${label}`,
      provider: provider.key,
    });
  }
  const reading = await item.read();
  const expiresAt = reading.expiresAt;
  if (!expiresAt) {
    const text = ctx.t.serviceNoExpiry(label);
    return void (how === 'reply' ? await ctx.reply(text) : await ctx.editMessageText(text));
  }
  const [price, balance] = await Promise.all([
    priceOf(provider, ref, years, expiresAt),
    provider.capabilities.has('getBalance') ? provider.getBalance({}).catch(() => undefined) : undefined,
  ]);

  const token = newToken();
  const ttl = ctx.deps.config.confirmTtlSeconds;
  await saveConfirmation(ctx.deps.env.DB, {
    token,
    userId: String(ctx.from!.id),
    chatId: String(ctx.chat!.id),
    language: ctx.lang,
    // The item's key: a domain's name as before, `<kind>:<id>` for a service.
    domain: itemKey(ref),
    account: provider.account,
    years,
    expectedExpiry: expiresAt,
    force: false,
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
  });
  // Points are prepaid units, not money: the account's balance neither pays nor warns about them.
  const inPoints = price?.currency === POINTS_CURRENCY;
  const short =
    price &&
    balance &&
    price.currency === balance.available.currency &&
    compareAmounts(balance.available.amount, price.amount) < 0;
  const text = ctx.t.renewSummary({
    domain: label,
    account: provider.account,
    expires: formatDate(expiresAt, ctx.t),
    years,
    price: formatMoney(price, ctx.t),
    balance: inPoints ? ctx.t.balanceNotUsed() : formatMoney(balance?.available, ctx.t) + (short ? ' ⚠️' : ''),
  });
  const reply_markup = new InlineKeyboard()
    .text(ctx.t.confirm(), CONFIRM + token)
    .text(ctx.t.cancel(), CANCEL + token);
  const message =
    how === 'reply'
      ? await ctx.reply(text, { reply_markup })
      : await ctx.editMessageText(text, { reply_markup });
  const messageId = typeof message === 'object' ? message.message_id : ctx.callbackQuery?.message?.message_id;
  if (messageId !== undefined) await setConfirmationMessage(ctx.deps.env.DB, token, messageId);
}
