/**
 * Codec fuzzing, fast version (issue 13, item 2): every registrar's recorded real-wire session
 * replayed with one reply mutated, fixed seed, a few dozen cases per session. `npm run soak` runs
 * the same with thousands (scripts/soak.ts); docs/reliability.md has the figures.
 */
import { describe, expect, it } from 'vitest';
import { envFor, fuzzSessions, recordSessions, replay } from '../../scripts/soak/codec-fuzz';
import { fuzzCom35RealReplies, realFiles, realReplySessions } from '../../scripts/soak/real-replies';

describe('mutated registrar replies', () => {
  it('never make a provider throw anything but a GatewayError of an acceptable kind, nor hang', {
    timeout: 120_000,
  }, async () => {
    const sessions = await recordSessions();
    const providersSeen = new Set(sessions.map((s) => s.provider));
    expect(providersSeen.size, 'every simulated registrar recorded a session').toBeGreaterThanOrEqual(3);
    expect(sessions.some((s) => s.operation === 'renew')).toBe(true);
    const report = await fuzzSessions(sessions, { runs: 40, seed: 1313 });
    expect(report.cases).toBe(40 * sessions.length);
    expect(report.failures).toEqual([]);
    // The mutations reach the decoders: some replies become unreadable.
    expect(report.outcomes.protocol ?? 0).toBeGreaterThan(0);
  });
});

describe('mutated REAL registrar replies (shared/fixtures/real)', () => {
  it('every real reply is fuzzed where the provider reads it, and never makes it throw anything else', {
    timeout: 120_000,
  }, async () => {
    const sessions = realReplySessions(await recordSessions());
    const fuzzed = new Set(sessions.map((s) => s.source));
    for (const provider of ['dynadot', 'logicboxes', 'alibaba'])
      for (const file of realFiles(provider)) expect(fuzzed).toContain(`${provider}/${file}`);
    expect(fuzzed.size).toBeGreaterThanOrEqual(50);
    const report = await fuzzSessions(sessions, { runs: 40, seed: 1313 });
    expect(report.failures).toEqual([]);
    expect(report.outcomes.protocol ?? 0).toBeGreaterThan(0);
    // Real error envelopes stay readable as the registrar's own errors through many mutations.
    expect(report.outcomes.authentication ?? 0).toBeGreaterThan(0);
  });

  it("35.com's real reply, mutated, parses or is a protocol error", () => {
    const report = fuzzCom35RealReplies({ runs: 300, seed: 1313 });
    expect(report.cases).toBe(300 * realFiles('com35').length);
    expect(report.cases).toBeGreaterThan(0);
    expect(report.failures).toEqual([]);
    expect(report.outcomes.protocol ?? 0).toBeGreaterThan(0);
  });
});

describe('regressions found by the codec fuzzer', () => {
  it('dynadot: a price table per 6 years gives no 1-year price instead of a RangeError', async () => {
    const [session] = (await recordSessions(['dynadot'])).filter((s) => s.operation === 'getPrices');
    const body = session!.replies[0]!.body;
    expect(body).toContain('(Price/1 year)');
    const { provider } = replay(
      session!,
      await envFor('dynadot'),
      0,
      body.replaceAll('(Price/1 year)', '(Price/6 year)'),
    );
    expect(await provider.getPrices({ tld: 'com', operation: 'renew', years: 1 }, {})).toEqual([]);
    const six = await provider.getPrices({ tld: 'com', operation: 'renew', years: 6 }, {});
    expect(six).toHaveLength(1);
  });
});
