/**
 * Per-API-key rate limiting that holds across worker isolates: a fixed one-minute window counted
 * by a Durable Object named after the key. Cloudflare runs many isolates at once, so a counter in
 * isolate memory would let a key make N × limit requests; one Durable Object per key is a single
 * instance worldwide, so every request of that key is counted in one place. The count lives in the
 * object's memory, not its storage: it costs no write per request, and losing it when an idle
 * object is evicted only ever resets a window early (lenient, never wrongly refusing).
 *
 * Why not D1 (a write on the one primary for every request) or the Workers Rate Limiting binding
 * (limits fixed in wrangler.toml, per location, not configurable per key)? See docs/decisions.md.
 */
import { DurableObject } from 'cloudflare:workers';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (the Retry-After of a refusal). */
  resetSeconds: number;
}

export const RATE_WINDOW_MS = 60_000;

export class ApiRateLimiter extends DurableObject {
  private windowStart = 0;
  private count = 0;

  /** Counts one request against `limit` per window; refused requests are not counted. */
  async hit(limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const windowStart = now - (now % RATE_WINDOW_MS);
    if (windowStart !== this.windowStart) {
      this.windowStart = windowStart;
      this.count = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((windowStart + RATE_WINDOW_MS - now) / 1000));
    if (this.count >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    this.count++;
    return { allowed: true, limit, remaining: limit - this.count, resetSeconds };
  }
}

/** Counts one request of `key` (an API key id, or `admin` for the bootstrap key). */
export async function hitRateLimit(
  namespace: DurableObjectNamespace,
  key: string,
  limit: number,
): Promise<RateLimitDecision> {
  const typed = namespace as unknown as DurableObjectNamespace<ApiRateLimiter>;
  const stub = typed.get(typed.idFromName(key));
  return stub.hit(limit);
}
