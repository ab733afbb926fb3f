/**
 * Which account holds a domain: one answer for every door (REST reads and renewals, billing
 * webhooks, the bot), so the same name never means two accounts depending on where it was asked.
 */
import type { Provider } from '../providers/types';
import { findHoldingAccounts } from './domains';
import { GatewayError, invalidRequest, isGatewayError } from './errors';
import type { ProviderLookup } from './provider-lookup';

interface HolderContext {
  env: { DB: D1Database };
  accounts: ProviderLookup;
}

/**
 * The accounts that may hold a domain when the caller did not say: the inventory's live rows among
 * configured accounts, else the only configured account, else every account whose registrar says
 * it holds the domain. `from` says which step answered. Several holders are returned, not refused,
 * so a door that can ask a person (the bot) asks which one; `resolveHolder` refuses them.
 * Throws `not_found` when no account holds it, or the first retryable error when a probe failed.
 */
export async function findHolders(
  ctx: HolderContext,
  domain: string,
): Promise<{ holders: Provider[]; from: 'inventory' | 'configuration' | 'registrars' }> {
  const configured = new Set(ctx.accounts.list().map((a) => a.name));
  const known = [...new Set((await findHoldingAccounts(ctx.env.DB, domain)).map((r) => r.account))].filter(
    (a) => configured.has(a),
  );
  if (known.length > 0) return { holders: known.map((a) => ctx.accounts.get(a)), from: 'inventory' };
  const names = [...configured];
  if (names.length === 1 && names[0]) return { holders: [ctx.accounts.get(names[0])], from: 'configuration' };
  if (names.length === 0) {
    throw new GatewayError('not_found', { message: 'no registrar account is configured' });
  }
  const probes = await Promise.allSettled(
    names.map(async (name) => {
      const provider = ctx.accounts.get(name);
      if (!provider.capabilities.has('getDomain'))
        throw new GatewayError('unsupported', { message: 'no getDomain' });
      await provider.getDomain(domain, {});
      return provider;
    }),
  );
  const holders = probes.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  if (holders.length > 0) return { holders, from: 'registrars' };
  const transient = probes.find(
    (p) => p.status === 'rejected' && isGatewayError(p.reason) && p.reason.retryable,
  ) as PromiseRejectedResult | undefined;
  if (transient) throw transient.reason;
  throw new GatewayError('not_found', {
    message: `no configured registrar account holds ${domain}; pass "account" if it was just registered`,
  });
}

/**
 * The caller's choice, else the one holder `findHolders` finds. Two candidates at any step are a
 * 400 naming them: a read or a renewal never picks one silently.
 */
export async function resolveHolder(
  ctx: HolderContext,
  domain: string,
  requested?: string,
): Promise<Provider> {
  if (requested) return ctx.accounts.get(requested);
  const { holders, from } = await findHolders(ctx, domain);
  const [only] = holders;
  if (holders.length === 1 && only) return only;
  const names = holders.map((h) => h.account).join(', ');
  throw from === 'inventory'
    ? invalidRequest(`${domain} is held by several accounts (${names}): say which one`, [
        { field: 'account', reason: 'invalid' },
      ])
    : invalidRequest(`${domain} is visible in several accounts (${names}): say which one`, [
        { field: 'account', reason: 'ambiguous' },
      ]);
}
