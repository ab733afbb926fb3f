/**
 * Opaque keyset cursors for the inventory listing: base64url of `[domain, account]`, the last row
 * of a page. Stable while rows are added or removed, and checked strictly when they come back.
 */
import { GatewayError } from './errors';

/** The shape a cursor must have: base64url of a small JSON array. Checked before decoding. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{4,700}$/;

export function encodeCursor(domain: string, account: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([domain, account]));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor or throws `invalid_request` naming the `cursor` field. */
export function decodeCursor(cursor: string): { domain: string; account: string } {
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
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { domain: value[0], account: value[1] };
    }
  } catch {
    // fall through to the same error
  }
  throw bad();
}
