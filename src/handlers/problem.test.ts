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
    // A registrar's `authentication` is the gateway's fault: covered on its own below.
    const provider = kind === 'authentication' ? undefined : 'dynadot';
    const error = new GatewayError(kind, {
      message: `something about ${kind}`,
      provider,
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
      upstreamCode: 'X1',
      requestId: 'req-1',
    });
    expect(body.provider).toBe(provider);
  });

  it('maps a registrar refusing the gateway’s credentials to 502 with no challenge: the caller’s key was fine', async () => {
    const error = new GatewayError('authentication', {
      message: 'dynadot get_account_balance: the API key was refused (invalid key)',
      provider: 'dynadot',
      operation: 'get_account_balance',
    });
    const res = problemResponse(problemFromError(error, 'req-3'));
    expect(res.status).toBe(502);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({
      status: 502,
      kind: 'authentication',
      provider: 'dynadot',
      title: "The registrar refused the gateway's credentials",
      detail:
        "the gateway's Dynadot credentials were refused (dynadot get_account_balance: the API key was refused (invalid key)); the operator must fix the account's configuration",
    });
    // The gateway's own refusal of an API key stays a 401 with its challenge.
    const own = problemResponse(problemFromError(new GatewayError('authentication', { message: 'no key' })));
    expect(own.status).toBe(401);
    expect(own.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('gives a refusal of the body’s size or media type its own status (413, 415)', () => {
    const of = (code: string) =>
      problemFromError(new GatewayError('invalid_request', { message: 'refused', code }));
    expect(of('body_too_large')).toMatchObject({
      status: 413,
      title: 'Payload too large',
      code: 'body_too_large',
    });
    expect(of('unsupported_media_type')).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(of('something_else')).toMatchObject({ status: 400 });
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
