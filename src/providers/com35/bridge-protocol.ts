/**
 * The HTTP contract between the worker's `com35` provider and the Node TCP bridge, shared by both
 * sides (pure: WebCrypto only, which workerd and Node both have).
 *
 * `POST /v1/com35/command` with JSON `{account, category, action, params, cltrid?}`; headers
 * `X-Bridge-Timestamp` (unix seconds), `X-Bridge-Nonce` (random, used once) and
 * `X-Bridge-Signature` = hex HMAC-SHA256(secret, canonical request), where the canonical request
 * binds the method, the path, the nonce, the timestamp and the SHA-256 of the body (see
 * `canonicalRequest`). The bridge refuses a timestamp more than 60 s off and a nonce it has seen.
 * 200 → `BridgeReply` (any 35.com code: the worker maps codes); otherwise `BridgeErrorBody`.
 * `account` names the 35.com account (BRIDGE_ACCOUNTS) whose sessions run the command; it is in the
 * body, so the signature covers it.
 */
import { z } from 'zod';
import { ACCOUNT_NAME } from '../../core/account-names';
import { constantTimeEqual, sha256Hex, toHex } from '../../core/digest';
import type { ErrorKind } from '../../core/errors';
import { hmacSha256 } from '../../core/webhook-signing';
import type { CallKind } from '../operation';

export const TIMESTAMP_HEADER = 'x-bridge-timestamp';
export const NONCE_HEADER = 'x-bridge-nonce';
export const SIGNATURE_HEADER = 'x-bridge-signature';
/** Requests signed further than this from the bridge's clock are refused. */
export const SIGNATURE_WINDOW_SECONDS = 60;
export const COMMAND_PATH = '/v1/com35/command';
/**
 * The bridge's HTTPS relay (docs/relay.md): a signed `POST` whose JSON body names the upstream
 * request; the reply carries `x-relay-outcome` saying whether the request may have reached the
 * registrar.
 */
export const RELAY_PATH = '/v1/relay';
export const RELAY_OUTCOME_HEADER = 'x-relay-outcome';
/**
 * `relayed`: the upstream's reply follows unchanged. `not-sent`: the request never left the bridge.
 * `reply-lost`: a connection to the registrar was made, so the request may have acted.
 */
export const RELAY_OUTCOMES = ['relayed', 'not-sent', 'reply-lost'] as const;
export type RelayOutcome = (typeof RELAY_OUTCOMES)[number];
export const RELAY_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as const;
export type RelayMethod = (typeof RELAY_METHODS)[number];

/** Headers of one connection, not of the message (RFC 9110 §7.6.1): never relayed, in either direction. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
/**
 * `upstreamCode` of an `outcome_unknown` the bridge reports when 35.com closed the connection
 * after the request was written: the exchange is over, so re-reading the registrar's state
 * afterwards is conclusive. An unknown outcome without it (a read timeout, or the worker giving
 * up on the bridge) may still be running, and only a changed expiry can settle it.
 */
export const REPLY_LOST = 'bridge:reply_lost';
/**
 * `upstreamCode` of the bridge's `conflict` for a money-spending command whose cltrid was already
 * written to 35.com: this request was not sent, but the earlier one was, and may have acted.
 */
export const ALREADY_SENT = 'bridge:already_sent';

/**
 * 35.com sessions per account: the bridge keeps this many logged in (its `BRIDGE_POOL_SIZE`
 * default), each running one command at a time (the 35.com manual, §6.5 item 3), and the worker's
 * account gate admits this many calls at once, so the gate never admits a call the bridge can only
 * queue (its queue is FIFO; spends first needs the gate to be the narrower one). The manual states
 * no limit on sessions per account (§6.5, §7.1.3): docs/decisions.md, "35.com: one number for
 * sessions and gate concurrency".
 */
export const COM35_SESSIONS_PER_ACCOUNT = 2;

/**
 * The account of a request that names none: a worker from before several accounts, whose one
 * account was `com35` (the bridge's account when BRIDGE_ACCOUNTS is unset).
 */
export const DEFAULT_BRIDGE_ACCOUNT = 'com35';
/**
 * `upstreamCode` of the bridge's refusal of an account it does not have: the worker's and the
 * bridge's account lists disagree, a configuration mistake only an operator can fix.
 */
export const UNKNOWN_ACCOUNT = 'bridge:unknown_account';

/** One command the gateway sends, as the allow-list declares it. */
export interface BridgeCommandSpec {
  category: string;
  /** What it does (operation.ts). */
  kind: CallKind;
  /**
   * The parameter that turns this spend into a price query when it is `1` (35.com's `GetPrice`,
   * manual §7.7.1): the registrar then only answers the price and validates the request, so that
   * sending is a query and carries no spending cltrid.
   */
  priceQuery?: string;
}

/** 35.com's price-query parameter (§7.7.1 价格查询): `<param name="GetPrice">1</param>`. */
export const PRICE_QUERY_PARAM = 'GetPrice';

type AllowListEntry = Omit<BridgeCommandSpec, 'category'>;

/**
 * Every 35.com command the gateway sends, by `category/action` (one action name can live in two
 * categories: `vhost/GetInfo` and `mail/GetInfo`): the client takes its kind from here and the
 * bridge forwards nothing else. A `spend` costs money: it must carry a cltrid derived from the
 * caller's idempotency key (`spendingCltrid`), and the bridge writes each such cltrid to 35.com at
 * most once; the client keeps a lost reply to it `outcome_unknown`. A spend's price query
 * (`priceQuery`) is a query and carries none.
 */
export const BRIDGE_COMMANDS = {
  'domain/CheckDomain': { kind: 'query' },
  'domain/InfoDomain': { kind: 'query' },
  'domain/InfoDomainExtra': { kind: 'query' },
  'domain/RenewDomain': { kind: 'spend' },
  'domain/UpdateDomainDns': { kind: 'change' },
  'domain/UpdateDomainStatus': { kind: 'change' },
  'domain/UpdateDomainExtra': { kind: 'change' },
  'domain/QueryRegTransfer': { kind: 'query' },
  'domain/QueryCustTransfer': { kind: 'query' },
  'account/GetAccountBalance': { kind: 'query' },
  // Hosting (§7.3.2.15 GetVhostInfo, §7.3.2.5 RenewVhost) and mail (§7.4.2.16 GetMailInfo,
  // §7.4.2.5 RenewMail), each renewal also as its §7.7.1 price query.
  'vhost/GetInfo': { kind: 'query' },
  'vhost/RenewVhost': { kind: 'spend', priceQuery: PRICE_QUERY_PARAM },
  'mail/GetInfo': { kind: 'query' },
  'mail/RenewMail': { kind: 'spend', priceQuery: PRICE_QUERY_PARAM },
} as const satisfies Record<`${string}/${string}`, AllowListEntry>;
export type BridgeCommandName = keyof typeof BRIDGE_COMMANDS;

/** The allowed command of this category/action, if any. */
export function allowedCommand(category: string, action: string): BridgeCommandSpec | undefined {
  const name = `${category}/${action}`;
  if (!Object.hasOwn(BRIDGE_COMMANDS, name)) return undefined;
  const entry: AllowListEntry = BRIDGE_COMMANDS[name as BridgeCommandName];
  return { category, ...entry };
}

/**
 * What one sending of an allowed command does: its declared kind, except a spend sent with its
 * price-query parameter at `1`, which only reads. Undefined when that parameter has any other value:
 * neither plainly a query nor plainly a renewal, so never sent.
 */
export function kindOfSending(
  spec: BridgeCommandSpec,
  params: Readonly<Record<string, string | readonly string[]>>,
): CallKind | undefined {
  if (!spec.priceQuery || !Object.hasOwn(params, spec.priceQuery)) return spec.kind;
  return params[spec.priceQuery] === '1' ? 'query' : undefined;
}

/**
 * `rnw` + 40 hex digits of SHA-256(idempotency key): deterministic, so every send of one renewal
 * carries the same cltrid, and 35.com-legal (ASCII letters and digits, far below 64 characters;
 * the manual fixes no format, only "unique, never reused").
 */
export const SPENDING_CLTRID = /^rnw[0-9a-f]{40}$/;

export async function spendingCltrid(idempotencyKey: string): Promise<string> {
  return `rnw${(await sha256Hex(idempotencyKey)).slice(0, 40)}`;
}

export const bridgeCommandSchema = z
  .object({
    account: z.string().regex(ACCOUNT_NAME, '1–32 lower-case letters, digits or -').optional(),
    category: z.string().regex(/^[a-z]+$/, 'lower-case letters'),
    action: z.string().regex(/^[A-Za-z]+$/, 'letters'),
    params: z
      .record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]))
      .optional()
      .default({}),
    cltrid: z.string().regex(SPENDING_CLTRID, 'rnw + 40 hex digits (spendingCltrid)').optional(),
  })
  .strict();
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

/** What a signature covers. */
export interface SignedRequest {
  method: string;
  /** The URL path, without the query (the bridge reads none). */
  path: string;
  nonce: string;
  timestamp: string;
  /** The body exactly as sent (a string is taken as its UTF-8 bytes). */
  body: string | Uint8Array;
}

/**
 * `v2\n<METHOD>\n<path>\n<nonce>\n<timestamp>\n<hex sha256(body)>`: one line per field. None can
 * hold a newline (method and path come from the request line, nonce and timestamp are checked
 * against their patterns), so two different requests never share a canonical form.
 */
export async function canonicalRequest(r: SignedRequest): Promise<string> {
  return ['v2', r.method.toUpperCase(), r.path, r.nonce, r.timestamp, await sha256Hex(r.body)].join('\n');
}

/** hex HMAC-SHA256(secret, canonical request). */
export async function signBridgeRequest(secret: string, r: SignedRequest): Promise<string> {
  return macOf(secret, await canonicalRequest(r));
}

async function macOf(secret: string, canonical: string): Promise<string> {
  return toHex(await hmacSha256(encoder.encode(secret), encoder.encode(canonical)));
}

/** The three headers of a signed request, with a fresh nonce and the current time. */
export async function signedBridgeHeaders(
  secret: string,
  r: { method: string; path: string; body: string | Uint8Array },
  opts: { nowSeconds?: number; nonce?: string } = {},
): Promise<Record<string, string>> {
  const timestamp = String(opts.nowSeconds ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? crypto.randomUUID().replace(/-/g, '');
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: await signBridgeRequest(secret, { ...r, nonce, timestamp }),
  };
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export type Verdict = { ok: true; nonce: string; timestamp: number } | { ok: false; reason: string };

/**
 * Checks a request's timestamp and signature against every accepted secret (two during a
 * rotation). Whether the nonce was seen before is the caller's to check, after this passed.
 */
export async function verifyBridgeRequest(
  secrets: readonly string[],
  headers: { timestamp: string | undefined; nonce: string | undefined; signature: string | undefined },
  request: { method: string; path: string; body: string | Uint8Array },
  nowSeconds: number,
): Promise<Verdict> {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature)
    return { ok: false, reason: 'missing X-Bridge-Timestamp, X-Bridge-Nonce or X-Bridge-Signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Bridge-Timestamp is not unix seconds' };
  if (!NONCE.test(nonce)) return { ok: false, reason: 'X-Bridge-Nonce is not 16-64 letters, digits, _ or -' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, reason: `timestamp outside the ${SIGNATURE_WINDOW_SECONDS}-second window` };
  const given = signature.trim().toLowerCase();
  // The body is hashed once, whatever the number of secrets in force.
  const canonical = await canonicalRequest({ ...request, nonce, timestamp });
  for (const secret of secrets) {
    if (constantTimeEqual(await macOf(secret, canonical), given))
      return { ok: true, nonce, timestamp: Number(timestamp) };
  }
  return { ok: false, reason: 'bad signature' };
}
