/**
 * Every upstream call arms a time limit. workerd lets one isolate hold at most 10,000 armed
 * timeouts, so a limit that stays armed after its call (as `AbortSignal.timeout` does, for its
 * whole 30 s) makes the 10,001st call of a busy invocation fail with QuotaExceededError. Found by
 * the 100,000-case fuzz (docs/reliability.md).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log';
import { callUpstream } from '../../src/providers/http';
import { OPERATIONS } from '../../src/providers/operation';

const logger = createLogger({ level: 'error' });
/** An instant registrar: what matters here is the timer each call arms, not the network. */
const instant = async () => new Response('ok');
/** A registrar that never answers: only the call's own signal ends the wait. */
const neverAnswers = (_url: unknown, init?: RequestInit) =>
  new Promise<Response>((_, reject) =>
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
  );

describe('upstream call time limits', () => {
  it('are released when the call ends: 10,500 calls in one invocation all succeed', {
    timeout: 120_000,
  }, async () => {
    for (let i = 0; i < 10_500; i++) {
      const res = await callUpstream(
        { fetch: instant as typeof fetch, logger },
        {
          provider: 'test',
          operation: OPERATIONS.getDomain,
          url: 'http://registrar.test/',
          timeoutMs: 30_000,
        },
      );
      expect(res.status).toBe(200);
    }
  });

  it('still fire: a call slower than its limit is a transport timeout', async () => {
    await expect(
      callUpstream(
        { fetch: neverAnswers as typeof fetch, logger },
        { provider: 'test', operation: OPERATIONS.getDomain, url: 'http://registrar.test/', timeoutMs: 50 },
      ),
    ).rejects.toMatchObject({ kind: 'transport', message: 'test getDomain: timed out' });
  });

  it('follow the caller: a cancelled call is cancelled, not timed out', async () => {
    const caller = new AbortController();
    const call = callUpstream(
      { fetch: neverAnswers as typeof fetch, logger },
      {
        provider: 'test',
        operation: OPERATIONS.getDomain,
        url: 'http://registrar.test/',
        signal: caller.signal,
      },
    );
    caller.abort();
    await expect(call).rejects.toMatchObject({ kind: 'transport', message: 'test getDomain was cancelled' });
  });
});
