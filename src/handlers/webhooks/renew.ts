/**
 * `domain.renew` and `service.renew` deliveries: a renewal intent through the engine. The idempotency key is the
 * billing reference (scoped to the source), with the event's aliases (the other ids of the same
 * payment), so the same paid thing is one renewal whether the billing system re-sends the delivery
 * or reports it again as another event; the delivery id itself is already deduplicated by the
 * replay store. The engine's own rules (one unsettled renewal per domain, the cooldown after a
 * confirmed one) refuse the rest with a 409 that records nothing. The reply is 202 with the
 * renewal id; the delivery subscribes to the renewal with its request (a replay or a delivery
 * joining another door's renewal too), and the result is POSTed to the source's callback URL once
 * the renewal is final (core/webhook-callbacks.ts).
 */
import { z } from 'zod';
import type { Accounts } from '../../core/accounts';
import { GatewayError, isGatewayError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { type ItemKind, SERVICE_KINDS } from '../../core/model';
import { type RenewalRequest, requestRenewal } from '../../core/renewals';
import { billingSubscriber } from '../../core/webhook-callbacks';
import type { Env } from '../../env';
import type { VerifiedDelivery } from './bindings';
import { parseData } from './queries';
import type { BillingEvent } from './types';

// Strict: a renewal spends money, so an unknown field (`yeras`) is a 400 naming it, and `years`
// has no default. Only the shape is checked here: the domain, years and account rules are the
// engine's (`requestRenewal`), whose errors name the fields under `data.`.
const RenewData = z.strictObject({
  domain: z.string().min(1).max(255),
  years: z.number(),
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

/**
 * `service.renew`: the same, for a service (35.com hosting or mail, MrDomain hosting or a
 * certificate). An item is (account, kind, id), so `account` is required; a certificate needs its CSR.
 */
const ServiceRenewData = RenewData.omit({ domain: true, account: true }).extend({
  kind: z.enum(SERVICE_KINDS),
  id: z.string().min(1).max(253),
  account: z.string().min(1).max(64),
  certificate: z
    .strictObject({
      csr: z.string().min(1).max(16_384),
      adminContactId: z.string().min(1).max(64).optional(),
    })
    .optional(),
});

export interface RenewReply {
  received: true;
  type: 'domain.renew' | 'service.renew';
  renewal: {
    id: string;
    /** The item's key: the domain name, or `<kind>:<id>`. */
    domain: string;
    kind: ItemKind;
    item: string;
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
  const service = event.type === 'service.renew';
  const parsed = service ? parseData(ServiceRenewData, event.data) : parseData(RenewData, event.data);
  const item: Pick<RenewalRequest, 'kind' | 'domain' | 'certificate'> =
    'kind' in parsed
      ? {
          kind: parsed.kind,
          domain: parsed.id,
          ...(parsed.certificate ? { certificate: parsed.certificate } : {}),
        }
      : { domain: parsed.domain };
  const { renewal, created } = await requestRenewal(ctx, {
    ...item,
    years: parsed.years,
    expectedExpiry: parsed.expectedExpiry,
    account: parsed.account,
    force: parsed.force,
    idempotencyKey: `${delivery.source}:${parsed.reference}`,
    aliasKeys: (event.aliases ?? []).map((alias) => `${delivery.source}:${alias}`),
    subscriber: billingSubscriber({
      source: delivery.source,
      deliveryId: delivery.deliveryId,
      reference: parsed.reference,
    }),
    source: 'webhook',
    actor: `${delivery.source}:${delivery.deliveryId}`,
  }).catch(inData);
  return {
    received: true,
    type: service ? 'service.renew' : 'domain.renew',
    renewal: {
      id: renewal.id,
      domain: renewal.domain,
      kind: renewal.kind,
      item: renewal.item,
      years: renewal.years,
      expectedExpiry: renewal.expectedExpiry,
      state: renewal.state,
      account: renewal.account,
    },
    created,
  };
}

/**
 * The engine names the request's fields (`years`); this door's sender knows them under `data.`.
 * The message stays the engine's, with a leading field name (`domain: …`) renamed the same way.
 */
function inData(error: unknown): never {
  if (!isGatewayError(error) || error.kind !== 'invalid_request' || !error.fields?.length) throw error;
  const fields = error.fields.map((f) => ({ field: `data.${f.field}`, reason: f.reason }));
  const named = error.fields.find((f) => error.message.startsWith(`${f.field}: `));
  throw new GatewayError('invalid_request', {
    message: named ? `data.${error.message}` : error.message,
    fields,
  });
}
