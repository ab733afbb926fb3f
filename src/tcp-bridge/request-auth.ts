/**
 * Who may talk to the bridge: a request signed with the shared secret (either secret during a
 * rotation), inside the 60-second window, with a nonce never seen before; and, for `/health` and
 * `/metrics` only, also a process on this host talking to it directly.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_WINDOW_SECONDS,
  TIMESTAMP_HEADER,
  verifyBridgeRequest,
} from '../providers/com35/bridge-protocol';
import { ExpiringSet } from './expiring-set';

/** What a refused request is answered with; the server turns it into its error body. */
export interface Refusal {
  status: 401 | 503;
  reason: 'unsigned' | 'replayed' | 'nonce_memory_full';
  message: string;
}

export type SignedEnv = { Variables: { body: Uint8Array } };

/**
 * Addresses of this host's own loopback connections. Only 127.0.0.1 and ::1 (and the IPv4-mapped
 * form of the first): exactly what a local scraper uses, and nothing a reverse proxy on another
 * machine can present.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Headers a reverse proxy adds. A proxy on this host connects from loopback too, so a request it
 * forwards must not count as local (Caddy sets X-Forwarded-For by default; nginx when configured).
 */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

export function isLocalRequest(remoteAddress: string | undefined, headers: Headers): boolean {
  return (
    remoteAddress !== undefined &&
    LOOPBACK.has(remoteAddress) &&
    !FORWARDING_HEADERS.some((h) => headers.has(h))
  );
}

export function createRequestAuth(opts: { secrets: readonly string[]; nonceCapacity: number }) {
  // A nonce must outlive every timestamp that could still pass the window with it: accepted at
  // `now` with a timestamp up to `now + window`, that timestamp passes until `now + 2 windows`.
  const nonces = new ExpiringSet(opts.nonceCapacity, 2 * SIGNATURE_WINDOW_SECONDS * 1000);

  /** Verify signature, window and nonce; the nonce is spent only by a correctly signed request. */
  async function check(c: Context, body: Uint8Array): Promise<Refusal | undefined> {
    const verdict = await verifyBridgeRequest(
      opts.secrets,
      {
        timestamp: c.req.header(TIMESTAMP_HEADER),
        nonce: c.req.header(NONCE_HEADER),
        signature: c.req.header(SIGNATURE_HEADER),
      },
      { method: c.req.method, path: c.req.path, body },
      Math.floor(Date.now() / 1000),
    );
    if (!verdict.ok) return { status: 401, reason: 'unsigned', message: `bridge: ${verdict.reason}` };
    const seen = nonces.add(verdict.nonce);
    if (seen === 'present')
      return { status: 401, reason: 'replayed', message: 'bridge: this nonce was already used (a replay)' };
    if (seen === 'full')
      return {
        status: 503,
        reason: 'nonce_memory_full',
        message: 'bridge: too many requests in the signature window to remember their nonces; not sent',
      };
    return undefined;
  }

  /** Every request must be signed; the body it was signed over is kept as `c.var.body`. */
  const signed =
    (refuse: (c: Context, r: Refusal) => Response): MiddlewareHandler<SignedEnv> =>
    async (c, next) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const refusal = await check(c, body);
      if (refusal) return refuse(c, refusal);
      c.set('body', body);
      await next();
    };

  /** A local process may read without signing; anyone else signs like a command. */
  const localOrSigned =
    (refuse: (c: Context, r: Refusal) => Response): MiddlewareHandler =>
    async (c, next) => {
      if (isLocalRequest(getConnInfo(c).remote.address, c.req.raw.headers)) return next();
      const refusal = await check(c, new Uint8Array(await c.req.arrayBuffer()));
      if (refusal) {
        return refuse(c, {
          ...refusal,
          message: `${refusal.message} (${c.req.path} answers only on loopback or to a signed request)`,
        });
      }
      await next();
    };

  return { signed, localOrSigned };
}
