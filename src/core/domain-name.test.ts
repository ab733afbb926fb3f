import { describe, expect, it } from 'vitest';
import { normalizeDomainName, requireDomainName, tldOf, toUnicode } from './domain-name';
import { isGatewayError } from './errors';

describe('normalizeDomainName', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM  ', 'example.com'],
    ['example.com.', 'example.com'],
    ['sub.example.co.uk', 'sub.example.co.uk'],
    ['a-b.example', 'a-b.example'],
    ['xn--fiqs8s.com', 'xn--fiqs8s.com'],
    ['中国.com', 'xn--fiqs8s.com'],
    ['例子.中国', 'xn--fsqu00a.xn--fiqs8s'],
    ['测试。中国', 'xn--0zwm56d.xn--fiqs8s'],
    ['BÜCHER.de', 'xn--bcher-kva.de'],
    ['münchen.de.', 'xn--mnchen-3ya.de'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('%s → %s', (input, expected) => {
    const r = normalizeDomainName(input);
    expect(r).toMatchObject({ ok: true, name: expected });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['.', 'empty'],
    ['example..com', 'empty_label'],
    ['.example.com', 'empty_label'],
    [`${'a'.repeat(64)}.com`, 'label_too_long'],
    [`${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`, 'name_too_long'],
    ['exa_mple.com', 'bad_characters'],
    ['exa mple.com', 'bad_characters'],
    ['example.com/path', 'bad_characters'],
    ['user@example.com', 'bad_characters'],
    ['-example.com', 'hyphen_position'],
    ['example-.com', 'hyphen_position'],
    ['localhost', 'missing_tld'],
    ['中国', 'missing_tld'],
    ['example.123', 'numeric_tld'],
  ])('rejects %j with %s', (input, problem) => {
    const r = normalizeDomainName(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.reason.length).toBeGreaterThan(5);
    }
  });

  it('gives the Unicode form, the TLD and the SLD', () => {
    const r = normalizeDomainName('例子.中国');
    expect(r).toMatchObject({ ok: true, unicode: '例子.中国', tld: 'xn--fiqs8s', sld: 'xn--fsqu00a' });
    expect(toUnicode('xn--bcher-kva.de')).toBe('bücher.de');
  });

  it('requireDomainName throws invalid_request naming the field', () => {
    try {
      requireDomainName('bad..name', 'domains[2]');
      expect.unreachable();
    } catch (e) {
      expect(isGatewayError(e) && e.kind).toBe('invalid_request');
      expect(isGatewayError(e) && e.fields).toEqual([
        { field: 'domains[2]', reason: expect.stringContaining('empty label') },
      ]);
    }
  });

  it('tldOf keeps multi-label suffixes', () => {
    expect(tldOf('example.co.uk')).toBe('co.uk');
    expect(tldOf('example.com')).toBe('com');
  });
});
