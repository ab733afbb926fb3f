/**
 * The domain inventory: which configured account holds which domain, as last seen at the
 * registrar. Its rows live in the `domains` table of D1, kept by core/domains.ts; this module
 * refreshes them: `syncInventory` (hourly cron and `POST /v1/sync`) and `importDomain`
 * (`PUT /v1/domains/{d}`). The same sync refreshes which TLDs each account sells
 * (core/account-tlds.ts).
 */

import type { Provider } from '../providers/types';
import { refreshAccountTlds, type TldRefresh } from './account-tlds';
import {
  accountDomains,
  getInventoryDomain,
  type InventoryDomain,
  markVanished,
  type ObservedDomain,
  upsertObserved,
} from './domains';
import { GatewayError, isGatewayError } from './errors';
import type { Logger } from './log';
import type { DomainInfo } from './model';
import type { ProviderLookup as Accounts } from './provider-lookup';
import { type ServiceSyncResult, syncAccountServices } from './service-sync';

/** What an upsert did to one row. */
export type UpsertEffect = 'added' | 'updated' | 'unchanged';

function sameObservation(row: InventoryDomain, seen: ObservedDomain): boolean {
  return (
    row.vanishedAt === undefined &&
    (row.expiresAt ?? null) === (seen.expiresAt ?? null) &&
    JSON.stringify(row.status) === JSON.stringify(seen.status) &&
    (row.autoRenew ?? null) === (seen.autoRenew ?? null) &&
    (row.locked ?? null) === (seen.locked ?? null) &&
    JSON.stringify(row.ref) === JSON.stringify(seen.ref)
  );
}

function observedFromInfo(info: DomainInfo): ObservedDomain {
  return {
    domain: info.domain,
    expiresAt: info.expiresAt,
    status: info.status,
    autoRenew: info.autoRenew,
    locked: info.locked,
    ref: info.ref,
  };
}

/** Per-account result of a sync. `error` is set when the account could not be (fully) read. */
export interface AccountSyncResult {
  account: string;
  provider: string;
  /** `listDomains` (a full listing) or `getDomain` (re-reading known domains one by one). */
  method: 'listDomains' | 'getDomain';
  added: number;
  updated: number;
  unchanged: number;
  vanished: number;
  error?: { kind: string; message: string };
  /** The account's TLD list, refreshed from its price list; absent when the registrar has none. */
  tlds?: TldRefresh;
  /** The account's services (hosting, mail, certificates); absent when the registrar has none. */
  services?: ServiceSyncResult;
}

export interface SyncOptions {
  /** Sync only this account (default: every configured account). */
  account?: string;
  logger: Logger;
  now?: () => Date;
  signal?: AbortSignal;
}

const WRITE_BATCH = 50;

/**
 * Refreshes the inventory of one account or all of them. Accounts whose provider can list its
 * domains are listed in full: new names are added, known ones updated, and names no longer listed
 * are marked vanished (transferred away). A listing that fails part-way marks nothing vanished,
 * because an incomplete listing proves nothing. Accounts without `listDomains` (35.com) re-read
 * every domain already in the inventory with `getDomain`; a `not_found` marks it vanished.
 * One account's failure is reported in its result and does not stop the others.
 */
export async function syncInventory(
  db: D1Database,
  accounts: Accounts,
  opts: SyncOptions,
): Promise<AccountSyncResult[]> {
  const configured = accounts.list();
  const selected =
    opts.account === undefined ? configured : configured.filter((a) => a.name === opts.account);
  if (opts.account !== undefined && selected.length === 0) {
    throw new GatewayError('not_found', {
      message: `no registrar account named ${JSON.stringify(opts.account)} is configured`,
    });
  }
  const results: AccountSyncResult[] = [];
  for (const account of selected) {
    results.push(await syncAccount(db, accounts, account.name, opts));
  }
  return results;
}

async function syncAccount(
  db: D1Database,
  accounts: Accounts,
  accountName: string,
  opts: SyncOptions,
): Promise<AccountSyncResult> {
  const provider = accounts.get(accountName);
  const now = () => (opts.now ?? (() => new Date()))().toISOString();
  const result: AccountSyncResult = {
    account: accountName,
    provider: provider.key,
    method: provider.capabilities.has('listDomains') ? 'listDomains' : 'getDomain',
    added: 0,
    updated: 0,
    unchanged: 0,
    vanished: 0,
  };
  const before = await accountDomains(db, accountName);
  const count = (effect: UpsertEffect) => {
    result[effect]++;
  };
  const effectOf = (seen: ObservedDomain): UpsertEffect => {
    const row = before.get(seen.domain);
    if (!row || row.vanishedAt !== undefined) return 'added';
    return sameObservation(row, seen) ? 'unchanged' : 'updated';
  };
  try {
    if (result.method === 'listDomains') {
      const seenNames = new Set<string>();
      let pending: D1PreparedStatement[] = [];
      const stamp = now();
      for await (const summary of provider.listDomains({ signal: opts.signal })) {
        if (seenNames.has(summary.domain)) continue;
        seenNames.add(summary.domain);
        count(effectOf(summary));
        pending.push(upsertObserved(db, accountName, provider.key, summary, stamp));
        if (pending.length >= WRITE_BATCH) {
          await db.batch(pending);
          pending = [];
        }
      }
      if (pending.length) await db.batch(pending);
      const gone = [...before.values()].filter((r) => r.vanishedAt === undefined && !seenNames.has(r.domain));
      if (gone.length) {
        await db.batch(gone.map((r) => markVanished(db, r.domain, accountName, stamp)));
        result.vanished = gone.length;
      }
    } else {
      for (const row of before.values()) {
        if (row.vanishedAt !== undefined) continue;
        try {
          const info = await provider.getDomain(row.domain, { signal: opts.signal });
          const seen = observedFromInfo(info);
          count(effectOf(seen));
          await upsertObserved(db, accountName, provider.key, seen, now()).run();
        } catch (error) {
          if (isGatewayError(error) && error.kind === 'not_found') {
            await markVanished(db, row.domain, accountName, now()).run();
            result.vanished++;
          } else {
            throw error;
          }
        }
      }
    }
  } catch (error) {
    const kind = isGatewayError(error) ? error.kind : 'internal';
    const message = isGatewayError(error) ? error.message : 'unexpected error';
    opts.logger.warn('inventory sync failed for an account', { account: accountName, kind, message });
    if (!isGatewayError(error)) {
      opts.logger.error('inventory sync crashed', {
        account: accountName,
        error: error instanceof Error ? error.stack : String(error),
      });
    }
    result.error = { kind, message };
  }
  const services = await syncAccountServices(db, provider, { logger: opts.logger, now, signal: opts.signal });
  if (services) result.services = services;
  const tlds = await refreshTlds(db, provider, opts);
  if (tlds) result.tlds = tlds;
  return result;
}

/** The account's TLD list, refreshed; a failure is reported in the result, never thrown. */
async function refreshTlds(
  db: D1Database,
  provider: Provider,
  opts: SyncOptions,
): Promise<TldRefresh | undefined> {
  try {
    const refresh = await refreshAccountTlds(db, provider, { now: opts.now, signal: opts.signal });
    if (refresh?.error) {
      opts.logger.warn('TLD list not refreshed for an account', {
        account: provider.account,
        ...refresh.error,
      });
    }
    return refresh;
  } catch (error) {
    opts.logger.error('TLD list refresh crashed', {
      account: provider.account,
      error: error instanceof Error ? error.stack : String(error),
    });
    return { error: { kind: 'internal', message: 'unexpected error' } };
  }
}

/**
 * Adds one domain to the inventory after proving with `getDomain` that `account` holds it
 * (`not_found` from the registrar propagates). Returns the row and whether it was new.
 */
export async function importDomain(
  db: D1Database,
  accounts: Accounts,
  accountName: string,
  domain: string,
  opts: { signal?: AbortSignal; now?: () => Date } = {},
): Promise<{ domain: InventoryDomain; info: DomainInfo; effect: UpsertEffect }> {
  const provider = accounts.get(accountName);
  const info = await provider.getDomain(domain, { signal: opts.signal });
  if (info.domain !== domain) {
    throw new GatewayError('protocol', {
      message: `the registrar answered for ${info.domain} when asked about ${domain}`,
      provider: provider.key,
      operation: 'getDomain',
    });
  }
  const existing = await getInventoryDomain(db, domain, accountName);
  const seen = observedFromInfo(info);
  const effect: UpsertEffect =
    !existing || existing.vanishedAt !== undefined
      ? 'added'
      : sameObservation(existing, seen)
        ? 'unchanged'
        : 'updated';
  await upsertObserved(db, accountName, provider.key, seen, (opts.now?.() ?? new Date()).toISOString()).run();
  const row = await getInventoryDomain(db, domain, accountName);
  if (!row) throw new Error('inventory row missing right after upsert');
  return { domain: row, info, effect };
}

/** Cron task body: sync every account, log the counts. */
export async function syncAllAccounts(db: D1Database, accounts: Accounts, logger: Logger): Promise<void> {
  const results = await syncInventory(db, accounts, { logger });
  for (const r of results) logger.info('inventory synced', { ...r });
}
