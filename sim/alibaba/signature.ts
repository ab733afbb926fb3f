/**
 * The simulator's own signature check, written from the document (the Alibaba Cloud Domain "API
 * Reference (New)", §3.5 Signature) and independent of the client's
 * signer (src/providers/alibaba/signature.ts), so a bug in one is not mirrored by the other.
 *
 * It follows the document's Java recipe literally (§3.5, step 1): form-encode like `java.net.URLEncoder`
 * (letters, digits and `. - * _` kept, space as `+`, all else `%XY` of the UTF-8 bytes), then
 * replace `+` → `%20`, `*` → `%2A`, `%7E` → `~`. Parameters are sorted by name in code-unit order
 * (Java's `TreeMap<String,…>`), StringToSign = METHOD&%2F&encode(canonical) (step 2), and the
 * HMAC-SHA1 key is the secret plus `&` (step 3).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const KEEP = /[A-Za-z0-9.\-*_]/;

function urlEncoderEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (KEEP.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function seedPercentEncode(value: string): string {
  return urlEncoderEncode(value).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

export function serverStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  const names = [...params.keys()].filter((n) => n !== 'Signature').sort();
  const canonical = names
    .map((n) => `${seedPercentEncode(n)}=${seedPercentEncode(params.get(n) as string)}`)
    .join('&');
  return `${method}&${seedPercentEncode('/')}&${seedPercentEncode(canonical)}`;
}

export function serverSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Constant-time comparison of the received and the expected signature. */
export function signaturesMatch(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
