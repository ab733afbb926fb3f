/** zod pieces shared by the config of the worker, each provider and the bridge. */
import { z } from 'zod';

/** A base URL is an origin only (scheme, host, port): each client appends its API's own path. */
export const originUrl = z
  .string()
  .trim()
  .url()
  .transform((value, ctx) => {
    const url = new URL(value);
    if (url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must be an origin only (scheme, host and port; no path)' });
      return z.NEVER;
    }
    return url.origin;
  });

export const secret = z.string().min(1, 'must not be empty');

/** An integer env var with a default: `"1500"` → 1500. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
