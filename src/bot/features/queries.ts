/**
 * Read-only commands (viewers and operators): /check, /info, /expiring (domains and services),
 * /balance, /price (/services is in services.ts).
 * Each answers with one message; registrar errors become one sentence (see format.ts).
 */
import { Composer } from 'grammy';
import { soldTlds } from '../../core/account-tlds';
import { type AvailabilityResult, checkAvailability } from '../../core/availability';
import { normalizeDomainName, normalizeTld } from '../../core/domain-name';
import { listInventory } from '../../core/domains';
import { isGatewayError } from '../../core/errors';
import { comparePrices } from '../../core/prices';
import { listServices } from '../../core/services';
import type { Provider } from '../../providers/types';
import type { BotContext } from '../context';
import { formatDate, formatFlag, formatMoney } from '../format';
import { claimPick, holderOrAsk, pickPattern } from './account-choice';
import { args, domainArg } from './args';
import { MAX_LIST_LINES, serviceLine } from './services';

/** Names per /check: a chat message is no bulk API (the REST API takes 1,000). */
export const MAX_CHECK_NAMES = 20;

/** One /check answer: available, taken, or unknown (never "not available" for a name nobody could check). */
function checkLine(ctx: BotContext, r: AvailabilityResult): string {
  if (r.available === true) {
    return (
      ctx.t.available(r.domain, r.price ? formatMoney(r.price, ctx.t) : '', r.account ?? '') +
      (r.premium ? ctx.t.premium() : '')
    );
  }
  if (r.available === false) return ctx.t.taken(r.domain, r.detail ?? '', r.account ?? '');
  if (r.reason === 'unsupported_tld') return ctx.t.notSold(r.domain);
  return ctx.t.checkFailed(r.domain, r.detail ?? '');
}

export const queries = new Composer<BotContext>();

queries.command('check', async (ctx) => {
  const names = args(ctx);
  if (names.length === 0) return void (await ctx.reply(ctx.t.usageCheck()));
  if (names.length > MAX_CHECK_NAMES) return void (await ctx.reply(ctx.t.tooManyNames(MAX_CHECK_NAMES)));
  const invalid = names.map((n) => ({ n, r: normalizeDomainName(n) })).filter((x) => !x.r.ok);
  const lines = invalid.map(({ n, r }) => ctx.t.invalidDomain(n, ctx.t.domainProblem(r.ok ? '' : r.problem)));
  const valid = names.filter((n) => normalizeDomainName(n).ok);
  if (valid.length > 0) {
    await ctx.replyWithChatAction('typing');
    const results = await checkAvailability(ctx.deps.accounts, valid, {
      tlds: await soldTlds(ctx.deps.env.DB),
      withPrices: true,
      logger: ctx.deps.logger,
    });
    for (const r of results) lines.push(checkLine(ctx, r));
  }
  await ctx.reply(lines.join('\n'));
});

queries.command('info', async (ctx) => {
  const [raw, account] = args(ctx);
  if (!raw) return void (await ctx.reply(ctx.t.usageInfo()));
  const domain = await domainArg(ctx, raw);
  if (!domain) return;
  await ctx.replyWithChatAction('typing');
  let provider: Provider | undefined;
  try {
    provider = await holderOrAsk(ctx, { command: 'info', domain, account });
  } catch (error) {
    // An account named but not configured says so (the error guard names it); only "nobody holds it" is this sentence.
    if (account === undefined && isGatewayError(error) && error.kind === 'not_found')
      return void (await ctx.reply(ctx.t.notHeld(domain)));
    throw error;
  }
  if (!provider) return;
  await ctx.reply(await infoText(ctx, provider, domain));
});

/** The account chosen from "which account?": the same answer, edited into the question. */
queries.callbackQuery(pickPattern('info'), async (ctx) => {
  const choice = await claimPick(ctx, 'info');
  if (!choice) return;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(await infoText(ctx, ctx.deps.accounts.get(choice.account), choice.domain));
});

async function infoText(ctx: BotContext, provider: Provider, domain: string): Promise<string> {
  const info = await provider.getDomain(domain, {});
  return ctx.t.info({
    domain: info.domain,
    account: provider.account,
    expires: formatDate(info.expiresAt, ctx.t),
    status: info.status.join(', ') || ctx.t.unknown(),
    nameservers: info.nameservers.join(', ') || ctx.t.none(),
    locked: formatFlag(info.locked, ctx.t),
    autoRenew: formatFlag(info.autoRenew, ctx.t),
  });
}

queries.command('expiring', async (ctx) => {
  const [raw = '30'] = args(ctx);
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > 3650) return void (await ctx.reply(ctx.t.invalidDays(raw)));
  const db = ctx.deps.env.DB;
  const [domains, services] = await Promise.all([
    listInventory(db, { expiringWithinDays: days, sort: 'expiry', limit: MAX_LIST_LINES }),
    listServices(db, {
      expiresBefore: new Date(Date.now() + days * 86_400_000).toISOString(),
      limit: MAX_LIST_LINES,
    }),
  ]);
  // Domains and services in one list by expiry, capped as a whole; past the cap, the list says so.
  const lines = [
    ...domains.items.map((d) => ({
      expiresAt: d.expiresAt ?? '',
      service: false,
      text: ctx.t.expiringLine(d.domain, formatDate(d.expiresAt, ctx.t), d.account),
    })),
    ...services.items.map((s) => ({
      expiresAt: s.expiresAt ?? '',
      service: true,
      text: serviceLine(ctx, s),
    })),
  ].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  if (lines.length === 0) return void (await ctx.reply(ctx.t.expiringNone(days)));
  const shown = lines.slice(0, MAX_LIST_LINES);
  const capped = lines.length > MAX_LIST_LINES || !!domains.nextCursor || !!services.nextCursor;
  await ctx.reply(
    [
      ctx.t.expiringHeader(
        days,
        shown.filter((l) => !l.service).length,
        shown.filter((l) => l.service).length,
      ),
      ...shown.map((l) => l.text),
      ...(capped ? [ctx.t.listCapped(shown.length)] : []),
    ].join('\n'),
  );
});

queries.command('balance', async (ctx) => {
  const accounts = ctx.deps.accounts.list();
  if (accounts.length === 0) return void (await ctx.reply(ctx.t.noAccounts()));
  await ctx.replyWithChatAction('typing');
  const lines = await Promise.all(
    accounts.map(async (a) => {
      const provider = ctx.deps.accounts.get(a.name);
      if (!provider.capabilities.has('getBalance')) return ctx.t.balanceUnsupported(a.name);
      try {
        const balance = await provider.getBalance({});
        return ctx.t.balanceLine(a.name, formatMoney(balance.available, ctx.t));
      } catch (error) {
        return ctx.t.balanceFailed(a.name, isGatewayError(error) ? error.kind : 'error');
      }
    }),
  );
  await ctx.reply([ctx.t.balanceHeader(), ...lines].join('\n'));
});

queries.command('price', async (ctx) => {
  const [raw] = args(ctx);
  if (!raw) return void (await ctx.reply(ctx.t.usagePrice()));
  const check = normalizeTld(raw);
  if (!check.ok) return void (await ctx.reply(ctx.t.invalidDomain(raw, ctx.t.domainProblem(check.problem))));
  const asciiTld = check.name;
  await ctx.replyWithChatAction('typing');
  const comparison = await comparePrices(ctx.deps.accounts, { tld: asciiTld, operation: 'renew', years: 1 });
  if (comparison.prices.length === 0) return void (await ctx.reply(ctx.t.priceNone(asciiTld)));
  await ctx.reply(
    [
      ctx.t.priceHeader(asciiTld),
      ...comparison.prices.map((p) => ctx.t.priceLine(p.account, formatMoney(p.price, ctx.t))),
    ].join('\n'),
  );
});
