/** The worker–bridge contract's pure parts: the canonical request, the verifier, the allow-list. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  allowedCommand,
  BRIDGE_COMMANDS,
  canonicalRequest,
  kindOfSending,
  SPENDING_CLTRID,
  signedBridgeHeaders,
  spendingCltrid,
  verifyBridgeRequest,
} from './bridge-protocol';
import { formulaFor } from './codec';

const SECRET = 'unit-bridge-secret-0123456789';
const NOW = 1_750_000_000;
const request = { method: 'POST', path: '/v1/com35/command', body: '{"category":"account"}' };

async function headersFor(secret = SECRET, nowSeconds = NOW, body = request.body) {
  const h = await signedBridgeHeaders(
    secret,
    { ...request, body },
    { nowSeconds, nonce: 'nonce-0123456789abcdef' },
  );
  return {
    timestamp: h['x-bridge-timestamp'],
    nonce: h['x-bridge-nonce'],
    signature: h['x-bridge-signature'],
  };
}

describe('canonical request', () => {
  it('is v2, method, path, nonce, timestamp and the hex SHA-256 of the body, one per line', async () => {
    const text = await canonicalRequest({ ...request, nonce: 'n0nce-0123456789ab', timestamp: '1750000000' });
    const bodyHash = createHash('sha256').update(request.body).digest('hex');
    expect(text).toBe(`v2\nPOST\n/v1/com35/command\nn0nce-0123456789ab\n1750000000\n${bodyHash}`);
  });

  it('is signed with HMAC-SHA256 as Node computes it', async () => {
    const h = await headersFor();
    const text = await canonicalRequest({ ...request, nonce: h.nonce!, timestamp: h.timestamp! });
    expect(h.signature).toBe(createHmac('sha256', SECRET).update(text).digest('hex'));
  });
});

describe('verifyBridgeRequest', () => {
  it('accepts the request as signed, with either secret of a rotation', async () => {
    const other = 'other-bridge-secret-0123456789';
    for (const secret of [SECRET, other]) {
      const verdict = await verifyBridgeRequest([SECRET, other], await headersFor(secret), request, NOW);
      expect(verdict).toEqual({ ok: true, nonce: 'nonce-0123456789abcdef', timestamp: NOW });
    }
  });

  it.each([
    ['another method', { ...request, method: 'PUT' }],
    ['another path', { ...request, path: '/metrics' }],
    ['another body', { ...request, body: '{"category":"domain"}' }],
  ])('refuses the signature over %s', async (_, changed) => {
    expect(await verifyBridgeRequest([SECRET], await headersFor(), changed, NOW)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
  });

  it('refuses another nonce under the same signature', async () => {
    const h = { ...(await headersFor()), nonce: 'nonce-0123456789abcdeX' };
    expect(await verifyBridgeRequest([SECRET], h, request, NOW)).toMatchObject({ ok: false });
  });

  it('keeps a 60-second window on both sides', async () => {
    const h = await headersFor();
    expect((await verifyBridgeRequest([SECRET], h, request, NOW + 60)).ok).toBe(true);
    expect((await verifyBridgeRequest([SECRET], h, request, NOW - 60)).ok).toBe(true);
    expect(await verifyBridgeRequest([SECRET], h, request, NOW + 61)).toMatchObject({
      ok: false,
      reason: 'timestamp outside the 60-second window',
    });
    expect((await verifyBridgeRequest([SECRET], h, request, NOW - 61)).ok).toBe(false);
  });

  it('refuses missing or malformed headers with a reason that names them, and never echoes a secret', async () => {
    const h = await headersFor();
    const cases = [
      { ...h, nonce: undefined },
      { ...h, nonce: 'short' },
      { ...h, nonce: 'line\nbreak-0123456789' },
      { ...h, timestamp: '17e9' },
      { ...h, signature: undefined },
    ];
    for (const c of cases) {
      const verdict = await verifyBridgeRequest([SECRET], c, request, NOW);
      expect(verdict.ok).toBe(false);
      expect(JSON.stringify(verdict)).not.toContain(SECRET);
    }
  });
});

describe('allow-list', () => {
  it('holds only commands the codec can build (a checksum formula each)', () => {
    for (const name of Object.keys(BRIDGE_COMMANDS)) {
      const [category = '', action = ''] = name.split('/');
      expect(formulaFor(category, action), name).toBeDefined();
    }
  });

  it('matches category and action together, and only own keys', () => {
    expect(allowedCommand('domain', 'RenewDomain')).toEqual({ category: 'domain', kind: 'spend' });
    expect(allowedCommand('account', 'GetAccountBalance')).toEqual({ category: 'account', kind: 'query' });
    expect(allowedCommand('account', 'RenewDomain')).toBeUndefined();
    expect(allowedCommand('domain', 'DeleteDomain')).toBeUndefined();
    expect(allowedCommand('client', 'Login')).toBeUndefined();
    expect(allowedCommand('domain', 'constructor')).toBeUndefined();
    // One action in two categories: each declared on its own.
    expect(allowedCommand('vhost', 'GetInfo')).toEqual({ category: 'vhost', kind: 'query' });
    expect(allowedCommand('mail', 'GetInfo')).toEqual({ category: 'mail', kind: 'query' });
    expect(allowedCommand('domain', 'GetInfo')).toBeUndefined();
    expect(allowedCommand('mail', 'RenewVhost')).toBeUndefined();
  });

  it('marks exactly the three renewals as spending money', () => {
    const spending = Object.entries(BRIDGE_COMMANDS)
      .filter(([, spec]) => spec.kind === 'spend')
      .map(([name]) => name);
    expect(spending).toEqual(['domain/RenewDomain', 'vhost/RenewVhost', 'mail/RenewMail']);
  });

  it('reads a renewal sent with GetPrice=1 as a query, any other GetPrice as nothing it sends', () => {
    const renewVhost = allowedCommand('vhost', 'RenewVhost')!;
    const params = { flag: '1002', vhostname: 'simzq1', year: '1', currentexpiredate: '08/31/2027' };
    expect(kindOfSending(renewVhost, params)).toBe('spend');
    expect(kindOfSending(renewVhost, { ...params, GetPrice: '1' })).toBe('query');
    expect(kindOfSending(renewVhost, { ...params, GetPrice: '0' })).toBeUndefined();
    expect(kindOfSending(renewVhost, { ...params, GetPrice: ['1', '1'] })).toBeUndefined();
    // A command without a price query keeps its kind whatever it is sent with.
    expect(kindOfSending(allowedCommand('domain', 'RenewDomain')!, { GetPrice: '1' })).toBe('spend');
  });
});

describe('spendingCltrid', () => {
  it('is the same for the same renewal, different for another, and 35.com-legal', async () => {
    const a = await spendingCltrid('rnw_0123456789abcdef0123456789abcdef');
    expect(await spendingCltrid('rnw_0123456789abcdef0123456789abcdef')).toBe(a);
    expect(await spendingCltrid('rnw_0123456789abcdef0123456789abcdee')).not.toBe(a);
    expect(a).toMatch(SPENDING_CLTRID);
    expect(a).toMatch(/^[A-Za-z0-9]{1,64}$/);
  });
});
