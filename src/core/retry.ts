/**
 * When to try an upstream call again, as pure functions (after stripe-node's `_shouldRetry`):
 * reads retry on transport errors, 5xx-style unavailability and rate limits, with jittered
 * exponential backoff that honours the upstream's Retry-After; a call declared a `spend`
 * (providers/operation.ts) never retries blindly, because a lost reply may mean the registrar
 * already acted.
 */
import { type CallKind, spends } from '../providers/operation';
import { type GatewayError, isGatewayError } from './errors';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

export interface RetryContext {
  /** 1 for the first attempt that failed. */
  attempt: number;
  /** What the call does, as its operation declares it: the name plays no part. */
  kind: CallKind;
  /** The registrar dedupes this call (an idempotency token or an expiry guard that makes a repeat fail). */
  upstreamDedupes?: boolean;
  policy?: RetryPolicy;
}

export function shouldRetry(error: GatewayError, ctx: RetryContext): boolean {
  const policy = ctx.policy ?? DEFAULT_RETRY_POLICY;
  if (ctx.attempt >= policy.maxAttempts) return false;
  if (!error.retryable) return false;
  // outcome_unknown is never retried here: the renewal engine reconciles it by re-reading state.
  if (error.kind === 'outcome_unknown') return false;
  if (spends(ctx) && !ctx.upstreamDedupes) {
    // Only a refusal that provably happened before the registrar acted is safe to repeat.
    return error.kind === 'rate_limited';
  }
  return true;
}

/**
 * Full-jitter exponential backoff (AWS architecture blog): a random delay in [0, min(max, base·2^n)],
 * but never less than what the upstream asked for in Retry-After.
 */
export function backoffDelayMs(
  attempt: number,
  opts: { policy?: RetryPolicy; retryAfterSeconds?: number; random?: () => number } = {},
): number {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  const random = opts.random ?? Math.random;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const floor = opts.retryAfterSeconds !== undefined ? opts.retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, floor);
}

/** Parse an HTTP Retry-After header (delta-seconds or HTTP-date) into seconds from `now`. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Run `fn` with the policy above. `sleep` is injected so tests need no timers. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  ctx: Omit<RetryContext, 'attempt'> & { sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isGatewayError(error) || !shouldRetry(error, { ...ctx, attempt })) throw error;
      await sleep(backoffDelayMs(attempt, { policy: ctx.policy, retryAfterSeconds: error.retryAfter }));
    }
  }
}
