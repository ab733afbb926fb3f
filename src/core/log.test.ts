import { describe, expect, it } from 'vitest';
import { createLogger, createRedactor, urlWithoutCredentials } from './log';

describe('logger', () => {
  it('writes one JSON object per line with level, message and fields', () => {
    const lines: string[] = [];
    createLogger({ sink: (l) => lines.push(l), base: { requestId: 'r1' } }).info('hello', { status: 200 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'hello',
      requestId: 'r1',
      status: 200,
    });
  });

  it('redacts configured secret values anywhere, URL-encoded too, and secret-named fields', () => {
    const lines: string[] = [];
    const secret = 'k3y/with+chars';
    const log = createLogger({ secrets: [secret], sink: (l) => lines.push(l) });
    log.warn('call failed', {
      url: `https://api.example/api3.xml?key=${encodeURIComponent(secret)}&command=search`,
      nested: { note: `raw ${secret} inside` },
      password: 'hunter2-long',
      apiKey: 'anything',
      error: new Error(`bad key ${secret}`),
    });
    const text = lines.join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain('hunter2-long');
    expect(text).not.toContain('anything');
    expect(JSON.parse(text).url).toBe('https://api.example/api3.xml?key=[redacted]&command=search');
  });

  it('respects the level and carries child fields', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', sink: (l) => lines.push(l) }).child({ provider: 'dynadot' });
    log.info('quiet');
    log.error('loud');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ msg: 'loud', provider: 'dynadot' }),
    ]);
  });

  it('does not redact short values that would mangle ordinary words', () => {
    expect(createRedactor(['abc'])('abcdef')).toBe('abcdef');
    expect(createRedactor(['9901'])('user 9901 id')).toBe('user [redacted] id');
  });

  it('redacts anything shaped like an API key, in a path or a query, without knowing the key', () => {
    const key = `rgw_${'Ab3-_x'.repeat(7)}Q`;
    const lines: string[] = [];
    createLogger({ sink: (l) => lines.push(l) }).info('request', {
      path: `/v1/domains/${key}`,
      url: `https://gw.example/v1/domains?note=${key}&limit=5`,
    });
    expect(lines[0]).not.toContain(key);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      path: '/v1/domains/[redacted]',
      url: 'https://gw.example/v1/domains?note=[redacted]&limit=5',
    });
    // The prefix alone, or a short word after it, is not a key.
    expect(createRedactor([])('rgw_ and rgw_short')).toBe('rgw_ and rgw_short');
  });

  it('keeps only the origin and path of a URL to store or log', () => {
    expect(
      urlWithoutCredentials('https://hook-user:hook-pass@billing.example:8443/hooks/x?token=t0k#f'),
    ).toBe('https://billing.example:8443/hooks/x');
    expect(urlWithoutCredentials('not a url')).toBe('[unparseable URL]');
  });
});
