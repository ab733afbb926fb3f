/**
 * Per-API-key rate limiting that holds across worker isolates, without a Durable Object round trip
 * on most requests: a fixed one-minute window counted by a Durable Object named after the key (the
 * authority), and in each isolate a pre-check that admits a key's request on its own while the key
 * is far from its limit, reporting what it admitted on its next trip to the object.
 *
 * The rule (docs/decisions.md, "Per-key rate limit: …"): an isolate that last heard the key had
 * used `known` of `limit` in this window may admit up to ⌊(limit − known) / 10⌋ requests before it
 * asks again, and asks at least every SYNC_MS while the key is busy. Below 10 left, every request
 * is decided by the object. One isolate alone never lets a key over its limit; several serving the
 * same key at once can each be at most a tenth of what was left over it. Admissions an isolate
 * never reported (it was evicted) are simply not counted: lenient, never wrongly refusing.
 *
 * The count lives in the object's memory, not its storage: it costs no write per request, and
 * losing it when an idle object is evicted only resets a window early (lenient again).
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

/** The object's answer: the decision and the key's count in the window, this request included. */
export interface RateLimitCount extends RateLimitDecision {
  count: number;
  windowStart: number;
}

export const RATE_WINDOW_MS = 60_000;
/** An isolate admits on its own at most 1/LOCAL_SHARE of what the key had left when it last asked. */
export const LOCAL_SHARE = 10;
/** A busy key's isolate reports to the object at least this often, so other isolates see fresh counts. */
export const SYNC_MS = 2_000;
/** Keys an isolate keeps a window for; past it, ended windows are dropped (then all: lenient). */
const MAX_KEYS = 10_000;

const windowOf = (now: number) => now - (now % RATE_WINDOW_MS);
const resetSecondsAt = (windowStart: number, now: number) =>
  Math.max(1, Math.ceil((windowStart + RATE_WINDOW_MS - now) / 1000));

export class ApiRateLimiter extends DurableObject {
  private windowStart = 0;
  private count = 0;

  /**
   * Adds `reported` requests an isolate already admitted in window `reportedWindow` (dropped when
   * that window has ended), then decides one more against `limit`; refused requests are not counted.
   */
  async hit(limit: number, reported = 0, reportedWindow?: number, now = Date.now()): Promise<RateLimitCount> {
    const windowStart = windowOf(now);
    if (windowStart !== this.windowStart) {
      this.windowStart = windowStart;
      this.count = 0;
    }
    if (reported > 0 && reportedWindow === windowStart) this.count += reported;
    const resetSeconds = resetSecondsAt(windowStart, now);
    const allowed = this.count < limit;
    if (allowed) this.count++;
    const remaining = Math.max(0, limit - this.count);
    return { allowed, limit, remaining, resetSeconds, count: this.count, windowStart };
  }
}

interface KeyWindow {
  windowStart: number;
  /** The object's count at this isolate's last answer; undefined until the first answer. */
  known?: number;
  /** Admitted here since the last report. */
  pending: number;
  reportedAt: number;
}

/** This isolate's view of every key it has served (module state: one per isolate). */
const windows = new Map<string, KeyWindow>();

function windowFor(key: string, now: number): KeyWindow {
  const windowStart = windowOf(now);
  let w = windows.get(key);
  if (w?.windowStart === windowStart) return w;
  // A new window: what this isolate admitted in the last one and never reported is not counted.
  if (!w && windows.size >= MAX_KEYS) {
    for (const [k, old] of windows) if (old.windowStart !== windowStart) windows.delete(k);
    if (windows.size >= MAX_KEYS) windows.clear();
  }
  w = { windowStart, pending: 0, reportedAt: now };
  windows.set(key, w);
  return w;
}

/** How many this isolate may still admit on its own for the key (0: ask the object). */
function localCredit(w: KeyWindow, limit: number, now: number): number {
  if (w.known === undefined || now - w.reportedAt >= SYNC_MS) return 0;
  return Math.floor((limit - w.known) / LOCAL_SHARE) - w.pending;
}

/** Counts one request of `key` (an API key id, or `admin_key` for the bootstrap key). */
export async function hitRateLimit(
  namespace: DurableObjectNamespace,
  key: string,
  limit: number,
): Promise<RateLimitDecision> {
  const now = Date.now();
  const w = windowFor(key, now);
  if (localCredit(w, limit, now) > 0) {
    w.pending++;
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, limit - (w.known ?? 0) - w.pending),
      resetSeconds: resetSecondsAt(w.windowStart, now),
    };
  }
  // Near the limit, first in this window, or time to report: the object decides.
  const reported = w.pending;
  w.pending = 0;
  w.reportedAt = now;
  const typed = namespace as unknown as DurableObjectNamespace<ApiRateLimiter>;
  const stub = typed.get(typed.idFromName(key));
  let answer: RateLimitCount;
  try {
    answer = await stub.hit(limit, reported, w.windowStart);
  } catch (error) {
    // Not counted by the object: report them next time.
    w.pending += reported;
    throw error;
  }
  if (answer.windowStart === w.windowStart) w.known = Math.max(w.known ?? 0, answer.count);
  const { allowed, resetSeconds } = answer;
  const remaining = Math.max(
    0,
    limit - answer.count - (answer.windowStart === w.windowStart ? w.pending : 0),
  );
  return { allowed, limit, remaining, resetSeconds };
}
