/**
 * The domain inventory: which configured account holds which domain, as last seen at the
 * registrar. It lives in the `domains` table of D1 (migrations/0001_core.sql) and is refreshed by
 * `syncInventory` (hourly cron and `POST /v1/sync`) and by `importDomain` (`PUT /v1/domains/{d}`).
 * The same sync refreshes which TLDs each account sells (core/account-tlds.ts).
 *
 * The REST API lists it, the renewal engine asks it which account holds a name
 * (`findHoldingAccounts`), and reminders read expiries from it.
 */

import type { Provider } from '../providers/types';
import { refreshAccountTlds, type TldRefresh } from './account-tlds';
import { decodeCursor, encodeCursor } from './cursor';
import { GatewayError, isGatewayError } from './errors';
import type { Logger } from './log';
import type { DomainInfo, DomainRef, DomainStatus, DomainSummary, IsoDateTime } from './model';
import type { ProviderLookup as Accounts } from './provider-lookup';

export { CURSOR_PATTERN, decodeCursor, encodeCursor } from './cursor';

/** One row of the inventory. */
export interface InventoryDomain {
  domain: string;
  account: string;
  provider: string;
  expiresAt?: IsoDateTime;
  status: DomainStatus[];
  autoRenew?: boolean;
  locked?: boolean;
  ref: DomainRef;
  firstSeen: IsoDateTime;
  lastSeen: IsoDateTime;
  /** Set when a sync no longer found the domain at this account (transferred away or deleted). */
  vanishedAt?: IsoDateTime;
}

interface DomainRow {
  domain: string;
  account: string;
  provider: string;
  expires_at: string | null;
  status: string;
  auto_renew: number | null;
  locked: number | null;
  ref: string;
  first_seen: string;
  last_seen: string;
  vanished_at: string | null;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toBool(value: number | null): boolean | undefined {
  return value === null ? undefined : value !== 0;
}

function fromBool(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

function toInventoryDomain(row: DomainRow): InventoryDomain {
  return {
    domain: row.domain,
    account: row.account,
    provider: row.provider,
    expiresAt: row.expires_at ?? undefined,
    status: parseJson<DomainStatus[]>(row.status, []),
    autoRenew: toBool(row.auto_renew),
    locked: toBool(row.locked),
    ref: parseJson<DomainRef>(row.ref, {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    vanishedAt: row.vanished_at ?? undefined,
  };
}

/**
 * The accounts that currently hold `domain` (normalized A-label), according to the inventory:
 * rows not marked vanished, the most recently confirmed first. Empty when no account holds it.
 * Used by `GET /v1/domains/{domain}` without `account` and by the renewal engine.
 */
export async function findHoldingAccounts(db: D1Database, domain: string): Promise<InventoryDomain[]> {
  const { results } = await db
    .prepare(
      'SELECT * FROM domains WHERE domain = ? AND vanished_at IS NULL ORDER BY last_seen DESC, account',
    )
    .bind(domain)
    .all<DomainRow>();
  return results.map(toInventoryDomain);
}

/** One inventory row (also a vanished one), or undefined. */
export async function getInventoryDomain(
  db: D1Database,
  domain: string,
  account: string,
): Promise<InventoryDomain | undefined> {
  const row = await db
    .prepare('SELECT * FROM domains WHERE domain = ? AND account = ?')
    .bind(domain, account)
    .first<DomainRow>();
  return row ? toInventoryDomain(row) : undefined;
}

export interface InventoryFilter {
  account?: string;
  /** Only domains whose expiry is at or before now + this many days (already expired included). */
  expiringWithinDays?: number;
  /** Only domains carrying this normalized status. */
  status?: DomainStatus;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, 1–500. */
  limit: number;
  /** Include rows marked vanished (default: only domains still held). */
  includeVanished?: boolean;
  now?: Date;
}

export interface InventoryPage {
  items: InventoryDomain[];
  /** Present when more rows follow: pass it back as `cursor`. */
  nextCursor?: string;
}

/** A page of the inventory in (domain, account) order. */
export async function listInventory(db: D1Database, filter: InventoryFilter): Promise<InventoryPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.includeVanished) where.push('vanished_at IS NULL');
  if (filter.account !== undefined) {
    where.push('account = ?');
    params.push(filter.account);
  }
  if (filter.expiringWithinDays !== undefined) {
    const limit = new Date((filter.now ?? new Date()).getTime() + filter.expiringWithinDays * 86_400_000);
    where.push('expires_at IS NOT NULL AND expires_at <= ?');
    params.push(limit.toISOString());
  }
  if (filter.status !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(domains.status) WHERE json_each.value = ?)');
    params.push(filter.status);
  }
  if (filter.cursor !== undefined) {
    const after = decodeCursor(filter.cursor);
    where.push('(domain > ? OR (domain = ? AND account > ?))');
    params.push(after.domain, after.domain, after.account);
  }
  const sql = `SELECT * FROM domains${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY domain, account LIMIT ?`;
  params.push(filter.limit + 1);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<DomainRow>();
  const rows = results.slice(0, filter.limit).map(toInventoryDomain);
  const last = rows[rows.length - 1];
  return {
    items: rows,
    nextCursor: results.length > filter.limit && last ? encodeCursor(last.domain, last.account) : undefined,
  };
}

type Observed = Pick<DomainSummary, 'domain' | 'expiresAt' | 'status' | 'autoRenew' | 'locked' | 'ref'>;

/** What `upsertObserved` did to one row. */
export type UpsertEffect = 'added' | 'updated' | 'unchanged';

function sameObservation(row: InventoryDomain, seen: Observed): boolean {
  return (
    row.vanishedAt === undefined &&
    (row.expiresAt ?? null) === (seen.expiresAt ?? null) &&
    JSON.stringify(row.status) === JSON.stringify(seen.status) &&
    (row.autoRenew ?? null) === (seen.autoRenew ?? null) &&
    (row.locked ?? null) === (seen.locked ?? null) &&
    JSON.stringify(row.ref) === JSON.stringify(seen.ref)
  );
}

function upsertStatement(
  db: D1Database,
  account: string,
  provider: string,
  seen: Observed,
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO domains (domain, account, provider, expires_at, status, auto_renew, locked, ref, first_seen, last_seen, vanished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (domain, account) DO UPDATE SET
         provider = excluded.provider, expires_at = excluded.expires_at, status = excluded.status,
         auto_renew = excluded.auto_renew, locked = excluded.locked, ref = excluded.ref,
         last_seen = excluded.last_seen, vanished_at = NULL`,
    )
    .bind(
      seen.domain,
      account,
      provider,
      seen.expiresAt ?? null,
      JSON.stringify(seen.status),
      fromBool(seen.autoRenew),
      fromBool(seen.locked),
      JSON.stringify(seen.ref ?? {}),
      now,
      now,
    );
}

function observedFromInfo(info: DomainInfo): Observed {
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

async function currentRows(db: D1Database, account: string): Promise<Map<string, InventoryDomain>> {
  const { results } = await db
    .prepare('SELECT * FROM domains WHERE account = ?')
    .bind(account)
    .all<DomainRow>();
  return new Map(results.map((r) => [r.domain, toInventoryDomain(r)]));
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
  const before = await currentRows(db, accountName);
  const count = (effect: UpsertEffect) => {
    result[effect]++;
  };
  const effectOf = (seen: Observed): UpsertEffect => {
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
        pending.push(upsertStatement(db, accountName, provider.key, summary, stamp));
        if (pending.length >= WRITE_BATCH) {
          await db.batch(pending);
          pending = [];
        }
      }
      if (pending.length) await db.batch(pending);
      const gone = [...before.values()].filter((r) => r.vanishedAt === undefined && !seenNames.has(r.domain));
      if (gone.length) {
        await db.batch(
          gone.map((r) =>
            db
              .prepare('UPDATE domains SET vanished_at = ? WHERE domain = ? AND account = ?')
              .bind(stamp, r.domain, accountName),
          ),
        );
        result.vanished = gone.length;
      }
    } else {
      for (const row of before.values()) {
        if (row.vanishedAt !== undefined) continue;
        try {
          const info = await provider.getDomain(row.domain, { signal: opts.signal });
          const seen = observedFromInfo(info);
          count(effectOf(seen));
          await upsertStatement(db, accountName, provider.key, seen, now()).run();
        } catch (error) {
          if (isGatewayError(error) && error.kind === 'not_found') {
            await db
              .prepare('UPDATE domains SET vanished_at = ? WHERE domain = ? AND account = ?')
              .bind(now(), row.domain, accountName)
              .run();
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
  await upsertStatement(
    db,
    accountName,
    provider.key,
    seen,
    (opts.now?.() ?? new Date()).toISOString(),
  ).run();
  const row = await getInventoryDomain(db, domain, accountName);
  if (!row) throw new Error('inventory row missing right after upsert');
  return { domain: row, info, effect };
}

/** Cron task body: sync every account, log the counts. */
export async function syncAllAccounts(db: D1Database, accounts: Accounts, logger: Logger): Promise<void> {
  const results = await syncInventory(db, accounts, { logger });
  for (const r of results) logger.info('inventory synced', { ...r });
}
