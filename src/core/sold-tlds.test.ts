import { describe, expect, it } from 'vitest';
import { maySell, tldAsListed } from './sold-tlds';

describe('TLD lists', () => {
  it('match a name on any suffix at a label boundary, and an account without a list may sell anything', () => {
    const list = new Set(['com', 'co.uk', 'xn--fiqs8s']);
    expect(maySell(list, 'example.com')).toBe(true);
    expect(maySell(list, 'shop.co.uk')).toBe(true);
    expect(maySell(list, 'xn--fiq228c.xn--fiqs8s')).toBe(true);
    expect(maySell(list, 'example.cn')).toBe(false);
    expect(maySell(list, 'example.uk')).toBe(false);
    // `com` is no suffix of `notcom` at a label boundary.
    expect(maySell(list, 'x.notcom')).toBe(false);
    expect(maySell(undefined, 'example.cn')).toBe(true);
  });

  it('read a price list’s TLD spelling in the list’s form', () => {
    expect(tldAsListed('.COM')).toBe('com');
    expect(tldAsListed(' co.uk ')).toBe('co.uk');
    expect(tldAsListed('中国')).toBe('xn--fiqs8s');
    expect(tldAsListed('not a tld!')).toBeUndefined();
  });
});
