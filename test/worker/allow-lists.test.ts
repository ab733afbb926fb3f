/**
 * A registrar that only answers allow-listed client addresses (issue 21): with a simulator's
 * allow-list on and only 127.0.0.2 allowed, the gateway's call (which leaves from 127.0.0.1) is
 * refused, and every provider reports it as one clear `permission` error that names the allow-list
 * (REST: 403), never as a protocol fault or an outage. Real worker, real simulators.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOW_LIST_ADVICE, ALLOW_LIST_CODE } from '../../src/core/allow-list-refusal';
import { GatewayError } from '../../src/core/errors';
import { api, json, type ProblemBody } from './api-support';
import { providerFor, sim } from './helpers';

const HTTP_REGISTRARS = ['dynadot', 'logicboxes', 'alibaba', 'mrdomain'] as const;
const ONLY_ANOTHER_ADDRESS = { addresses: ['127.0.0.2'] };

afterEach(async () => {
  for (const key of HTTP_REGISTRARS) await sim(key).call('allowlist', { addresses: [] });
});

describe('a registrar refusing the gateway’s client address', () => {
  it.each(HTTP_REGISTRARS)('%s: a permission error that names the allow-list', async (key) => {
    await sim(key).call('allowlist', ONLY_ANOTHER_ADDRESS);
    const refused = providerFor(key).getDomain('allow-listed-elsewhere.com', {});
    await expect(refused).rejects.toBeInstanceOf(GatewayError);
    await expect(refused).rejects.toMatchObject({
      kind: 'permission',
      code: ALLOW_LIST_CODE,
      provider: key,
      retryable: false,
      message: expect.stringContaining(ALLOW_LIST_ADVICE),
    });
  });

  it.each(HTTP_REGISTRARS)('%s: served again once the allow-list is off', async (key) => {
    await sim(key).call('allowlist', ONLY_ANOTHER_ADDRESS);
    await sim(key).call('allowlist', { addresses: [] });
    await expect(providerFor(key).getDomain('allow-listed-elsewhere.com', {})).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('REST: 403 with the advice in the problem, not 502 or 503', async () => {
    await sim('dynadot').call('allowlist', ONLY_ANOTHER_ADDRESS);
    const res = await api('/v1/accounts/dynadot/balance');
    const body = await json<ProblemBody>(res);
    expect(res.status, JSON.stringify(body)).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(body)).toContain('allow-list');
  });
});
