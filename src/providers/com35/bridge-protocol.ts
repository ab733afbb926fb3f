/**
 * The HTTP contract between the worker's `com35` provider and the Node TCP bridge, shared by both
 * sides (pure: WebCrypto only, which workerd and Node both have).
 *
 * `POST /v1/com35/command` with JSON `{category, action, params}`; headers `X-Bridge-Timestamp`
 * (unix seconds) and `X-Bridge-Signature` = hex HMAC-SHA256(BRIDGE_SECRET, timestamp + "." + body).
 * 200 → `BridgeReply` (any 35.com code: the worker maps codes); otherwise `BridgeErrorBody`.
 */
import { z } from 'zod';
import type { ErrorKind } from '../../core/errors';

export const TIMESTAMP_HEADER = 'x-bridge-timestamp';
export const SIGNATURE_HEADER = 'x-bridge-signature';
/** Requests signed further than this from the bridge's clock are refused. */
export const SIGNATURE_WINDOW_SECONDS = 300;
export const COMMAND_PATH = '/v1/com35/command';
/**
 * `upstreamCode` of an `outcome_unknown` the bridge reports when 35.com closed the connection
 * after the request was written: the exchange is over, so re-reading the registrar's state
 * afterwards is conclusive. An unknown outcome without it (a read timeout, or the worker giving
 * up on the bridge) may still be running, and only a changed expiry can settle it.
 */
export const REPLY_LOST = 'bridge:reply_lost';

export const bridgeCommandSchema = z.object({
  category: z.string().regex(/^[a-z]+$/, 'lower-case letters'),
  action: z.string().regex(/^[A-Za-z]+$/, 'letters'),
  params: z
    .record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]))
    .optional()
    .default({}),
});
export type BridgeCommand = z.infer<typeof bridgeCommandSchema>;

export interface BridgeReply {
  code: number;
  msg: string;
  value: string;
  /** `resData` in order, repeated names kept. */
  data: Array<{ name: string; value: string }>;
  cltrid: string;
  svtrid: string;
}

export interface BridgeErrorBody {
  error: {
    kind: ErrorKind;
    message: string;
    retryable: boolean;
    upstreamCode?: string;
    retryAfter?: number;
    /** The bridge refused the command before any session took it: 35.com never saw it. */
    notSent?: boolean;
  };
}

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** hex HMAC-SHA256(secret, timestamp + "." + body). */
export async function signBridgeRequest(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
}

/** Constant-time comparison of two hex strings of equal length. */
export function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Checks a request's timestamp and signature; returns the reason when it must be refused. */
export async function verifyBridgeRequest(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
): Promise<string | undefined> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'missing X-Bridge-Timestamp or X-Bridge-Signature';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Bridge-Timestamp is not unix seconds';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return 'timestamp outside the 5-minute window';
  const expected = await signBridgeRequest(secret, timestamp, body);
  if (!sameHex(expected, signature.trim().toLowerCase())) return 'bad signature';
  return undefined;
}
