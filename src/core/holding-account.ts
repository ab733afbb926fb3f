/**
 * Which account holds a domain: one answer for every door (REST reads and renewals, billing
 * webhooks, the bot), so the same name never means two accounts depending on where it was asked.
 */
import type { Provider } from '../providers/types';
import { findHoldingAccounts } from './domains';
import { GatewayError, invalidRequest, isGatewayError } from './errors';
import type { ProviderLookup } from './provider-lookup';

/**
 * The caller's choice, else the inventory's single live row among configured accounts, else the
 * only configured account, else the one account whose registrar says it holds the domain. Two
 * candidates at any step are a 400 naming them: a read or a renewal never picks one silently.
 */
export async function resolveHolder(
  ctx: { env: { DB: D1Database }; accounts: ProviderLookup },
  domain: string,
  requested?: string,
): Promise<Provider> {
  if (requested) return ctx.accounts.get(requested);
  const configured = new Set(ctx.accounts.list().map((a) => a.name));
  const known = [...new Set((await findHoldingAccounts(ctx.env.DB, domain)).map((r) => r.account))].filter(
    (a) => configured.has(a),
  );
  if (known.length === 1 && known[0]) return ctx.accounts.get(known[0]);
  if (known.length > 1) {
    throw invalidRequest(`${domain} is held by several accounts (${known.join(', ')}): say which one`, [
      { field: 'account', reason: 'invalid' },
    ]);
  }
  const names = [...configured];
  if (names.length === 1 && names[0]) return ctx.accounts.get(names[0]);
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
  if (holders.length === 1 && holders[0]) return holders[0];
  if (holders.length > 1) {
    throw invalidRequest(
      `${domain} is visible in several accounts (${holders.map((h) => h.account).join(', ')}): say which one`,
      [{ field: 'account', reason: 'ambiguous' }],
    );
  }
  const transient = probes.find(
    (p) => p.status === 'rejected' && isGatewayError(p.reason) && p.reason.retryable,
  ) as PromiseRejectedResult | undefined;
  if (transient) throw transient.reason;
  throw new GatewayError('not_found', {
    message: `no configured registrar account holds ${domain}; pass "account" if it was just registered`,
  });
}
