/**
 * `domain.renew` deliveries: a renewal intent through the engine. The idempotency key is the
 * billing reference (scoped to the source), so the same paid invoice item is one renewal whether
 * the billing system re-sends the delivery or sends a new one for it; the delivery id itself is
 * already deduplicated by the replay store. The reply is 202 with the renewal id; the result is
 * POSTed to the source's callback URL once the renewal is final (core/webhook-callbacks.ts).
 */
import { z } from 'zod';
import type { Accounts } from '../../core/accounts';
import { requireDomainName } from '../../core/domain-name';
import type { Logger } from '../../core/log';
import { requestRenewal } from '../../core/renewals';
import { CALLBACK_STATES, enqueueBillingCallbacks, linkRenewal } from '../../core/webhook-callbacks';
import type { Env } from '../../env';
import type { VerifiedDelivery } from './bindings';
import { parseData } from './queries';

const RenewData = z.object({
  domain: z.string().min(1).max(255),
  years: z.number().int().min(1).max(10),
  expectedExpiry: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be an ISO date or timestamp')
    .optional(),
  account: z.string().min(1).max(64).optional(),
  reference: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
});

export interface RenewReply {
  received: true;
  type: 'domain.renew';
  renewal: {
    id: string;
    domain: string;
    years: number;
    expectedExpiry: string;
    state: string;
    account: string;
  };
  /** False when the reference had already started this renewal. */
  created: boolean;
}

export async function renewFromWebhook(
  ctx: { env: Env; accounts: Accounts; logger: Logger },
  delivery: VerifiedDelivery,
  data: unknown,
): Promise<RenewReply> {
  const parsed = parseData(RenewData, data);
  const domain = requireDomainName(parsed.domain, 'data.domain');
  const { renewal, created } = await requestRenewal(ctx, {
    domain,
    years: parsed.years,
    expectedExpiry: parsed.expectedExpiry,
    account: parsed.account,
    idempotencyKey: `${delivery.source}:${parsed.reference}`,
    source: 'webhook',
    actor: `${delivery.source}:${delivery.deliveryId}`,
  });
  const linked = await linkRenewal(ctx.env.DB, {
    renewalId: renewal.id,
    source: delivery.source,
    deliveryId: delivery.deliveryId,
    reference: parsed.reference,
  });
  // A renewal that was already final before this source asked (another door started it): the
  // engine will not finalize it again, so the callback is queued here.
  if (linked && !created && CALLBACK_STATES.has(renewal.state)) {
    await enqueueBillingCallbacks(ctx.env, renewal, ctx.logger);
  }
  return {
    received: true,
    type: 'domain.renew',
    renewal: {
      id: renewal.id,
      domain: renewal.domain,
      years: renewal.years,
      expectedExpiry: renewal.expectedExpiry,
      state: renewal.state,
      account: renewal.account,
    },
    created,
  };
}
