import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../core/errors';
import { stripeSource } from './stripe';

const evt = (type: string, object: Record<string, unknown>) => ({
  id: 'evt_1',
  object: 'event',
  type,
  created: 1_800_000_000,
  data: { object },
});

describe('Stripe events → {type, timestamp, data}', () => {
  it('maps a paid invoice with domain metadata to domain.renew, reference = invoice id', () => {
    const mapped = stripeSource.toEvent(
      evt('invoice.paid', {
        id: 'in_123',
        object: 'invoice',
        metadata: { domain: 'Example.COM', years: '2', expected_expiry: '2027-03-01' },
      }),
    );
    expect(mapped).toEqual({
      kind: 'event',
      event: {
        type: 'domain.renew',
        timestamp: '2027-01-15T08:00:00.000Z',
        data: {
          domain: 'Example.COM',
          years: 2,
          expectedExpiry: '2027-03-01',
          account: undefined,
          force: undefined,
          reference: 'in_123',
        },
        aliases: [],
      },
    });
  });

  it('follows the payment: the payment intent is the reference, the invoice and session its aliases', () => {
    const session = stripeSource.toEvent(
      evt('checkout.session.completed', {
        id: 'cs_9',
        payment_status: 'paid',
        payment_intent: 'pi_9',
        invoice: { id: 'in_9', object: 'invoice' },
        metadata: { domain: 'd.com', years: '1', force: 'true' },
      }),
    );
    expect(session).toMatchObject({
      kind: 'event',
      event: { data: { reference: 'pi_9', force: true }, aliases: ['in_9', 'cs_9'] },
    });
    // API 2025-03-31 and later: no `payment_intent` on the invoice, its payments list names it.
    const invoice = stripeSource.toEvent(
      evt('invoice.paid', {
        id: 'in_9',
        payments: { data: [{ payment: { type: 'payment_intent', payment_intent: 'pi_9' } }] },
        metadata: { domain: 'd.com', years: '1' },
      }),
    );
    expect(invoice).toMatchObject({
      kind: 'event',
      event: { data: { reference: 'pi_9' }, aliases: ['in_9'] },
    });
    // Without a payment intent anywhere (a subscription-mode session), the invoice is the reference.
    const subscription = stripeSource.toEvent(
      evt('checkout.session.completed', {
        id: 'cs_10',
        payment_status: 'paid',
        payment_intent: null,
        invoice: 'in_10',
        metadata: { domain: 'e.com', years: '1' },
      }),
    );
    expect(subscription).toMatchObject({ event: { data: { reference: 'in_10' }, aliases: ['cs_10'] } });
  });

  it('reads subscription metadata Stripe copies onto subscription invoices', () => {
    const legacy = stripeSource.toEvent(
      evt('invoice.paid', {
        id: 'in_1',
        metadata: {},
        subscription_details: { metadata: { domain: 'a.com', years: '1' } },
      }),
    );
    expect(legacy).toMatchObject({ kind: 'event', event: { data: { domain: 'a.com', years: 1 } } });
    const parent = stripeSource.toEvent(
      evt('invoice.paid', {
        id: 'in_2',
        metadata: {},
        parent: {
          subscription_details: { metadata: { domain: 'b.com', years: '3', reference: 'sub-b-2027' } },
        },
      }),
    );
    expect(parent).toMatchObject({
      kind: 'event',
      event: { data: { domain: 'b.com', years: 3, reference: 'sub-b-2027' } },
    });
  });

  it('maps a paid checkout session; ignores an unpaid one until its async payment succeeds', () => {
    const session = { id: 'cs_1', metadata: { domain: 'c.com', years: '1', account: 'dynadot' } };
    expect(
      stripeSource.toEvent(evt('checkout.session.completed', { ...session, payment_status: 'unpaid' })),
    ).toMatchObject({
      kind: 'ignored',
    });
    expect(
      stripeSource.toEvent(
        evt('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' }),
      ),
    ).toMatchObject({
      kind: 'event',
      event: { data: { domain: 'c.com', account: 'dynadot', reference: 'cs_1' } },
    });
  });

  it('acknowledges other events and sales that are not domain renewals', () => {
    expect(stripeSource.toEvent(evt('charge.refunded', { id: 'ch_1' }))).toMatchObject({
      kind: 'ignored',
      type: 'charge.refunded',
    });
    expect(
      stripeSource.toEvent(evt('invoice.paid', { id: 'in_3', metadata: { sku: 'hosting' } })),
    ).toMatchObject({
      kind: 'ignored',
    });
  });

  it('refuses a body that is not a Stripe event with invalid_request', () => {
    try {
      stripeSource.toEvent({ id: 'evt_1', type: 'invoice.paid' });
      expect.unreachable();
    } catch (e) {
      expect(isGatewayError(e) && e.kind).toBe('invalid_request');
    }
  });
});
