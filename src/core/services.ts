/**
 * The store of the service inventory: the only module that reads or writes the `services` table
 * (migrations/0011_services.sql). A row is one renewable service — 35.com hosting or mail, MrDomain
 * hosting or certificate — at one account, as last seen at the registrar, with the renewal price
 * the registrar quoted where it has a price query.
 *
 * What fills it: the sync (core/service-sync.ts), a read through the API, the renewal engine
 * recording a confirmed expiry. What reads it: `GET /v1/services`, the bot, the dashboard, reminders.
 */
import { decodeCursor, encodeCursor } from './cursor';
import type { DomainRef, IsoDateTime, Money, ServiceInfo, ServiceKind, ServiceStatus } from './model';

/** One row of the service inventory. */
export interface InventoryService {
  account: string;
  kind: ServiceKind;
  id: string;
  provider: string;
  name: string;
  expiresAt?: IsoDateTime;
  status: ServiceStatus;
  rawStatus: string;
  renewable?: boolean;
  product?: string;
  /** One year's renewal as the registrar last quoted it (POINTS for exclusive-sale mail). */
  renewalPrice?: Money;
  ref: DomainRef;
  firstSeen: IsoDateTime;
  lastSeen: IsoDateTime;
  /** Set when a sync no longer found the service at this account. */
  vanishedAt?: IsoDateTime;
}

interface ServiceRow {
  account: string;
  kind: ServiceKind;
  id: string;
  provider: string;
  name: string;
  expires_at: string | null;
  status: ServiceStatus;
  raw_status: string;
  renewable: number | null;
  product: string | null;
  price_amount: string | null;
  price_currency: string | null;
  ref: string;
  first_seen: string;
  last_seen: string;
  vanished_at: string | null;
}

function parseRef(text: string): DomainRef {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as DomainRef) : {};
  } catch {
    return {};
  }
}

function toService(row: ServiceRow): InventoryService {
  return {
    account: row.account,
    kind: row.kind,
    id: row.id,
    provider: row.provider,
    name: row.name,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    status: row.status,
    rawStatus: row.raw_status,
    ...(row.renewable !== null ? { renewable: row.renewable !== 0 } : {}),
    ...(row.product ? { product: row.product } : {}),
    ...(row.price_amount && row.price_currency
      ? { renewalPrice: { amount: row.price_amount, currency: row.price_currency } }
      : {}),
    ref: parseRef(row.ref),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    ...(row.vanished_at ? { vanishedAt: row.vanished_at } : {}),
  };
}

/**
 * Record what the registrar said about a service (a sync, an API read), clearing `vanished_at`.
 * `price` replaces the stored quote when given; undefined keeps the last one.
 */
export function upsertService(
  db: D1Database,
  account: string,
  provider: string,
  info: ServiceInfo,
  now: IsoDateTime,
  price?: Money,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO services (account, kind, id, provider, name, expires_at, status, raw_status, renewable,
         product, price_amount, price_currency, ref, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, kind, id) DO UPDATE SET
         provider = excluded.provider, name = excluded.name, expires_at = excluded.expires_at,
         status = excluded.status, raw_status = excluded.raw_status, renewable = excluded.renewable,
         product = excluded.product,
         price_amount = COALESCE(excluded.price_amount, services.price_amount),
         price_currency = COALESCE(excluded.price_currency, services.price_currency),
         ref = excluded.ref, last_seen = excluded.last_seen, vanished_at = NULL`,
    )
    .bind(
      account,
      info.kind,
      info.id,
      provider,
      info.name,
      info.expiresAt ?? null,
      info.status,
      info.rawStatus,
      info.renewable === undefined ? null : info.renewable ? 1 : 0,
      info.product ?? null,
      price?.amount ?? null,
      price?.currency ?? null,
      JSON.stringify(info.ref),
      now,
      now,
    );
}

export function markServiceVanished(
  db: D1Database,
  account: string,
  kind: ServiceKind,
  id: string,
  now: IsoDateTime,
): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE services SET vanished_at = ? WHERE account = ? AND kind = ? AND id = ? AND vanished_at IS NULL',
    )
    .bind(now, account, kind, id);
}

/** After a confirmed renewal: the new expiry at once, so reminders stop before the next sync. */
export async function recordServiceRenewed(
  db: D1Database,
  account: string,
  kind: ServiceKind,
  id: string,
  expiresAt: IsoDateTime | undefined,
  now: IsoDateTime,
): Promise<void> {
  if (!expiresAt) return;
  await db
    .prepare('UPDATE services SET expires_at = ?, last_seen = ? WHERE account = ? AND kind = ? AND id = ?')
    .bind(expiresAt, now, account, kind, id)
    .run();
}

export async function getInventoryService(
  db: D1Database,
  account: string,
  kind: ServiceKind,
  id: string,
): Promise<InventoryService | undefined> {
  const row = await db
    .prepare('SELECT * FROM services WHERE account = ? AND kind = ? AND id = ?')
    .bind(account, kind, id)
    .first<ServiceRow>();
  return row ? toService(row) : undefined;
}

/** Every row of one account (vanished ones too), keyed `<kind>:<id>`: what a sync compares against. */
export async function accountServices(
  db: D1Database,
  account: string,
): Promise<Map<string, InventoryService>> {
  const { results } = await db
    .prepare('SELECT * FROM services WHERE account = ?')
    .bind(account)
    .all<ServiceRow>();
  return new Map(results.map((r) => [`${r.kind}:${r.id}`, toService(r)]));
}

export interface ServiceFilter {
  account?: string;
  kind?: ServiceKind;
  /** Expiring on or before this instant. */
  expiresBefore?: IsoDateTime;
  includeVanished?: boolean;
  cursor?: string;
  /** 1..500, default 100. */
  limit?: number;
}

export interface ServicePage {
  items: InventoryService[];
  nextCursor?: string;
}

/** The inventory's services, by soonest expiry (unknown expiries last), then account, kind, id. */
export async function listServices(db: D1Database, filter: ServiceFilter): Promise<ServicePage> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  const where: string[] = [];
  const values: unknown[] = [];
  if (!filter.includeVanished) where.push('vanished_at IS NULL');
  if (filter.account) {
    where.push('account = ?');
    values.push(filter.account);
  }
  if (filter.kind) {
    where.push('kind = ?');
    values.push(filter.kind);
  }
  if (filter.expiresBefore) {
    where.push('expires_at IS NOT NULL AND expires_at <= ?');
    values.push(filter.expiresBefore);
  }
  // Keyset on (sort expiry, account, kind, id); a NULL expiry sorts last as '9999'.
  const sortKey = "COALESCE(expires_at, '9999')";
  if (filter.cursor) {
    // The cursor's "domain" slot carries the item's `<kind>:<id>`.
    const { domain: item, account, sortKey: expiry = '' } = decodeCursor(filter.cursor);
    const colon = item.indexOf(':');
    where.push(`(${sortKey}, account, kind, id) > (?, ?, ?, ?)`);
    values.push(expiry, account, item.slice(0, colon), item.slice(colon + 1));
  }
  const { results } = await db
    .prepare(
      `SELECT * FROM services ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${sortKey}, account, kind, id LIMIT ?`,
    )
    .bind(...values, limit + 1)
    .all<ServiceRow>();
  const page = results.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toService),
    ...(results.length > limit && last
      ? { nextCursor: encodeCursor(`${last.kind}:${last.id}`, last.account, last.expires_at ?? '9999') }
      : {}),
  };
}

/** Live services expiring in [from, to): what reminders and the low-balance forecast read. */
export async function servicesExpiringBetween(
  db: D1Database,
  from: IsoDateTime,
  to: IsoDateTime,
): Promise<InventoryService[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM services WHERE vanished_at IS NULL AND expires_at >= ? AND expires_at < ?
       ORDER BY expires_at, account, kind, id`,
    )
    .bind(from, to)
    .all<ServiceRow>();
  return results.map(toService);
}
