/**
 * Billing webhook verification and replay protection, as middleware factories (after hono's
 * bearer-auth): nothing of a delivery is parsed before its signature over the raw body and its
 * timestamp have been checked, and nothing is done twice for one delivery id.
 */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../core/errors';
import {
  claimOrWait,
  completeDelivery,
  recordRejection,
  releaseDelivery,
} from '../../core/webhook-deliveries';
import { BILLING_SOURCES, type BillingSource } from '../../env';
import { limitBody } from '../body-limit';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import type { WebhookBindings } from './bindings';
import type { SourceAdapter, VerifyResult } from './types';

/** Billing payloads are small JSON documents; anything bigger is refused before it is hashed. */
export const MAX_BODY_BYTES = 256 * 1024;

const STATUS_BY_FAILURE: Record<Exclude<VerifyResult, { ok: true }>['failure'] | 'body_too_large', number> = {
  missing_header: 400,
  malformed_header: 400,
  malformed_body: 400,
  stale_timestamp: 401,
  future_timestamp: 401,
  bad_signature: 401,
  body_too_large: 413,
};

function refusal(failure: keyof typeof STATUS_BY_FAILURE, detail: string): GatewayError {
  const status = STATUS_BY_FAILURE[failure];
  return new GatewayError(status === 401 ? 'authentication' : 'invalid_request', {
    message: `webhook refused (${failure}): ${detail}`,
    retryable: false,
  });
}

/**
 * Verifies the signature of `POST …/:source` with that source's adapter and secrets. An
 * unconfigured source is a 404; a refused delivery is counted in `webhook_rejection_counts` (per
 * source, reason and minute) and answered with a problem body that names the failure (never the
 * expected signature).
 */
export function verifyBillingWebhook(
  adapters: Readonly<Record<BillingSource, SourceAdapter>>,
  now: () => number = Date.now,
): MiddlewareHandler<WebhookBindings> {
  return async (c, next) => {
    const name = c.req.param('source') ?? '';
    const source = (BILLING_SOURCES as readonly string[]).includes(name)
      ? (name as BillingSource)
      : undefined;
    const config = source ? c.get('config').webhooks.sources[source] : undefined;
    if (!source || !config) {
      throw new GatewayError('not_found', {
        message: `no billing webhook source ${JSON.stringify(name)} is configured`,
      });
    }
    const reject = async (failure: keyof typeof STATUS_BY_FAILURE, detail: string, claimedId?: string) => {
      const error = refusal(failure, detail);
      await recordRejection(c.env.DB, { source, claimedId, reason: failure }, new Date(now()));
      c.get('logger').warn('billing webhook refused', { source, failure, claimedId });
      return error;
    };
    // The limit counts bytes as they stream in, before anything is buffered or hashed.
    const refuseLarge = limitBody(MAX_BODY_BYTES, {
      onRefused: async () => {
        await reject('body_too_large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    });
    return refuseLarge(c, async () => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const result = await adapters[source].verify(
        c.req.raw.headers,
        body,
        config.secrets,
        Math.floor(now() / 1000),
      );
      if (!result.ok) throw await reject(result.failure, result.detail, result.claimedId);

      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
      } catch {
        throw await reject('malformed_body', 'the body is not UTF-8', result.deliveryId);
      }
      c.set('delivery', { source, deliveryId: result.deliveryId, text });
      await next();
    });
  };
}

/** Answers that say "try again later": not remembered, so the sender's retry is processed afresh. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * Remembers each verified delivery in D1: the first delivery of an id is processed and its answer
 * stored; every later one gets that answer back (header `webhook-replayed: true`) and no effect.
 */
export function replayProtection(): MiddlewareHandler<WebhookBindings> {
  return async (c, next) => {
    const { source, deliveryId } = c.get('delivery');
    const db = c.env.DB;
    const claim = await claimOrWait(db, source, deliveryId);
    if (claim.kind === 'replay') {
      const { status, body } = claim.answer;
      c.get('logger').info('billing webhook replayed: first answer returned', { source, deliveryId, status });
      return new Response(body, {
        status,
        headers: {
          'content-type': status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json',
          'webhook-replayed': 'true',
        },
      });
    }
    if (claim.kind === 'in_progress') {
      throw new GatewayError('conflict', {
        message: 'this delivery is still being processed; send it again later',
        retryable: true,
        retryAfter: 5,
      });
    }
    try {
      await next();
    } catch (error) {
      await releaseDelivery(db, source, deliveryId);
      throw error;
    }
    // Hono has already turned a thrown error into the problem response by now.
    const status = c.res.status;
    if (isTransient(status)) {
      await releaseDelivery(db, source, deliveryId);
      return;
    }
    const body = await c.res.clone().text();
    await completeDelivery(db, source, deliveryId, c.get('eventType'), { status, body });
  };
}
