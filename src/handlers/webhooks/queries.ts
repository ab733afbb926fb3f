/**
 * `domain.info` and `domain.check` deliveries, answered synchronously in the webhook reply.
 *
 * Which account holds a domain: the one the sender names, else the resolution every door shares
 * (`resolveHolder`: the inventory, the only account, or the one account whose registrar knows it).
 */
import { z } from 'zod';
import { accountNameSchema } from '../../core/account-names';
import { soldTlds } from '../../core/account-tlds';
import { type AvailabilityResult, checkAvailability } from '../../core/availability';
import { requireDomainName } from '../../core/domain-name';
import { GatewayError } from '../../core/errors';
import { resolveHolder } from '../../core/holding-account';
import type { DomainInfo } from '../../core/model';
import type { EngineContext } from '../../core/renewals';
import { issueFields } from '../validation';

const InfoData = z.object({
  domain: z.string().min(1).max(255),
  account: accountNameSchema.optional(),
});

const CheckData = z
  .object({
    domain: z.string().min(1).max(255).optional(),
    domains: z.array(z.string().min(1).max(255)).min(1).max(50).optional(),
    account: accountNameSchema.optional(),
  })
  .refine((d) => (d.domain === undefined) !== (d.domains === undefined), {
    message: 'give either domain or domains',
  });

export function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields = issueFields(parsed.error.issues, 'data');
    throw new GatewayError('invalid_request', {
      message: fields.map((f) => `${f.field}: ${f.reason}`).join('; '),
      fields,
    });
  }
  return parsed.data;
}

/** The holding account is found the way every door finds it (`resolveHolder`). */
export async function domainInfo(
  ctx: EngineContext,
  data: unknown,
): Promise<{ account: string; domain: DomainInfo }> {
  const { domain: input, account } = parseData(InfoData, data);
  const domain = requireDomainName(input, 'data.domain');
  const provider = await resolveHolder(ctx, domain, account);
  return { account: provider.account, domain: await provider.getDomain(domain, {}) };
}

/**
 * Availability through the shared core the REST API uses (`core/availability.ts`): each name asked
 * of the first account, in the documented preference order, that sells its TLD (or the one named),
 * and answered with that account; `available: null` with a `reason` when nobody could say (an
 * invalid name, a TLD no configured registrar sells, a failed check), never a failed delivery.
 */
export async function domainCheck(
  ctx: EngineContext,
  data: unknown,
): Promise<{ results: AvailabilityResult[] }> {
  const parsed = parseData(CheckData, data);
  const names = parsed.domains ?? [parsed.domain!];
  const tlds = await soldTlds(ctx.env.DB);
  return {
    results: await checkAvailability(ctx.accounts, names, {
      tlds,
      account: parsed.account,
      logger: ctx.logger,
    }),
  };
}
