import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors';
import { backoffDelayMs, parseRetryAfter, shouldRetry, withRetry } from './retry';

const err = (kind: ConstructorParameters<typeof GatewayError>[0], retryAfter?: number) =>
  new GatewayError(kind, { message: kind, retryAfter });

describe('shouldRetry', () => {
  it('retries reads on transport, 5xx-style unavailability and rate limits', () => {
    for (const kind of ['transport', 'upstream_unavailable', 'rate_limited'] as const) {
      expect(shouldRetry(err(kind), { attempt: 1, kind: 'query' })).toBe(true);
    }
  });

  it('never retries errors about the request itself', () => {
    for (const kind of [
      'invalid_request',
      'authentication',
      'permission',
      'not_found',
      'conflict',
      'protocol',
    ] as const) {
      expect(shouldRetry(err(kind), { attempt: 1, kind: 'query' })).toBe(false);
    }
  });

  it('stops at the attempt limit', () => {
    expect(shouldRetry(err('transport'), { attempt: 3, kind: 'query' })).toBe(false);
    expect(shouldRetry(err('transport'), { attempt: 2, kind: 'query' })).toBe(true);
  });

  it('never retries a renewal blindly: only a rate-limit refusal, which happened before acting', () => {
    expect(shouldRetry(err('transport'), { attempt: 1, kind: 'spend' })).toBe(false);
    expect(shouldRetry(err('upstream_unavailable'), { attempt: 1, kind: 'spend' })).toBe(false);
    expect(shouldRetry(err('outcome_unknown'), { attempt: 1, kind: 'spend' })).toBe(false);
    expect(shouldRetry(err('rate_limited'), { attempt: 1, kind: 'spend' })).toBe(true);
  });

  it('retries a change like a query: setting the same value twice is harmless', () => {
    expect(shouldRetry(err('transport'), { attempt: 1, kind: 'change' })).toBe(true);
    expect(shouldRetry(err('upstream_unavailable'), { attempt: 1, kind: 'change' })).toBe(true);
  });

  it('retries a renewal on transport failure when the registrar dedupes it', () => {
    expect(shouldRetry(err('transport'), { attempt: 1, kind: 'spend', upstreamDedupes: true })).toBe(true);
    expect(shouldRetry(err('outcome_unknown'), { attempt: 1, kind: 'spend', upstreamDedupes: true })).toBe(
      false,
    );
  });
});

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
  it('grows exponentially under full jitter and is capped', () => {
    expect(backoffDelayMs(1, { policy, random: () => 0.999 })).toBe(99);
    expect(backoffDelayMs(3, { policy, random: () => 0.999 })).toBe(399);
    expect(backoffDelayMs(10, { policy, random: () => 0.999 })).toBe(999);
    expect(backoffDelayMs(3, { policy, random: () => 0 })).toBe(0);
  });
  it('honours Retry-After as a floor', () => {
    expect(backoffDelayMs(1, { policy, random: () => 0, retryAfterSeconds: 7 })).toBe(7_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries a read until it succeeds, sleeping between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw err('transport');
        return 'ok';
      },
      { kind: 'query', sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it('calls a renewal once when the reply was lost', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err('outcome_unknown');
        },
        { kind: 'spend', sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'outcome_unknown' });
    expect(calls).toBe(1);
  });
});
