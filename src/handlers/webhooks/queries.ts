/**
 * `domain.info` and `domain.check` deliveries, answered synchronously in the webhook reply.
 *
 * Which account holds a domain: the one the sender names, else the engine's own resolution (the
 * inventory, the only account, or the one account whose registrar knows the domain).
 */
import { z } from 'zod';
import type { Accounts } from '../../core/accounts';
import { requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest, isGatewayError } from '../../core/errors';
import type { Availability, DomainInfo } from '../../core/model';
import { type EngineContext, resolveAccount } from '../../core/renewals';

const InfoData = z.object({
  domain: z.string().min(1).max(255),
  account: z.string().min(1).max(64).optional(),
});

const CheckData = z
  .object({
    domain: z.string().min(1).max(255).optional(),
    domains: z.array(z.string().min(1).max(255)).min(1).max(50).optional(),
    account: z.string().min(1).max(64).optional(),
  })
  .refine((d) => (d.domain === undefined) !== (d.domains === undefined), {
    message: 'give either domain or domains',
  });

export function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      field: `data.${i.path.join('.')}`.replace(/\.$/, ''),
      reason: i.message,
    }));
    throw new GatewayError('invalid_request', {
      message: fields.map((f) => `${f.field}: ${f.reason}`).join('; '),
      fields,
    });
  }
  return parsed.data;
}

/** The holding account is found the way the renewal engine finds it (`resolveAccount`). */
export async function domainInfo(
  ctx: EngineContext,
  data: unknown,
): Promise<{ account: string; domain: DomainInfo }> {
  const { domain: input, account } = parseData(InfoData, data);
  const domain = requireDomainName(input, 'data.domain');
  const provider = await resolveAccount(ctx, domain, account);
  return { account: provider.account, domain: await provider.getDomain(domain, {}) };
}

/**
 * Availability through the providers' `checkAvailability` directly (the API's shared availability
 * core was not in main when this was written): the named account, else the first configured
 * account that can check availability and supports the names' TLDs.
 */
export async function domainCheck(
  accounts: Accounts,
  data: unknown,
): Promise<{ account: string; results: Availability[] }> {
  const parsed = parseData(CheckData, data);
  const names = (parsed.domains ?? [parsed.domain!]).map((d, i) =>
    requireDomainName(d, parsed.domains ? `data.domains.${i}` : 'data.domain'),
  );
  const candidates = parsed.account
    ? [parsed.account]
    : accounts
        .list()
        .map((a) => a.name)
        .filter((name) => accounts.get(name).capabilities.has('checkAvailability'));
  if (candidates.length === 0) throw invalidRequest('no configured account can check availability');
  let lastError: unknown;
  for (const name of candidates) {
    try {
      const provider = accounts.get(name);
      const batch = Math.max(1, provider.limits.availabilityBatch);
      const results: Availability[] = [];
      for (let i = 0; i < names.length; i += batch) {
        results.push(...(await provider.checkAvailability(names.slice(i, i + batch), {})));
      }
      return { account: name, results };
    } catch (error) {
      // A registrar that does not sell the TLD refuses; another account may.
      if (
        !parsed.account &&
        isGatewayError(error) &&
        (error.kind === 'unsupported' || error.kind === 'invalid_request')
      ) {
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw lastError;
}
