/**
 * `domain.renew` deliveries: a renewal intent through the engine. The idempotency key is the
 * billing reference (scoped to the source), with the event's aliases (the other ids of the same
 * payment), so the same paid thing is one renewal whether the billing system re-sends the delivery
 * or reports it again as another event; the delivery id itself is already deduplicated by the
 * replay store. The engine's own rules (one unsettled renewal per domain, the cooldown after a
 * confirmed one) refuse the rest with a 409 that records nothing. The reply is 202 with the
 * renewal id; the result is POSTed to the source's callback URL once the renewal is final
 * (core/webhook-callbacks.ts).
 */
import { z } from 'zod';
import type { Accounts } from '../../core/accounts';
import { requireDomainName } from '../../core/domain-name';
import type { Logger } from '../../core/log';
import { getRenewal, requestRenewal } from '../../core/renewals';
import { CALLBACK_STATES, enqueueBillingCallbacks, linkRenewal } from '../../core/webhook-callbacks';
import type { Env } from '../../env';
import type { VerifiedDelivery } from './bindings';
import { parseData } from './queries';
import type { BillingEvent } from './types';

// Strict: a renewal spends money, so an unknown field (`yeras`) is a 400 naming it, and `years`
// has no default.
const RenewData = z.strictObject({
  domain: z.string().min(1).max(255),
  years: z.number().int().min(1).max(10),
  expectedExpiry: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be an ISO date or timestamp')
    .optional(),
  account: z.string().min(1).max(64).optional(),
  /** Renew within the cooldown after a confirmed renewal of the domain (else 409 `recently_renewed`). */
  force: z.boolean().optional(),
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
  /** False when the renewal already existed (the same reference, or the same intent from another door). */
  created: boolean;
}

export async function renewFromWebhook(
  ctx: { env: Env; accounts: Accounts; logger: Logger },
  delivery: VerifiedDelivery,
  event: BillingEvent,
): Promise<RenewReply> {
  const parsed = parseData(RenewData, event.data);
  const domain = requireDomainName(parsed.domain, 'data.domain');
  const { renewal, created } = await requestRenewal(ctx, {
    domain,
    years: parsed.years,
    expectedExpiry: parsed.expectedExpiry,
    account: parsed.account,
    force: parsed.force,
    idempotencyKey: `${delivery.source}:${parsed.reference}`,
    aliasKeys: (event.aliases ?? []).map((alias) => `${delivery.source}:${alias}`),
    source: 'webhook',
    actor: `${delivery.source}:${delivery.deliveryId}`,
  });
  const linked = await linkRenewal(ctx.env.DB, {
    renewalId: renewal.id,
    source: delivery.source,
    deliveryId: delivery.deliveryId,
    reference: parsed.reference,
  });
  // The engine notifies (and so queues callbacks) when the renewal turns final, which may already
  // have happened — before this link existed (a fast queue) or before this source asked (another
  // door started it). Checking once more after linking closes that gap; the callback is claimed
  // once per (renewal, source, state), so it is never sent twice.
  if (linked) {
    const current = await getRenewal(ctx.env.DB, renewal.id);
    if (current && CALLBACK_STATES.has(current.state))
      await enqueueBillingCallbacks(ctx.env, current, ctx.logger);
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
