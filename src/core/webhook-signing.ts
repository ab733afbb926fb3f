/**
 * Webhook signatures with WebCrypto: the Standard Webhooks scheme (inbound verification and our
 * signed outbound callbacks) and Stripe's `Stripe-Signature` scheme.
 *
 * Why not the `standardwebhooks` package here: it verifies a decoded string (not the raw bytes),
 * takes one secret per instance and reports every failure with the same error class, so "stale"
 * and "forged" could only be told apart by parsing its messages; it also hashes in pure JS.
 * WebCrypto is native in workerd and lets the HMAC run over the exact bytes received. The package
 * is still the reference: the tests sign with it and verify our callbacks with it.
 *
 * Standard Webhooks (https://www.standardwebhooks.com/): secret `whsec_<base64 key>`, signed content
 * `<webhook-id>.<webhook-timestamp>.<body>`, header `webhook-signature: v1,<base64 HMAC-SHA256>`,
 * several space-separated signatures allowed (secret rotation).
 * Stripe: header `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256>[,v1=…]`, signed content
 * `<t>.<body>`, the key is the endpoint secret's UTF-8 bytes as given (`whsec_…` included).
 */
import { toHex } from './digest';

const encoder = new TextEncoder();

/** Signatures and timestamps more than this far from now are refused (both specs say 5 minutes). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export const STANDARD_SECRET_PREFIX = 'whsec_';

export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Strict base64 decoding; undefined when the text is not base64. */
export function base64Decode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * The HMAC key of a Standard Webhooks secret: `whsec_` + base64 → the decoded bytes. A secret
 * without the prefix or that is not base64 is used as raw UTF-8 bytes (what the reference library
 * does with `format: 'raw'`), so a Stripe endpoint secret can sign callbacks too.
 */
export function standardKeyBytes(secret: string): Uint8Array {
  if (secret.startsWith(STANDARD_SECRET_PREFIX)) {
    const decoded = base64Decode(secret.slice(STANDARD_SECRET_PREFIX.length));
    if (decoded && decoded.length > 0) return decoded;
  }
  return encoder.encode(secret);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, new Uint8Array(data)));
}

/** Constant-time comparison of two byte strings (the length is not secret: signatures are fixed-size). */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function asBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** The Standard Webhooks HMAC of one message, as raw bytes. */
export async function standardSignatureBytes(
  secret: string,
  id: string,
  timestamp: number,
  body: Uint8Array | string,
): Promise<Uint8Array> {
  const content = concat(encoder.encode(`${id}.${timestamp}.`), asBytes(body));
  return hmacSha256(standardKeyBytes(secret), content);
}

/** `v1,<base64>`: the value of a `webhook-signature` header for one secret. */
export async function signStandard(
  secret: string,
  id: string,
  timestamp: number,
  body: Uint8Array | string,
): Promise<string> {
  return `v1,${base64Encode(await standardSignatureBytes(secret, id, timestamp, body))}`;
}

/** The three headers of a Standard Webhooks delivery, signed with every given secret. */
export async function standardHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: Uint8Array | string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signStandard(s, id, timestamp, body)));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

export type SignatureFailure =
  | 'missing_header'
  | 'malformed_header'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature';

export type SignatureCheck = { ok: true } | { ok: false; failure: SignatureFailure; detail: string };

const fail = (failure: SignatureFailure, detail: string): SignatureCheck => ({ ok: false, failure, detail });

/** Parses a unix-seconds timestamp and checks it is within the tolerance of `nowSeconds`. */
export function checkTimestamp(value: string, nowSeconds: number): SignatureCheck & { seconds?: number } {
  if (!/^\d{1,12}$/.test(value)) return fail('malformed_header', 'the timestamp is not unix seconds');
  const seconds = Number(value);
  if (nowSeconds - seconds > TIMESTAMP_TOLERANCE_SECONDS)
    return fail('stale_timestamp', 'the timestamp is more than 5 minutes old');
  if (seconds - nowSeconds > TIMESTAMP_TOLERANCE_SECONDS)
    return fail('future_timestamp', 'the timestamp is more than 5 minutes in the future');
  return { ok: true, seconds };
}

/**
 * Verifies a Standard Webhooks delivery: headers present and well formed, timestamp within 5
 * minutes, and at least one `v1` signature made by one of `secrets` over the raw body.
 */
export async function verifyStandard(
  secrets: readonly string[],
  headers: { id?: string; timestamp?: string; signature?: string },
  body: Uint8Array,
  nowSeconds: number,
): Promise<SignatureCheck> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) {
    const missing = [
      !id && 'webhook-id',
      !timestamp && 'webhook-timestamp',
      !signature && 'webhook-signature',
    ].filter(Boolean);
    return fail('missing_header', `missing header(s): ${missing.join(', ')}`);
  }
  if (!/^[\x21-\x7e]{1,256}$/.test(id))
    return fail('malformed_header', 'webhook-id is not a printable token');
  const time = checkTimestamp(timestamp, nowSeconds);
  if (!time.ok) return time;
  const candidates: Uint8Array[] = [];
  for (const part of signature.trim().split(/\s+/)) {
    const comma = part.indexOf(',');
    if (comma < 0) continue;
    if (part.slice(0, comma) !== 'v1') continue;
    const bytes = base64Decode(part.slice(comma + 1));
    if (bytes) candidates.push(bytes);
  }
  if (candidates.length === 0) return fail('malformed_header', 'webhook-signature has no v1 signature');
  for (const secret of secrets) {
    const expected = await standardSignatureBytes(secret, id, Number(timestamp), body);
    // Compare against every candidate without stopping early at a match inside the loop body.
    let matched = false;
    for (const candidate of candidates) matched = timingSafeEqualBytes(candidate, expected) || matched;
    if (matched) return { ok: true };
  }
  return fail('bad_signature', 'no signature matches');
}

/** `t=<unix>,v1=<hex>`: a Stripe-Signature header value (for tests and tools). */
export async function signStripe(
  secret: string,
  timestamp: number,
  body: Uint8Array | string,
): Promise<string> {
  const mac = await hmacSha256(
    encoder.encode(secret),
    concat(encoder.encode(`${timestamp}.`), asBytes(body)),
  );
  return `t=${timestamp},v1=${toHex(mac)}`;
}

function hexDecode(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Verifies a `Stripe-Signature` header as Stripe's libraries do (5-minute tolerance, any v1 matches). */
export async function verifyStripe(
  secrets: readonly string[],
  header: string | undefined,
  body: Uint8Array,
  nowSeconds: number,
): Promise<SignatureCheck> {
  if (!header) return fail('missing_header', 'missing header: Stripe-Signature');
  let timestamp: string | undefined;
  const candidates: Uint8Array[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (name === 't') timestamp = value;
    else if (name === 'v1') {
      const bytes = hexDecode(value);
      if (bytes) candidates.push(bytes);
    }
  }
  if (timestamp === undefined) return fail('malformed_header', 'Stripe-Signature has no timestamp');
  if (candidates.length === 0) return fail('malformed_header', 'Stripe-Signature has no v1 signature');
  const time = checkTimestamp(timestamp, nowSeconds);
  if (!time.ok) return time;
  const content = concat(encoder.encode(`${timestamp}.`), body);
  for (const secret of secrets) {
    const expected = await hmacSha256(encoder.encode(secret), content);
    let matched = false;
    for (const candidate of candidates) matched = timingSafeEqualBytes(candidate, expected) || matched;
    if (matched) return { ok: true };
  }
  return fail('bad_signature', 'no signature matches');
}
