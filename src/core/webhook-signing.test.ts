import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  signStandard,
  signStripe,
  standardHeaders,
  verifyStandard,
  verifyStripe,
} from './webhook-signing';

const secret = `whsec_${Buffer.from('unit-test-standard-secret-000001').toString('base64')}`;
const enc = (s: string) => new TextEncoder().encode(s);
const now = 1_800_000_000;

describe('Standard Webhooks signing', () => {
  it('produces exactly the signature of the reference library', async () => {
    const body = '{"type":"domain.renew","data":{"domain":"example.com"}}';
    const ours = await signStandard(secret, 'msg_1', now, body);
    expect(ours).toBe(new Webhook(secret).sign('msg_1', new Date(now * 1000), body));
  });

  it('produces headers the reference library verifies', async () => {
    const body = '{"type":"domain.renewal.confirmed","timestamp":"2027-01-01T00:00:00.000Z","data":{}}';
    const ts = Math.floor(Date.now() / 1000);
    const headers = await standardHeaders([secret], 'rnw_1_confirmed', ts, body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'domain.renewal.confirmed' });
  });

  it('verifies the library signature over the raw bytes and refuses any change', async () => {
    const body = '{"a":1}';
    const sig = new Webhook(secret).sign('msg_2', new Date(now * 1000), body);
    const ok = await verifyStandard(
      [secret],
      { id: 'msg_2', timestamp: String(now), signature: sig },
      enc(body),
      now,
    );
    expect(ok).toEqual({ ok: true });
    const bad = await verifyStandard(
      [secret],
      { id: 'msg_2', timestamp: String(now), signature: sig },
      enc('{"a":2}'),
      now,
    );
    expect(bad).toMatchObject({ ok: false, failure: 'bad_signature' });
    const late = await verifyStandard(
      [secret],
      { id: 'msg_2', timestamp: String(now), signature: sig },
      enc(body),
      now + 301,
    );
    expect(late).toMatchObject({ ok: false, failure: 'stale_timestamp' });
    const edge = await verifyStandard(
      [secret],
      { id: 'msg_2', timestamp: String(now), signature: sig },
      enc(body),
      now + 300,
    );
    expect(edge).toEqual({ ok: true });
  });

  it('refuses signatures that are not base64, and accepts a non-base64 secret as raw bytes', async () => {
    expect(base64Decode('abc')).toBeUndefined();
    expect(base64Decode('a b=')).toBeUndefined();
    const raw = 'not-base64-secret!!';
    const sig = await signStandard(raw, 'm', now, 'x');
    expect(sig).toBe(new Webhook(raw, { format: 'raw' }).sign('m', new Date(now * 1000), 'x'));
  });
});

describe('Stripe signing', () => {
  it('matches the documented scheme: hex HMAC-SHA256 of "<t>.<body>" keyed by the whole secret', async () => {
    const { createHmac } = await import('node:crypto');
    const body = '{"id":"evt_1"}';
    const expected = createHmac('sha256', 'whsec_abc').update(`${now}.${body}`).digest('hex');
    expect(await signStripe('whsec_abc', now, body)).toBe(`t=${now},v1=${expected}`);
  });

  it('verifies, and refuses a stale or tampered event', async () => {
    const body = '{"id":"evt_1"}';
    const header = await signStripe('whsec_abc', now, body);
    expect(await verifyStripe(['whsec_old', 'whsec_abc'], header, enc(body), now + 10)).toEqual({ ok: true });
    expect(await verifyStripe(['whsec_abc'], header, enc(body), now + 301)).toMatchObject({
      failure: 'stale_timestamp',
    });
    expect(await verifyStripe(['whsec_abc'], header, enc(`${body} `), now)).toMatchObject({
      failure: 'bad_signature',
    });
    expect(await verifyStripe(['whsec_abc'], 'garbage', enc(body), now)).toMatchObject({
      failure: 'malformed_header',
    });
  });
});
