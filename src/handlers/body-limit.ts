/**
 * A door's body limit, refused while the body streams: hono's `bodyLimit` trusts a declared
 * Content-Length and counts the bytes of a chunked body as they arrive, stopping at the limit, so
 * an oversized body is never buffered whole and no handler (nor signature check) ever sees it.
 * The refusal is the door's problem+json `413`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../core/errors';
import { problemFromError, problemResponse } from './problem';

export function limitBody(
  maxBytes: number,
  options: { onRefused?: (c: Context) => Promise<void> } = {},
): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: async (c) => {
      await options.onRefused?.(c);
      const error = new GatewayError('invalid_request', {
        code: 'body_too_large',
        message: `the body exceeds ${maxBytes} bytes`,
        retryable: false,
      });
      return problemResponse(problemFromError(error, c.get('requestId')), c.get('redact'));
    },
  });
}
