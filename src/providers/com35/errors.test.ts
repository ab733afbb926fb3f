import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import { COM35_ERRORS, com35Error } from './errors';
import { transferStateOf } from './provider';

describe('35.com result codes → error kinds (manual §8.4)', () => {
  it.each([
    [2003, 'invalid_request'],
    [2104, 'insufficient_funds'],
    [2105, 'conflict'],
    [2201, 'permission'],
    [2303, 'not_found'],
    [2306, 'invalid_request'],
    [2500, 'upstream_unavailable'],
    [5500, 'upstream_unavailable'],
    [6000, 'authentication'],
  ] as const)('%i → %s', (code, kind) => {
    const e = com35Error({ code, msg: 'x', value: 'no value' }, { operation: 'renew' });
    expect(e).toBeInstanceOf(GatewayError);
    expect(e.kind).toBe(kind);
    expect(e.upstreamCode).toBe(String(code));
  });

  it('never turns a refusal into outcome_unknown: 2000+ means 35.com did not act', () => {
    for (const m of Object.values(COM35_ERRORS)) expect(m.kind).not.toBe('outcome_unknown');
  });

  it('keeps the detail of value (the balance for 2104) and drops the "no value" filler', () => {
    const poor = com35Error(
      { code: 2104, msg: 'Billing fail', value: '10.00' },
      { operation: 'renew', domain: 'a.com' },
    );
    expect(poor.message).toBe('35.com renew (a.com): the account balance is too low: 10.00');
    expect(poor.upstreamMessage).toBe('Billing fail — 10.00');
    const missing = com35Error(
      { code: 2303, msg: 'Object does not exist', value: 'L130:no value' },
      { operation: 'getDomain' },
    );
    expect(missing.message).toBe('35.com getDomain: no such domain in this account');
  });

  it('maps an unknown code to a non-retryable upstream_unavailable', () => {
    expect(com35Error({ code: 2999, msg: '?', value: '' }, { operation: 'x' })).toMatchObject({
      kind: 'upstream_unavailable',
      retryable: false,
    });
  });
});

describe('transfer statuses (manual §8.3, and QueryCustTransfer §7.2.5.2.1)', () => {
  it.each([
    ['pendingTransfer; no response to our confirmation email for transferring', 'pending'],
    ['transfer failed; no pay', 'cancelled'],
    ['clientCanceled; transfer operation expired', 'cancelled'],
    ['clientCanceled; client canceled', 'cancelled'],
    ['pendingTransfer', 'pending'],
    ['clientCanceled; system canceled', 'cancelled'],
    ['transferSuccessfully', 'completed'],
    ['clientRejected', 'rejected'],
    ['pendingTransfer, system has not sent confirmation email', 'pending'],
    ['clientApproved', 'completed'],
    ['pending', 'pending'],
    ['expired', 'cancelled'],
    ['something new', 'unknown'],
  ])('%s → %s', (raw, state) => {
    expect(transferStateOf(raw)).toBe(state);
  });
});
