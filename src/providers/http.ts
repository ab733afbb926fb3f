/**
 * The one place providers talk HTTP to a registrar. It owns what is the same for all of them:
 * timeouts, the abort signal, the log line per call (URL with secrets redacted by the logger),
 * and the translation of a failed exchange into the error taxonomy:
 *
 * - the connection failed or timed out: `transport` for calls that spend nothing, but
 *   `outcome_unknown` for a call declared a `spend` (operation.ts), because the request may have
 *   reached the registrar before the reply was lost — unless the fetch proved it never sent the
 *   request (`notSent`, from the account gate), which stays a retryable `upstream_unavailable`;
 * - an HTTP 5xx or an HTML page where data was expected is left for the provider's codec to
 *   map (some registrars put real errors behind a 500), with `httpFailure` as fallback.
 *
 * Every decision here reads the operation's declared kind, never its name.
 */

import { deadline } from '../core/deadline';
import { GatewayError, isGatewayError } from '../core/errors';
import type { Logger } from '../core/log';
import { parseRetryAfter } from '../core/retry';
import { type Operation, spends } from './operation';
import { GATE_DEADLINE_HEADER, GATE_PRIORITY_HEADER, type GatePriority } from './types';

export interface UpstreamRequest {
  provider: string;
  /** Declared once per registrar call (`query`, `change` or `spend` in operation.ts). */
  operation: Operation;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Seconds from Retry-After, when present. */
  retryAfter?: number;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * How urgent a call is at the account gate: an operation declared a `spend` is admitted before
 * waiting queries, so a renewal never waits behind reads. `background` is chosen by the caller
 * (gatedFetch's lane), not by the operation.
 */
function gatePriorityOf(operation: Operation): GatePriority {
  return spends(operation) ? 'spend' : 'query';
}

export async function callUpstream(
  deps: { fetch: typeof fetch; logger: Logger },
  req: UpstreamRequest,
): Promise<UpstreamResponse> {
  const started = Date.now();
  const timeoutMs = req.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const limit = deadline(timeoutMs, req.signal);
  const operation = req.operation.name;
  const log = deps.logger.child({ provider: req.provider, operation });
  let response: Response;
  let text: string;
  try {
    response = await deps.fetch(req.url, {
      method: req.method ?? 'GET',
      headers: {
        ...req.headers,
        [GATE_PRIORITY_HEADER]: gatePriorityOf(req.operation),
        [GATE_DEADLINE_HEADER]: String(timeoutMs),
      },
      body: req.body,
      signal: limit.signal,
    });
    text = await response.text();
  } catch (cause) {
    const durationMs = Date.now() - started;
    const timedOut = limit.expired;
    log.warn('upstream call failed', { url: req.url, durationMs, timedOut, error: String(cause) });
    if (isGatewayError(cause) && cause.notSent) {
      // The account gate proved the request never left: not `outcome_unknown`, even for money.
      throw cause.withContext({ provider: req.provider, operation });
    }
    if (req.signal?.aborted && !timedOut) {
      throw new GatewayError('transport', {
        message: `${req.provider} ${operation} was cancelled`,
        provider: req.provider,
        operation,
        retryable: false,
      });
    }
    const mayHaveSpent = spends(req.operation);
    throw new GatewayError(mayHaveSpent ? 'outcome_unknown' : 'transport', {
      message: mayHaveSpent
        ? `${req.provider} ${operation}: the reply was lost (${timedOut ? 'timeout' : 'connection failed'}); the registrar may have acted`
        : `${req.provider} ${operation}: ${timedOut ? 'timed out' : 'connection failed'}`,
      provider: req.provider,
      operation,
      retryable: !mayHaveSpent,
    });
  } finally {
    limit.release();
  }
  log.info('upstream call', { url: req.url, status: response.status, durationMs: Date.now() - started });
  return {
    status: response.status,
    headers: response.headers,
    text,
    retryAfter: parseRetryAfter(response.headers.get('retry-after')),
  };
}

/** True when a body is an HTML page (proxy error, IP block page, maintenance page). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(text);
}

/** The fallback for a reply no codec could read as the registrar's own error: 5xx, 429, HTML. */
export function httpFailure(
  req: Pick<UpstreamRequest, 'provider' | 'operation'>,
  res: UpstreamResponse,
): GatewayError {
  const operation = req.operation.name;
  const base = { provider: req.provider, operation, upstreamCode: `HTTP ${res.status}` };
  if (spends(req.operation) && res.status !== 429) {
    // A 5xx or an unreadable page after a spend does not prove the registrar did not act: only
    // re-reading the domain can tell.
    return new GatewayError('outcome_unknown', {
      ...base,
      message: `${req.provider} ${operation}: answered HTTP ${res.status} with no readable result; the registrar may have acted`,
      retryable: false,
    });
  }
  if (res.status === 429) {
    return new GatewayError('rate_limited', {
      ...base,
      message: `${req.provider} is rate limiting us`,
      retryAfter: res.retryAfter,
    });
  }
  if (res.status >= 500) {
    return new GatewayError('upstream_unavailable', {
      ...base,
      message: `${req.provider} answered HTTP ${res.status}`,
      retryAfter: res.retryAfter,
    });
  }
  return new GatewayError('protocol', {
    ...base,
    message: `${req.provider} answered HTTP ${res.status} with a body we cannot read${looksLikeHtml(res.text) ? ' (an HTML page)' : ''}`,
  });
}
