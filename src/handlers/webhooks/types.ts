/**
 * What the billing webhook route passes around: one adapter per billing source (how its
 * deliveries are signed and how its payload maps onto the Standard Webhooks event shape), and the
 * verified delivery the verification middleware hands to the route.
 */
import type { SignatureFailure } from '../../core/webhook-signing';

/** The Standard Webhooks payload shape every source is mapped onto. */
export interface BillingEvent {
  type: string;
  /** ISO-8601 time the sender says the event happened. */
  timestamp?: string;
  data: Record<string, unknown>;
  /**
   * Other references of the same paid thing (a Stripe payment seen as a checkout session, an
   * invoice and a payment intent): a renewal asked for under any of them is this event's renewal.
   */
  aliases?: readonly string[];
}

export type EventMapping =
  | { kind: 'event'; event: BillingEvent }
  /** A well-formed delivery that asks for nothing (an event type we do not act on): acknowledged. */
  | { kind: 'ignored'; type: string; reason: string };

export type VerifyResult =
  | { ok: true; deliveryId: string }
  | { ok: false; failure: SignatureFailure | 'malformed_body'; detail: string; claimedId?: string };

export interface SourceAdapter {
  /** Checks the signature over the raw body; returns the id that makes the delivery unique. */
  verify(
    headers: Headers,
    body: Uint8Array,
    secrets: readonly string[],
    nowSeconds: number,
  ): Promise<VerifyResult>;
  /** Maps a verified, JSON-parsed body onto the event shape; throws `invalid_request` when malformed. */
  toEvent(json: unknown): EventMapping;
}
