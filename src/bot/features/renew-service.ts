/**
 * /renew <hosting|mail> <id> <years> [account]: the words of a service renewal, checked with the
 * engine's own rules, and its account — the one named, else the inventory's: one live row → that
 * account; several → "which account?"; none → a sentence asking for it. Then the same summary and
 * Confirm as a domain (renew-summary.ts, renew.ts).
 *
 * A certificate is refused with a sentence: its renewal needs a PEM certificate request, which a
 * chat cannot carry, so it is asked for through the API or the billing webhook.
 */
import { isGatewayError } from '../../core/errors';
import { checkItemRef, type ItemRef, itemKey, itemLabel } from '../../core/items';
import { SERVICE_KINDS, type ServiceKind } from '../../core/model';
import { checkRenewalAsk } from '../../core/renewals';
import type { BotContext } from '../context';
import { oneOrAsk } from './account-choice';
import { sendSummary } from './renew-summary';
import { inventoryHolders, isServiceKindWord } from './services';

/**
 * Whether /renew's words name a kind rather than a domain: a service kind, or a bare word (no dot:
 * never a domain name) followed by something that is not the years — `/renew vps web1 1`. A bare
 * word followed by a number (`/renew example 1`) stays a domain, and is told what the name lacks.
 */
export function looksLikeKind(words: string[]): boolean {
  const [first, second] = words;
  if (!first) return false;
  if (isServiceKindWord(first.toLowerCase())) return true;
  return !first.includes('.') && second !== undefined && !/^\d+$/.test(second);
}

/** The item the words name, or undefined after saying why they do not name one. */
async function serviceArg(ctx: BotContext, kind: ServiceKind, rawId: string): Promise<ItemRef | undefined> {
  try {
    return checkItemRef(kind, rawId);
  } catch (error) {
    const reason = isGatewayError(error) ? error.fields?.find((f) => f.field === 'id')?.reason : undefined;
    if (reason === undefined) throw error;
    await ctx.reply(ctx.t.invalidServiceId(rawId, reason));
    return undefined;
  }
}

/** The configured accounts among those the inventory lists for the item. */
async function holdersOf(ctx: BotContext, ref: ItemRef & { kind: ServiceKind }): Promise<string[]> {
  const configured = new Set(ctx.deps.accounts.list().map((a) => a.name));
  return (await inventoryHolders(ctx.deps.env.DB, ref.kind, ref.id)).filter((a) => configured.has(a));
}

export async function renewService(ctx: BotContext, words: string[]): Promise<void> {
  const [rawKind = '', rawId, rawYears, account, ...extra] = words;
  const kind = rawKind.toLowerCase();
  const renewable = SERVICE_KINDS.filter((k) => k !== 'certificate');
  if (!isServiceKindWord(kind)) {
    return void (await ctx.reply(ctx.t.unknownRenewKind(rawKind, renewable.join(', '))));
  }
  if (!rawId) return void (await ctx.reply(ctx.t.usageRenew()));
  if (kind === 'certificate') return void (await ctx.reply(ctx.t.certificateNeedsCsr(rawId)));
  if (!rawYears) return void (await ctx.reply(ctx.t.usageRenew()));
  if (extra.length > 0) return void (await ctx.reply(ctx.t.renewServiceExtraArgs(extra.join(' '))));
  const ref = await serviceArg(ctx, kind, rawId);
  if (!ref) return;
  const service = { kind, id: ref.id };

  const accounts = account !== undefined ? [account] : await holdersOf(ctx, service);
  if (accounts.length === 0) {
    const example = `/renew ${kind} ${ref.id} ${rawYears} <account>`;
    return void (await ctx.reply(ctx.t.serviceAccountNeeded(itemLabel(ref), example)));
  }
  // The engine's rules, asked before the summary: a person confirms only what it would accept.
  let years: number;
  try {
    ({ years } = checkRenewalAsk({
      kind,
      domain: ref.id,
      years: /^\d+$/.test(rawYears) ? Number(rawYears) : Number.NaN,
      account: accounts[0],
    }));
  } catch (error) {
    if (isGatewayError(error) && error.fields?.some((f) => f.field === 'years'))
      return void (await ctx.reply(ctx.t.invalidYears(rawYears)));
    throw error;
  }

  await ctx.replyWithChatAction('typing');
  const providers = accounts.map((a) => ctx.deps.accounts.get(a));
  const provider = await oneOrAsk(ctx, { command: 'renew', domain: itemKey(ref), years }, providers);
  if (provider) await sendSummary(ctx, provider, ref, years, 'reply');
}
