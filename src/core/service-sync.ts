/**
 * The service half of the inventory sync: an account whose registrar has services (35.com hosting
 * and mail, MrDomain hosting and certificates) is listed with `listServices` beside its domains;
 * services no longer listed are marked vanished, and where the registrar has a price query its
 * 1-year renewal price is quoted and kept (reminders and the low-balance forecast read it).
 */
import type { Provider } from '../providers/types';
import { GatewayError, isGatewayError } from './errors';
import type { Logger } from './log';
import type { IsoDateTime, Money, ServiceInfo } from './model';
import { accountServices, type InventoryService, markServiceVanished, upsertService } from './services';

export interface ServiceSyncResult {
  added: number;
  updated: number;
  unchanged: number;
  vanished: number;
  error?: { kind: string; message: string };
}

function sameObservation(row: InventoryService, seen: ServiceInfo): boolean {
  return (
    row.vanishedAt === undefined &&
    (row.expiresAt ?? null) === (seen.expiresAt ?? null) &&
    row.status === seen.status &&
    row.rawStatus === seen.rawStatus &&
    (row.renewable ?? null) === (seen.renewable ?? null) &&
    (row.product ?? null) === (seen.product ?? null) &&
    JSON.stringify(row.ref) === JSON.stringify(seen.ref)
  );
}

/**
 * One year's renewal price, where the registrar quotes one; undefined when it has no price query
 * or refuses to quote (a service at the ten-year ceiling has no 1-year renewal to price).
 */
async function quoteOneYear(
  provider: Provider,
  info: ServiceInfo,
  logger: Logger,
): Promise<Money | undefined> {
  if (!provider.capabilities.has('quoteServiceRenewal') || !info.expiresAt) return undefined;
  try {
    return await provider.quoteServiceRenewal(
      { kind: info.kind, id: info.id },
      { years: 1, expectedExpiry: info.expiresAt },
      {},
    );
  } catch (error) {
    if (isGatewayError(error) && !error.retryable) return undefined;
    logger.warn('service renewal price not quoted', {
      account: provider.account,
      service: `${info.kind}:${info.id}`,
      error: isGatewayError(error) ? error.message : String(error),
    });
    return undefined;
  }
}

/** Syncs one account's services; undefined when its registrar has none. Never throws. */
export async function syncAccountServices(
  db: D1Database,
  provider: Provider,
  opts: { logger: Logger; now: () => IsoDateTime; signal?: AbortSignal },
): Promise<ServiceSyncResult | undefined> {
  if (provider.serviceKinds.length === 0 || !provider.capabilities.has('listServices')) return undefined;
  const result: ServiceSyncResult = { added: 0, updated: 0, unchanged: 0, vanished: 0 };
  try {
    const before = await accountServices(db, provider.account);
    const seen = new Set<string>();
    const stamp = opts.now();
    for await (const info of provider.listServices({ signal: opts.signal })) {
      const key = `${info.kind}:${info.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = before.get(key);
      const effect =
        !row || row.vanishedAt !== undefined ? 'added' : sameObservation(row, info) ? 'unchanged' : 'updated';
      result[effect]++;
      const price = await quoteOneYear(provider, info, opts.logger);
      await upsertService(db, provider.account, provider.key, info, stamp, price).run();
    }
    // Only a complete listing reaches here: a failure part-way proves nothing and marks nothing.
    const gone = [...before.values()].filter(
      (r) => r.vanishedAt === undefined && !seen.has(`${r.kind}:${r.id}`),
    );
    if (gone.length > 0) {
      await db.batch(gone.map((r) => markServiceVanished(db, provider.account, r.kind, r.id, stamp)));
      result.vanished = gone.length;
    }
  } catch (error) {
    const known = isGatewayError(error) ? error : undefined;
    opts.logger.warn('service sync failed for an account', {
      account: provider.account,
      kind: known?.kind ?? 'internal',
      message: known?.message ?? String(error),
    });
    result.error = { kind: known?.kind ?? 'internal', message: known?.message ?? 'unexpected error' };
  }
  return result;
}

/**
 * Reads one service at the registrar and records it (a `GET /v1/services/{account}/{kind}/{id}`):
 * how a 35.com service not declared in the account's list still enters the inventory.
 */
export async function readService(
  db: D1Database,
  provider: Provider,
  ref: { kind: ServiceInfo['kind']; id: string },
  opts: { logger: Logger; now: () => IsoDateTime; signal?: AbortSignal },
): Promise<{ info: ServiceInfo; renewalPrice?: Money }> {
  if (!provider.serviceKinds.includes(ref.kind)) {
    throw new GatewayError('unsupported', {
      message: `account ${provider.account} (${provider.key}) has no ${ref.kind} services`,
      provider: provider.key,
      operation: 'getService',
    });
  }
  const info = await provider.getService(ref, { signal: opts.signal });
  const price = await quoteOneYear(provider, info, opts.logger);
  await upsertService(db, provider.account, provider.key, info, opts.now(), price).run();
  return { info, ...(price ? { renewalPrice: price } : {}) };
}
