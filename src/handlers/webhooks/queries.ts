/**
 * `domain.info` and `domain.check` deliveries, answered synchronously in the webhook reply.
 *
 * Which account holds a domain: the one the sender names, else the inventory (`domains` table, kept
 * by the sync), else each configured account in turn until one knows the domain.
 */
import { z } from 'zod';
import type { Accounts } from '../../core/accounts';
import { requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest, isGatewayError } from '../../core/errors';
import type { Availability, DomainInfo } from '../../core/model';

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

async function inventoryAccount(db: D1Database, domain: string): Promise<string | undefined> {
  const row = await db
    .prepare(
      'SELECT account FROM domains WHERE domain = ? AND vanished_at IS NULL ORDER BY last_seen DESC LIMIT 1',
    )
    .bind(domain)
    .first<{ account: string }>();
  return row?.account;
}

export async function domainInfo(
  accounts: Accounts,
  db: D1Database,
  data: unknown,
): Promise<{ account: string; domain: DomainInfo }> {
  const { domain: input, account } = parseData(InfoData, data);
  const domain = requireDomainName(input, 'data.domain');
  const known = account ?? (await inventoryAccount(db, domain));
  const configured = new Set(accounts.list().map((a) => a.name));
  if (known && configured.has(known)) {
    return { account: known, domain: await accounts.get(known).getDomain(domain, {}) };
  }
  if (account) accounts.get(account); // throws not_found naming the account
  let lastError: unknown;
  for (const { name } of accounts.list()) {
    const provider = accounts.get(name);
    if (!provider.capabilities.has('getDomain')) continue;
    try {
      return { account: name, domain: await provider.getDomain(domain, {}) };
    } catch (error) {
      if (isGatewayError(error) && error.kind === 'not_found') continue;
      lastError = error;
    }
  }
  if (lastError) throw lastError;
  throw new GatewayError('not_found', { message: `no configured account holds ${domain}` });
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
      return { account: name, results: await accounts.get(name).checkAvailability(names, {}) };
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
