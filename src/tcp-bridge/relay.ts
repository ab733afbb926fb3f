/**
 * The bridge's HTTPS relay: the worker names an upstream request (method, URL, headers, body) in a
 * signed `POST /v1/relay`, and the bridge sends it from its own fixed address and streams the reply
 * back unchanged, so a registrar that only answers allow-listed addresses sees the bridge's.
 *
 * Never an open proxy: only origins of BRIDGE_ALLOWED_ORIGINS (exact scheme, host and port), no
 * redirect followed (a 3xx goes back as it came), hop-by-hop headers dropped both ways, bodies
 * capped both ways, a bounded number of relays at once. Signatures are checked before this module
 * sees a request (request-auth.ts).
 *
 * Money safety survives the hop because the bridge knows whether the request can have left: until
 * a connection to the registrar is established (for https, the TLS handshake done) nothing was
 * sent, and any failure is `not-sent`; from then on any failure is `reply-lost`, never `not-sent`.
 * A reply cut once its head was relayed cannot be reported in a header any more: the worker's
 * connection is destroyed, so the worker sees a network error while reading the body.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ACCOUNT_NAME } from '../core/account-names';
import {
  HOP_BY_HOP_HEADERS,
  RELAY_METHODS,
  RELAY_OUTCOME_HEADER,
  type RelayOutcome,
} from '../providers/com35/bridge-protocol';

/** The bridge gives up this long before the worker's deadline, so its answer still arrives in time. */
export const DEADLINE_MARGIN_MS = 500;

/** An HTTP token (RFC 9110 §5.6.2): what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node accepts in a header value: no CR, LF or other control character but tab. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const relayRequestSchema = z
  .object({
    account: z.string().regex(ACCOUNT_NAME, '1–32 lower-case letters, digits or -'),
    method: z.enum(RELAY_METHODS),
    url: z.string().min(1).max(8192),
    headers: z.array(
      z.tuple([
        z.string().regex(HEADER_NAME, 'a header name'),
        z.string().regex(HEADER_VALUE, 'a header value without control characters'),
      ]),
    ),
    body: z.base64().optional(),
    deadlineMs: z.number().int().min(1),
  })
  .strict();
export type RelayRequest = z.infer<typeof relayRequestSchema>;

export interface RelaySettings {
  /** Exact origins (`https://host[:port]`) the relay may reach; empty = the relay is off. */
  allowedOrigins: readonly string[];
  /** Local address of outgoing connections (a multi-address host; tests); unset = the system's choice. */
  sourceAddress?: string;
  /** Longest relay, whatever the worker's deadline. */
  timeoutMs: number;
  maxInFlight: number;
  /** Largest decoded request body. */
  maxBodyBytes: number;
  /** Largest reply body; a bigger one is cut (the worker's connection destroyed). */
  maxReplyBytes: number;
}

/**
 * What became of one relay request. `answered`: the reply (or the destroyed connection) is already
 * the worker's, nothing more to write; otherwise the caller answers `{reason}` with `status`.
 */
export type RelayResult = {
  outcome: RelayOutcome;
  /** The label the metrics count it under: the target's origin, once the request names one. */
  origin: string;
  status: number;
  reason?: string;
  retryAfter?: number;
  answered: boolean;
};

/**
 * The request body a relay envelope may carry once base64 and JSON are counted: the decoded cap in
 * base64, plus room for the URL and the headers. The decoded body is held to the cap itself.
 */
export function relayEnvelopeBytes(maxBodyBytes: number): number {
  return Math.ceil(maxBodyBytes / 3) * 4 + 64 * 1024;
}

/** The upstream reply's headers as Node's flat `[name, value, …]` list, minus the hop-by-hop ones. */
function endToEndHeaders(raw: readonly string[]): string[] {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  // A `Connection` header names further headers that are of this connection only (RFC 9110 §7.6.1).
  const named = new Set(
    pairs
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((n) => n.trim().toLowerCase())),
  );
  const dropped = (name: string) =>
    HOP_BY_HOP_HEADERS.has(name.toLowerCase()) || named.has(name.toLowerCase());
  return pairs.filter(([name]) => !dropped(name)).flat();
}

/** The forwarded request's headers: repeated names kept, hop-by-hop ones dropped. */
function forwardedHeaders(headers: RelayRequest['headers']): OutgoingHttpHeaders {
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((n) => n.trim().toLowerCase())),
  );
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(key) || named.has(key)) continue;
    out[key] = [...(out[key] ?? []), value];
  }
  return out;
}

/** The node error's code and message, for the worker and the log (never a URL's query). */
function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}

export class Relay {
  private inFlight = 0;
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly settings: RelaySettings) {
    this.allowed = new Set(settings.allowedOrigins);
  }

  get busy(): number {
    return this.inFlight;
  }

  /**
   * Check the request against the relay's rules, then send it. A relayed reply is written to
   * `outgoing` here; every other result is the caller's to answer.
   */
  async forward(request: RelayRequest, outgoing: ServerResponse): Promise<RelayResult> {
    const refused = (origin: string, status: number, reason: string, retryAfter?: number): RelayResult => ({
      outcome: 'not-sent',
      origin,
      status,
      reason: `bridge: ${reason}; not sent`,
      retryAfter,
      answered: false,
    });
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      return refused('none', 400, 'url is not a URL');
    }
    const origin = target.protocol === 'https:' || target.protocol === 'http:' ? target.origin : 'none';
    if (this.allowed.size === 0)
      return refused(origin, 403, 'the relay is off (BRIDGE_ALLOWED_ORIGINS is empty)');
    if (!this.allowed.has(origin)) return refused(origin, 403, `${origin} is not in BRIDGE_ALLOWED_ORIGINS`);
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'base64');
    if (body && body.length > this.settings.maxBodyBytes)
      return refused(origin, 413, `the body is larger than ${this.settings.maxBodyBytes} bytes`);
    const timeoutMs = Math.min(request.deadlineMs - DEADLINE_MARGIN_MS, this.settings.timeoutMs);
    if (timeoutMs <= 0)
      return refused(origin, 504, `a deadline of ${request.deadlineMs} ms leaves no time to relay`);
    if (this.inFlight >= this.settings.maxInFlight)
      return refused(origin, 503, `${this.settings.maxInFlight} relays are already in flight`, 1);
    this.inFlight++;
    try {
      return await this.exchange(target, origin, request, body, timeoutMs, outgoing);
    } finally {
      this.inFlight--;
    }
  }

  private exchange(
    target: URL,
    origin: string,
    request: RelayRequest,
    body: Buffer | undefined,
    timeoutMs: number,
    outgoing: ServerResponse,
  ): Promise<RelayResult> {
    return new Promise((resolve) => {
      /** Established to the registrar (for https, the handshake done): the request may leave now. */
      let connected = false;
      /** The reply's head went to the worker: from now on only destroying its connection can fail it. */
      let streaming = false;
      let settled = false;
      let cutReply: (error: Error) => void = () => {};
      const https = target.protocol === 'https:';
      const upstream = (https ? httpsRequest : httpRequest)(target, {
        method: request.method,
        headers: forwardedHeaders(request.headers),
        // A fresh connection per relay: a reused one the registrar has closed would fail after the
        // write and turn a harmless retry into `reply-lost`.
        agent: false,
        localAddress: this.settings.sourceAddress,
      });
      const settle = (result: RelayResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.off('close', onWorkerGone);
        resolve(result);
      };
      /** A failure before the reply's head: the conservative rule decides whether it was sent. */
      const failed = (reason: string, statusIfNotSent = 502) => {
        upstream.destroy();
        settle(
          connected
            ? {
                outcome: 'reply-lost',
                origin,
                status: 502,
                reason: `bridge: ${reason}; the request may have been sent`,
                answered: false,
              }
            : {
                outcome: 'not-sent',
                origin,
                status: statusIfNotSent,
                reason: `bridge: ${reason}; not sent`,
                answered: false,
              },
        );
      };
      const timer = setTimeout(() => {
        if (streaming) cutReply(new Error(`no whole reply within ${timeoutMs} ms`));
        else failed(`no reply within ${timeoutMs} ms`, 504);
      }, timeoutMs);
      // The worker went away (it gave up, or the bridge is closing): stop the upstream exchange.
      const onWorkerGone = () => {
        if (!streaming) failed('the worker closed its connection');
      };
      outgoing.once('close', onWorkerGone);

      upstream.on('socket', (socket) => {
        socket.once(https ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      upstream.on('error', (error) => {
        if (!streaming) failed(errorText(error));
      });
      upstream.on('response', (reply) => {
        streaming = true;
        const status = reply.statusCode ?? 502;
        const cap = this.settings.maxReplyBytes;
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            if (bytes > cap) callback(new Error(`the reply is larger than ${cap} bytes`));
            else callback(null, chunk);
          },
        });
        cutReply = (error) => counter.destroy(error);
        outgoing.writeHead(status, reply.statusMessage, [
          ...endToEndHeaders(reply.rawHeaders),
          RELAY_OUTCOME_HEADER,
          'relayed',
        ]);
        // On any error pipeline destroys every stream, the worker's response (so its socket)
        // included: a reply that did not arrive whole must not look whole.
        pipeline(reply, counter, outgoing).then(
          () => settle({ outcome: 'relayed', origin, status, answered: true }),
          (error: unknown) => {
            upstream.destroy();
            outgoing.destroy();
            settle({
              outcome: 'reply-lost',
              origin,
              status,
              reason: `bridge: the reply was cut (${errorText(error)}); the worker's connection was closed`,
              answered: true,
            });
          },
        );
      });
      upstream.end(body);
    });
  }
}
