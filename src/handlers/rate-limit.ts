/**
 * `rateLimit()` middleware: counts each authenticated request against its API key's limit per
 * minute (the key's own, else API_RATE_LIMIT_PER_MINUTE): a Durable Object per key is the authority,
 * asked only near the limit or every few seconds (core/rate-limit.ts says how far that lets a key
 * over its limit across isolates). Over the limit: 429 problem+json with Retry-After.
 */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../core/errors';
import { hitRateLimit } from '../core/rate-limit';
import type { AppBindings } from './context';

export function rateLimit(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const principal = c.get('principal');
    const limit = principal.rateLimitPerMinute ?? c.get('config').apiRateLimitPerMinute;
    const decision = await hitRateLimit(c.env.API_RATE_LIMITER, principal.keyId ?? principal.kind, limit);
    if (!decision.allowed) {
      throw new GatewayError('rate_limited', {
        message: `this API key may make ${limit} requests per minute; retry in ${decision.resetSeconds} s`,
        retryAfter: decision.resetSeconds,
      });
    }
    await next();
    c.header('ratelimit-limit', String(decision.limit));
    c.header('ratelimit-remaining', String(decision.remaining));
    c.header('ratelimit-reset', String(decision.resetSeconds));
  };
}
