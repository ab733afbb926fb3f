/**
 * Alibaba Cloud RPC ("POP") request signing, SignatureVersion 1.0 / HMAC-SHA1 (seed L372-502).
 *
 * Notes about this registrar's API:
 * - Parameters are sorted by NAME in code-unit order before encoding (seed L389-391). The seed's
 *   step 1d (L423) says to sort the `name=value` strings instead; the two differ when one name is a
 *   prefix of another (`DomainName` vs `DomainName.1`). We sort by name, as Alibaba's SDKs do.
 * - Percent-encoding is RFC 3986 with only `A-Z a-z 0-9 - _ . ~` left alone (L399-402): space is
 *   `%20` (never `+`), and `! ' ( ) *`, which `encodeURIComponent` leaves alone, are escaped too.
 * - StringToSign = METHOD + `&%2F&` + percentEncode(canonical query) (L424-437): the canonical
 *   query is encoded a second time, so `:` in a timestamp ends up as `%253A`.
 * - The HMAC key is the AccessKeySecret followed by `&` (L444); the result is base64 (L446).
 * - Timestamps are `YYYY-MM-DDThh:mm:ssZ` in UTC with no fractional seconds (L219).
 * - Every request needs a fresh `SignatureNonce` (L221).
 * - Lists are flattened 1-based: `DomainName.1`, `OrderRenewParam.1.DomainName` (e.g. L3739, L3660).
 *
 * The seed's own worked example (L455-502) cannot be reproduced: its StringToSign uses another
 * timestamp and version than the URL it claims to sign, prints `&` where the algorithm yields `%26`,
 * and neither printed signature matches any variant (spec §4.4). Our tests therefore use the
 * vectors computed in spec §4.5, including Alibaba's published ECS example (TV-F), which this
 * algorithm reproduces: that shows the algorithm is right and only the seed's example is broken.
 *
 * Hand-written on WebCrypto because it must run in workerd (no node:crypto) and no maintained
 * library signs Alibaba RPC requests without pulling in Node-only SDK code.
 */

/** RFC 3986 percent-encoding as Alibaba wants it (seed L397-415). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `name=value` pairs sorted by name (code-unit order), `Signature` excluded, joined with `&`. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] as string)}`)
    .join('&');
}

export type HttpMethod = 'GET' | 'POST';

export function stringToSign(method: HttpMethod, params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

function base64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** HMAC-SHA1 of the string to sign with key `secret + "&"`, base64. */
export async function hmacSha1Base64(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(`${secret}&`),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return base64(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

/** The `Signature` value for these parameters (all of them, common ones included). */
export function sign(
  method: HttpMethod,
  params: Readonly<Record<string, string>>,
  secret: string,
): Promise<string> {
  return hmacSha1Base64(secret, stringToSign(method, params));
}

/** `2019-05-17T00:00:00Z`: ISO-8601 UTC without milliseconds (seed L219). */
export function rpcTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** A unique nonce per request: a random UUID, as the seed's examples use (L466, L497). */
export function newNonce(): string {
  return crypto.randomUUID();
}

export type ParamScalar = string | number | boolean;
export type ParamValue =
  | ParamScalar
  | undefined
  | readonly ParamScalar[]
  | ReadonlyArray<Readonly<Record<string, ParamScalar | undefined>>>;

/**
 * Flatten action parameters into wire pairs: scalars as strings, lists of scalars as `Name.N`,
 * lists of structs as `Name.N.Field`, all 1-based; `undefined` values are left out.
 */
export function flattenParams(input: Readonly<Record<string, ParamValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      out[name] = String(value);
      continue;
    }
    value.forEach((item: ParamScalar | Readonly<Record<string, ParamScalar | undefined>>, i: number) => {
      const prefix = `${name}.${i + 1}`;
      if (typeof item === 'object') {
        for (const [field, v] of Object.entries(item))
          if (v !== undefined) out[`${prefix}.${field}`] = String(v);
      } else {
        out[prefix] = String(item);
      }
    });
  }
  return out;
}

/** The form body (or query string) to send: canonical pairs plus the encoded signature. */
export function encodeSigned(params: Readonly<Record<string, string>>, signature: string): string {
  return `${canonicalQuery(params)}&Signature=${percentEncode(signature)}`;
}
