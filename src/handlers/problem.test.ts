import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, GatewayError } from '../core/errors';
import { problemFromError, problemResponse, STATUS_BY_KIND } from './problem';

const EXPECTED_STATUS: Record<(typeof ERROR_KINDS)[number], number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  conflict: 409,
  insufficient_funds: 402,
  rate_limited: 429,
  unsupported: 501,
  upstream_unavailable: 503,
  transport: 502,
  protocol: 502,
  outcome_unknown: 504,
};

describe('problem+json mapping', () => {
  it.each(ERROR_KINDS.map((k) => [k]))('maps %s to its status and an RFC 9457 body', async (kind) => {
    const error = new GatewayError(kind, {
      message: `something about ${kind}`,
      provider: 'dynadot',
      operation: 'getDomain',
      upstreamCode: 'X1',
    });
    const problem = problemFromError(error, 'req-1');
    expect(STATUS_BY_KIND[kind]).toBe(EXPECTED_STATUS[kind]);
    const res = problemResponse(problem);
    expect(res.status).toBe(EXPECTED_STATUS[kind]);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({
      type: expect.stringContaining(kind),
      title: expect.any(String),
      status: EXPECTED_STATUS[kind],
      detail: `something about ${kind}`,
      kind,
      provider: 'dynadot',
      upstreamCode: 'X1',
      requestId: 'req-1',
    });
  });

  it('hides the internals of unknown errors behind a bare 500', async () => {
    const problem = problemFromError(new TypeError('secret stack detail at db.ts:12'), 'req-2');
    const res = problemResponse(problem);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret stack detail');
    expect(JSON.parse(text)).toMatchObject({ status: 500, kind: 'internal', requestId: 'req-2' });
  });

  it('lists field errors of an invalid request', () => {
    const problem = problemFromError(
      new GatewayError('invalid_request', {
        message: 'bad',
        fields: [{ field: 'years', reason: 'must be 1–10' }],
      }),
    );
    expect(problem.errors).toEqual([{ field: 'years', reason: 'must be 1–10' }]);
  });

  it('redacts secret values that reached a message', async () => {
    const res = problemResponse(
      problemFromError(new GatewayError('protocol', { message: 'key=abcdef123456 bad' })),
      (t) => t.replaceAll('abcdef123456', '[redacted]'),
    );
    expect(await res.text()).not.toContain('abcdef123456');
  });
});
