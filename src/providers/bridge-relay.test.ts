/**
 * The worker's half of the relay protocol, without a bridge: the request it builds is one the
 * bridge's own check accepts (verifyBridgeRequest), carries the call unchanged minus hop-by-hop
 * headers, and each answer of the bridge is read as the protocol says.
 */
import { describe, expect, it } from 'vitest';
import { buildRelayRequest, type RelayRequestBody, type RelayTarget, readRelayReply } from './bridge-relay';
import {
  NONCE_HEADER,
  RELAY_OUTCOME_HEADER,
  RELAY_PATH,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyBridgeRequest,
} from './com35/bridge-protocol';

const SECRET = 'relay-test-secret-0001-not-real';
const TARGET: RelayTarget = {
  bridgeUrl: 'http://127.0.0.1:7001',
  secret: SECRET,
  account: 'lb-two',
  deadlineMs: 29_500,
};

async function built(request: Request, target = TARGET) {
  const relay = await buildRelayRequest(request, target);
  const text = await relay.text();
  return { relay, text, body: JSON.parse(text) as RelayRequestBody };
}

describe('buildRelayRequest', () => {
  it('signs POST /v1/relay so that the bridge’s check accepts it', async () => {
    const { relay, text } = await built(new Request('https://httpapi.com/api/domains/details.json?x=1'));
    expect(relay.method).toBe('POST');
    expect(relay.url).toBe(`http://127.0.0.1:7001${RELAY_PATH}`);
    const headers = {
      timestamp: relay.headers.get(TIMESTAMP_HEADER) ?? undefined,
      nonce: relay.headers.get(NONCE_HEADER) ?? undefined,
      signature: relay.headers.get(SIGNATURE_HEADER) ?? undefined,
    };
    const now = Math.floor(Date.now() / 1000);
    const request = { method: 'POST', path: RELAY_PATH, body: text };
    await expect(verifyBridgeRequest([SECRET], headers, request, now)).resolves.toMatchObject({ ok: true });
    // The signature covers the body: another target URL is another request.
    const altered = { ...request, body: text.replace('httpapi.com', 'evil.example') };
    await expect(verifyBridgeRequest([SECRET], headers, altered, now)).resolves.toMatchObject({ ok: false });
  });

  it('carries method, URL, end-to-end headers, the body in base64 and the deadline', async () => {
    const form = new URLSearchParams({ apiuser: 'u', domain: 'é.es' });
    const { body } = await built(
      new Request('https://simple-api.dondominio.net/domain/renew/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'keep-alive', te: 'x' },
        body: form,
      }),
      { ...TARGET, deadlineMs: 1234.7 },
    );
    expect(body).toMatchObject({
      account: 'lb-two',
      method: 'POST',
      url: 'https://simple-api.dondominio.net/domain/renew/',
      deadlineMs: 1234,
    });
    expect(body.headers).toContainEqual(['content-type', 'application/x-www-form-urlencoded']);
    expect(body.headers.map(([name]) => name)).not.toEqual(expect.arrayContaining(['connection']));
    expect(body.headers.map(([name]) => name)).not.toContain('te');
    expect(new TextDecoder().decode(Uint8Array.from(atob(body.body ?? ''), (c) => c.charCodeAt(0)))).toBe(
      form.toString(),
    );
  });

  it('sends no body field for a GET, a deadline of at least 1 ms, and the request id unsigned', async () => {
    const { relay, body } = await built(new Request('https://api.dynadot.com/api3.json?command=search'), {
      ...TARGET,
      deadlineMs: -20,
      requestId: 'req-123',
    });
    expect(body).not.toHaveProperty('body');
    expect(body.deadlineMs).toBe(1);
    expect(relay.headers.get('x-request-id')).toBe('req-123');
    expect(Object.keys(body).sort()).toEqual(['account', 'deadlineMs', 'headers', 'method', 'url']);
  });
});

function answer(outcome: string | null, status: number, body: BodyInit | null, headers: HeadersInit = {}) {
  const h = new Headers(headers);
  if (outcome) h.set(RELAY_OUTCOME_HEADER, outcome);
  return new Response(body, { status, headers: h });
}

describe('readRelayReply', () => {
  it('relayed: the registrar’s status, headers and body, without the relay’s own header', async () => {
    const result = await readRelayReply(
      answer('relayed', 500, '{"status":"ERROR"}', {
        'content-type': 'application/json',
        'retry-after': '7',
      }),
    );
    if (result.outcome !== 'relayed') throw new Error(`read as ${result.outcome}`);
    expect(result.response.status).toBe(500);
    expect(result.response.headers.get('retry-after')).toBe('7');
    expect(result.response.headers.has(RELAY_OUTCOME_HEADER)).toBe(false);
    await expect(result.response.text()).resolves.toBe('{"status":"ERROR"}');
  });

  it('relayed: a 3xx stays a 3xx (the bridge never follows it)', async () => {
    const result = await readRelayReply(
      answer('relayed', 302, null, { location: 'https://elsewhere.example/' }),
    );
    expect(result.outcome === 'relayed' && result.response.status).toBe(302);
  });

  it('relayed, body cut mid-way: rejects, as a lost connection does', async () => {
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial":'));
        controller.error(new TypeError('terminated'));
      },
    });
    await expect(readRelayReply(answer('relayed', 200, cut))).rejects.toThrow();
  });

  it('not-sent and reply-lost: the bridge’s reason', async () => {
    await expect(readRelayReply(answer('not-sent', 403, '{"reason":"origin not allowed"}'))).resolves.toEqual(
      { outcome: 'not-sent', reason: 'origin not allowed' },
    );
    await expect(readRelayReply(answer('reply-lost', 502, '{"reason":"socket hang up"}'))).resolves.toEqual({
      outcome: 'reply-lost',
      reason: 'socket hang up',
    });
  });

  it('no outcome header (a proxy’s error page): reply-lost, never not-sent', async () => {
    const result = await readRelayReply(answer(null, 502, '<html>Bad Gateway</html>'));
    expect(result.outcome).toBe('reply-lost');
    expect(result.outcome !== 'relayed' && result.reason).toContain('HTTP 502');
  });

  it('an unknown outcome value: reply-lost', async () => {
    await expect(readRelayReply(answer('maybe', 200, '{}'))).resolves.toMatchObject({
      outcome: 'reply-lost',
    });
  });
});
