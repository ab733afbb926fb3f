/**
 * /services [kind] [account] (viewers and operators): the service inventory — hosting, mail and
 * certificates as the last sync or live read recorded them (core/services.ts) — soonest expiry
 * first, one line each, capped like /expiring. Also the service lines /expiring adds beside the
 * domains, and the inventory's answer to "which accounts hold this service?" for /renew.
 */
import { Composer } from 'grammy';
import { itemLabel } from '../../core/items';
import { SERVICE_KINDS, type ServiceKind } from '../../core/model';
import { type InventoryService, listServices, type ServiceFilter } from '../../core/services';
import type { BotContext } from '../context';
import { formatDate, formatMoney } from '../format';
import { SERVICE_STATUS_WORDS } from '../i18n';
import { args } from './args';

/** Lines per answer: a chat message is no report (the REST API pages through all of them). */
export const MAX_LIST_LINES = 50;

/** One service as a line: kind and id (and its name when that says more), expiry, status, price. */
export function serviceLine(ctx: BotContext, s: InventoryService): string {
  const label = itemLabel({ kind: s.kind, id: s.id });
  return ctx.t.serviceLine({
    label: s.name && s.name.toLowerCase() !== s.id.toLowerCase() ? `${label} (${s.name})` : label,
    account: s.account,
    expires: s.expiresAt ? formatDate(s.expiresAt, ctx.t) : ctx.t.beingIssued(),
    status: SERVICE_STATUS_WORDS[ctx.lang][s.status] ?? s.status,
    price: s.renewalPrice ? formatMoney(s.renewalPrice, ctx.t) : '',
  });
}

/**
 * The accounts whose live inventory rows hold (kind, id): who /renew renews it at when no account
 * is named. Pages through the kind's rows, since the inventory is keyed by account first.
 */
export async function inventoryHolders(db: D1Database, kind: ServiceKind, id: string): Promise<string[]> {
  const accounts: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listServices(db, { kind, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) if (s.id === id) accounts.push(s.account);
    cursor = page.nextCursor;
  } while (cursor);
  return accounts;
}

export function isServiceKindWord(word: string): word is ServiceKind {
  return (SERVICE_KINDS as readonly string[]).includes(word);
}

/** The filter the words ask for, or the word that is neither a kind nor a configured account. */
function filterOf(
  words: string[],
  accounts: string[],
): { ok: true; filter: ServiceFilter } | { ok: false; word: string } {
  const filter: ServiceFilter = {};
  for (const raw of words) {
    const word = raw.toLowerCase();
    if (filter.kind === undefined && isServiceKindWord(word)) filter.kind = word;
    else if (filter.account === undefined && accounts.includes(raw)) filter.account = raw;
    else return { ok: false, word: raw };
  }
  return { ok: true, filter };
}

export const services = new Composer<BotContext>();

services.command('services', async (ctx) => {
  const accounts = ctx.deps.accounts.list().map((a) => a.name);
  const asked = filterOf(args(ctx), accounts);
  if (!asked.ok) {
    return void (await ctx.reply(
      ctx.t.servicesBadFilter(asked.word, SERVICE_KINDS.join(', '), accounts.join(', ') || ctx.t.none()),
    ));
  }
  const page = await listServices(ctx.deps.env.DB, { ...asked.filter, limit: MAX_LIST_LINES });
  if (page.items.length === 0) return void (await ctx.reply(ctx.t.servicesNone()));
  await ctx.reply(
    [
      ctx.t.servicesHeader(page.items.length),
      ...page.items.map((s) => serviceLine(ctx, s)),
      ...(page.nextCursor ? [ctx.t.listCapped(page.items.length)] : []),
    ].join('\n'),
  );
});
