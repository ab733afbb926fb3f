/**
 * Opaque keyset cursors for the inventory listing: base64url of `[domain, account]`, the last row
 * of a page, plus that row's sort key when the listing is ordered by something else than the name
 * (`[domain, account, key]`). Stable while rows are added or removed, and checked strictly when
 * they come back.
 */
import { GatewayError } from './errors';

/** The shape a cursor must have: base64url of a small JSON array. Checked before decoding. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{4,700}$/;

export interface InventoryCursor {
  domain: string;
  account: string;
  /** The row's sort key, when the listing is not in name order. */
  sortKey?: string;
}

export function encodeCursor(domain: string, account: string, sortKey?: string): string {
  const value = sortKey === undefined ? [domain, account] : [domain, account, sortKey];
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor or throws `invalid_request` naming the `cursor` field. */
export function decodeCursor(cursor: string): InventoryCursor {
  const bad = () =>
    new GatewayError('invalid_request', {
      message: 'cursor: not a cursor returned by this API',
      fields: [{ field: 'cursor', reason: 'not a cursor returned by this API' }],
    });
  if (!CURSOR_PATTERN.test(cursor)) throw bad();
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    const value = JSON.parse(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
    ) as unknown;
    if (
      Array.isArray(value) &&
      (value.length === 2 || value.length === 3) &&
      value.every((part) => typeof part === 'string')
    ) {
      const [domain, account, sortKey] = value as [string, string, string?];
      return sortKey === undefined ? { domain, account } : { domain, account, sortKey };
    }
  } catch {
    // fall through to the same error
  }
  throw bad();
}
