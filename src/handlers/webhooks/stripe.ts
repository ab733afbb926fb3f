/**
 * The `stripe` source: a Stripe webhook endpoint (`Stripe-Signature: t=…,v1=…`, 5-minute
 * tolerance, the endpoint secret `whsec_…` as the HMAC key). The delivery id is the event id
 * (`evt_…`): Stripe re-sends an event with the same id, so the id is what makes it unique.
 *
 * Stripe's events are mapped onto `{type, timestamp, data}`:
 * - `invoice.paid` → `domain.renew`, from the invoice's `metadata` (or, for subscription invoices,
 *   `subscription_details.metadata` / `parent.subscription_details.metadata`, where Stripe copies
 *   the subscription's metadata);
 * - `checkout.session.completed` and `checkout.session.async_payment_succeeded` → `domain.renew`
 *   from the session's `metadata`, only once `payment_status` is `paid` (a delayed payment method
 *   completes the session unpaid and pays later);
 * - metadata keys: `domain`, `years`, optional `expected_expiry`, `account`, `force`, `reference`.
 *   Other metadata keys are the merchant's own and are left alone (Stripe metadata is shared).
 * - The reference follows the payment, not the message: the metadata's `reference`, else the
 *   payment intent, else the invoice, else the checkout session; every other one of those ids the
 *   event carries is an alias. One payment seen as `checkout.session.completed` and as
 *   `invoice.paid` shares its invoice or its payment intent, so both events are one renewal.
 * Every other event type, and a paid object without `domain` metadata (a sale that is not a
 * domain renewal), is acknowledged and recorded without effect.
 */
import { z } from 'zod';
import { invalidRequest } from '../../core/errors';
import { verifyStripe } from '../../core/webhook-signing';
import type { EventMapping, SourceAdapter, VerifyResult } from './types';

const StripeEvent = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(100),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

type Metadata = Record<string, unknown>;

function metadataOf(object: Record<string, unknown>): Metadata | undefined {
  const candidates = [
    object.metadata,
    (object.subscription_details as Metadata | undefined)?.metadata,
    ((object.parent as Metadata | undefined)?.subscription_details as Metadata | undefined)?.metadata,
  ];
  for (const m of candidates) {
    if (m && typeof m === 'object' && typeof (m as Metadata).domain === 'string') return m as Metadata;
  }
  return undefined;
}

const RENEWAL_EVENTS = new Set([
  'invoice.paid',
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
]);

function stripeEvent(json: unknown): EventMapping {
  const parsed = StripeEvent.safeParse(json);
  if (!parsed.success) throw invalidRequest('the payload is not a Stripe event object');
  const { type, created, data } = parsed.data;
  if (!RENEWAL_EVENTS.has(type)) return { kind: 'ignored', type, reason: 'not an event the gateway acts on' };
  const object = data.object;
  if (type.startsWith('checkout.session.') && object.payment_status !== 'paid') {
    return {
      kind: 'ignored',
      type,
      reason: `the checkout session is not paid (${String(object.payment_status)})`,
    };
  }
  const metadata = metadataOf(object);
  if (!metadata) return { kind: 'ignored', type, reason: 'no domain in the metadata: not a domain renewal' };
  const years =
    typeof metadata.years === 'string' && /^\d+$/.test(metadata.years)
      ? Number(metadata.years)
      : metadata.years;
  // Stripe metadata values are strings: "true"/"false" are the booleans.
  const force =
    metadata.force === 'true' ? true : metadata.force === 'false' ? false : (metadata.force ?? undefined);
  const [reference, ...aliases] = paymentReferences(type, object, metadata);
  return {
    kind: 'event',
    event: {
      type: 'domain.renew',
      timestamp: new Date(created * 1000).toISOString(),
      data: {
        domain: metadata.domain,
        years,
        expectedExpiry: metadata.expected_expiry ?? metadata.expectedExpiry,
        account: metadata.account,
        force,
        reference,
      },
      aliases,
    },
  };
}

/** An id Stripe gives either as a string or, when expanded, as an object with an `id`. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id ? id : undefined;
}

/**
 * The ids of the payment behind an event, the reference first: the metadata's `reference`, the
 * payment intent, the invoice, the checkout session. An invoice names its payment intent as
 * `payment_intent` (API versions before 2025-03-31) or in its expanded `payments` list (later).
 */
function paymentReferences(type: string, object: Record<string, unknown>, metadata: Metadata): string[] {
  const isInvoice = type.startsWith('invoice.');
  const payments = (object.payments as { data?: unknown } | undefined)?.data;
  const paidIntents = Array.isArray(payments)
    ? payments.map((p) => idOf((p as { payment?: { payment_intent?: unknown } })?.payment?.payment_intent))
    : [];
  const ids = [
    typeof metadata.reference === 'string' ? metadata.reference : undefined,
    idOf(object.payment_intent),
    ...paidIntents,
    isInvoice ? idOf(object.id) : idOf(object.invoice),
    isInvoice ? undefined : idOf(object.id),
  ];
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

async function verifyStripeDelivery(
  headers: Headers,
  body: Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
): Promise<VerifyResult> {
  const check = await verifyStripe(secrets, headers.get('stripe-signature') ?? undefined, body, nowSeconds);
  if (!check.ok) return check;
  // The event id lives in the body: read it only now that the body is known to come from Stripe.
  let id: unknown;
  try {
    id = (
      JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body)) as { id?: unknown }
    )?.id;
  } catch {
    return { ok: false, failure: 'malformed_body', detail: 'the body is not JSON' };
  }
  if (typeof id !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(id)) {
    return { ok: false, failure: 'malformed_body', detail: 'the event has no id' };
  }
  return { ok: true, deliveryId: id };
}

export const stripeSource: SourceAdapter = {
  verify: verifyStripeDelivery,
  toEvent: stripeEvent,
};
