/**
 * MD5 as 32 lowercase hex characters, for 35.com's message checksums (not for security).
 *
 * The runtime's own: `node:crypto` in Node (bridge, simulator) and in workerd under `nodejs_compat`.
 * WebCrypto's `crypto.subtle.digest('MD5')` exists in workerd but not in Node, and is async.
 */
import { createHash } from 'node:crypto';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
