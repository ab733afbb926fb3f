/**
 * The store of the domain inventory: the only module that reads or writes the `domains` table of
 * D1 (migrations/0001_core.sql), so what a row means is decided in one place
 * (test/node/table-owners.test.ts keeps it that way).
 *
 * What fills it lives elsewhere: the sync and the import (core/inventory.ts), the renewal engine
 * recording a confirmed expiry, the REST API recording a setting it just changed. The REST API and
 * the bot list it, the renewal engine asks it which account holds a name, reminders read expiries.
 */
import { decodeCursor, encodeCursor } from './cursor';
import { GatewayError } from './errors';
import type { DomainRef, DomainStatus, DomainSummary, IsoDateTime } from './model';

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

/** What a registrar said about a domain, as the inventory keeps it. */
export type ObservedDomain = Pick<
  DomainSummary,
  'domain' | 'expiresAt' | 'status' | 'autoRenew' | 'locked' | 'ref'
>;

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

/** Every row of one account (vanished ones too), by domain name: what a sync compares against. */
export async function accountDomains(db: D1Database, account: string): Promise<Map<string, InventoryDomain>> {
  const { results } = await db
    .prepare('SELECT * FROM domains WHERE account = ?')
    .bind(account)
    .all<DomainRow>();
  return new Map(results.map((r) => [r.domain, toInventoryDomain(r)]));
}

export type InventorySort = 'domain' | 'expiry';

export interface InventoryFilter {
  account?: string;
  /** Only domains whose expiry is at or before now + this many days (already expired included). */
  expiringWithinDays?: number;
  /** Only domains carrying this normalized status. */
  status?: DomainStatus;
  /** Only names containing this text (lower case A-label text; a plain substring, no wildcards). */
  nameContains?: string;
  /** Only names under this TLD or suffix (`com`, `co.uk`), without the leading dot. */
  tld?: string;
  /** `domain` (default): by name; `expiry`: soonest first, domains without an expiry last. */
  sort?: InventorySort;
  /** Opaque cursor from a previous page's `nextCursor` (of the same sort). */
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

/** Sorts after every ISO date, so domains whose expiry is unknown come last in expiry order. */
const NO_EXPIRY = '~';
const EXPIRY_KEY = `IFNULL(expires_at, '${NO_EXPIRY}')`;

/** The WHERE conditions of a filter (the cursor aside), with their parameters. */
function filterConditions(filter: InventoryFilter): { where: string[]; params: unknown[] } {
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
  if (filter.nameContains) {
    // instr, not LIKE: `_` and `%` in what an operator types are letters, not wildcards.
    where.push('instr(domain, ?) > 0');
    params.push(filter.nameContains);
  }
  if (filter.tld) {
    const suffix = `.${filter.tld}`;
    where.push('substr(domain, -?) = ?');
    params.push(suffix.length, suffix);
  }
  return { where, params };
}

/** The condition "after the cursor's row" in the listing's order. */
function afterCursor(cursor: string, sort: InventorySort): { condition: string; params: unknown[] } {
  const after = decodeCursor(cursor);
  const byName = '(domain > ? OR (domain = ? AND account > ?))';
  const nameParams = [after.domain, after.domain, after.account];
  if (sort === 'domain') {
    if (after.sortKey !== undefined) throw wrongSortCursor();
    return { condition: byName, params: nameParams };
  }
  if (after.sortKey === undefined) throw wrongSortCursor();
  return {
    condition: `(${EXPIRY_KEY} > ? OR (${EXPIRY_KEY} = ? AND ${byName}))`,
    params: [after.sortKey, after.sortKey, ...nameParams],
  };
}

function wrongSortCursor(): GatewayError {
  return new GatewayError('invalid_request', {
    message: 'cursor: made for another sort order',
    fields: [{ field: 'cursor', reason: 'made for another sort order' }],
  });
}

/**
 * A page of the inventory in (domain, account) order, or (expiry, domain, account) order. Keyset
 * paging: a page costs the same at row 10 and at row 10,000, and nothing loads the whole table.
 */
export async function listInventory(db: D1Database, filter: InventoryFilter): Promise<InventoryPage> {
  const sort = filter.sort ?? 'domain';
  const { where, params } = filterConditions(filter);
  if (filter.cursor !== undefined) {
    const after = afterCursor(filter.cursor, sort);
    where.push(after.condition);
    params.push(...after.params);
  }
  const order = sort === 'domain' ? 'domain, account' : `${EXPIRY_KEY}, domain, account`;
  const sql = `SELECT * FROM domains${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
  params.push(filter.limit + 1);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<DomainRow>();
  const rows = results.slice(0, filter.limit).map(toInventoryDomain);
  const last = rows[rows.length - 1];
  if (results.length <= filter.limit || !last) return { items: rows };
  const sortKey = sort === 'domain' ? undefined : (last.expiresAt ?? NO_EXPIRY);
  return { items: rows, nextCursor: encodeCursor(last.domain, last.account, sortKey) };
}

/** The accounts that hold at least one domain in the inventory, by name (for a filter's choices). */
export async function inventoryAccounts(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT DISTINCT account FROM domains WHERE vanished_at IS NULL ORDER BY account')
    .all<{ account: string }>();
  return results.map((r) => r.account);
}

/**
 * Held domains whose expiry falls within [`from`, `to`] (ISO instants), soonest first; of one
 * account when `account` is given. Reminders and the balance forecast read expiries from here.
 */
export async function domainsExpiringBetween(
  db: D1Database,
  range: { from: IsoDateTime; to: IsoDateTime; account?: string },
): Promise<Array<InventoryDomain & { expiresAt: IsoDateTime }>> {
  const ofAccount = range.account === undefined ? '' : 'AND account = ?';
  const { results } = await db
    .prepare(
      `SELECT * FROM domains
       WHERE vanished_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? AND expires_at >= ? ${ofAccount}
       ORDER BY expires_at`,
    )
    .bind(range.to, range.from, ...(range.account === undefined ? [] : [range.account]))
    .all<DomainRow & { expires_at: string }>();
  return results.map((r) => ({ ...toInventoryDomain(r), expiresAt: r.expires_at }));
}

/**
 * The statement that records what a registrar said about a domain at `account`: a new row, or
 * the known row refreshed (and no longer vanished). A statement, so a sync can batch many.
 */
export function upsertObserved(
  db: D1Database,
  account: string,
  provider: string,
  seen: ObservedDomain,
  now: IsoDateTime,
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

/** The statement that marks a domain gone from `account` (a sync no longer found it there). */
export function markVanished(
  db: D1Database,
  domain: string,
  account: string,
  at: IsoDateTime,
): D1PreparedStatement {
  return db
    .prepare('UPDATE domains SET vanished_at = ? WHERE domain = ? AND account = ?')
    .bind(at, domain, account);
}

/** Record a confirmed renewal's new expiry at once, so reminders stop before the next sync. */
export async function recordRenewedExpiry(
  db: D1Database,
  domain: string,
  account: string,
  expiresAt: IsoDateTime,
  seenAt: IsoDateTime,
): Promise<void> {
  await db
    .prepare('UPDATE domains SET expires_at = ?, last_seen = ? WHERE domain = ? AND account = ?')
    .bind(expiresAt, seenAt, domain, account)
    .run();
}

/** Record a registrar setting just changed through the gateway (no row: nothing to do). */
export async function recordSetting(
  db: D1Database,
  domain: string,
  account: string,
  change: { locked: boolean } | { autoRenew: boolean },
): Promise<void> {
  const [column, value] = 'locked' in change ? ['locked', change.locked] : ['auto_renew', change.autoRenew];
  await db
    .prepare(`UPDATE domains SET ${column} = ? WHERE domain = ? AND account = ?`)
    .bind(fromBool(value), domain, account)
    .run();
}
