import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../operation';
import { errorFromFailure, errorFromPage } from './errors';

describe('LogicBoxes error table', () => {
  it.each([
    ['Domain already renewed.', 'conflict'],
    ['Invalid exp-date: 1 does not match the current expiry date of the order', 'conflict'],
    ['There is already an action pending on this Order.', 'conflict'],
    ['Required parameter missing: exp-date', 'invalid_request'],
    [
      'Invalid invoice-option: Foo. Valid values are NoInvoice, PayInvoice, KeepInvoice, OnlyAdd',
      'invalid_request',
    ],
    ["Website doesn't exist for nothere.com", 'not_found'],
    ['No Entity found for order-id 123', 'not_found'],
    ['Invalid credentials for 990001', 'authentication'],
    ['Insufficient funds in the reseller account to execute this order', 'insufficient_funds'],
    ['Access Denied: You are not allowed to access the API from IP 10.0.0.1', 'permission'],
    ['Method GET is not supported for domains/renew.json; use POST', 'invalid_request'],
    ['Something unheard of happened', 'upstream_unavailable'],
  ])('%s → %s', (message, kind) => {
    const e = errorFromFailure(
      { status: 'ERROR', message },
      { operation: OPERATIONS.getDomain, httpStatus: 500 },
    );
    expect(e.kind).toBe(kind);
    expect(e.provider).toBe('logicboxes');
    expect(e.upstreamCode).toBe('ERROR');
    expect(e.upstreamMessage).toBe(message);
  });

  it('never keeps a credential the registrar echoed back', () => {
    const e = errorFromFailure(
      { status: 'ERROR', message: 'Invalid credentials for 990001 with key sim-logicboxes-key-0001' },
      { operation: OPERATIONS.getBalance, secrets: ['sim-logicboxes-key-0001', '990001'] },
    );
    expect(e.kind).toBe('authentication');
    expect(`${e.message} ${e.upstreamMessage}`).not.toMatch(/990001|sim-logicboxes-key-0001/);
  });

  it('an unexplained refusal of a renewal is not retryable', () => {
    const e = errorFromFailure(
      { status: 'ERROR', message: 'Something unheard of' },
      { operation: OPERATIONS.renew },
    );
    expect(e.retryable).toBe(false);
  });

  it('recognizes the IP block page (HTML or text) and nothing else', () => {
    expect(
      errorFromPage('<html><body><h1>Access Denied</h1>You are not allowed from 1.2.3.4</body></html>', {
        operation: OPERATIONS.getDomain,
        httpStatus: 500,
      })?.kind,
    ).toBe('permission');
    expect(
      errorFromPage('<html><body>502 Bad Gateway</body></html>', { operation: OPERATIONS.getDomain }),
    ).toBeUndefined();
  });
});
