import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURSOR_PATTERN, decodeCursor, encodeCursor } from './cursor';

describe('inventory cursors', () => {
  it('round-trip any (domain, account) pair and match the documented pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 253 }), fc.string({ maxLength: 63 }), (domain, account) => {
        const cursor = encodeCursor(domain, account);
        expect(CURSOR_PATTERN.test(cursor)).toBe(true);
        expect(decodeCursor(cursor)).toEqual({ domain, account });
      }),
    );
  });

  it('round-trip a sort key beside the pair (a listing in expiry order)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 253 }),
        fc.string({ maxLength: 63 }),
        fc.string({ maxLength: 30 }),
        (domain, account, sortKey) => {
          const cursor = encodeCursor(domain, account, sortKey);
          expect(CURSOR_PATTERN.test(cursor)).toBe(true);
          expect(decodeCursor(cursor)).toEqual({ domain, account, sortKey });
        },
      ),
    );
  });

  it('refuse anything that is not a cursor of ours with invalid_request naming the field', () => {
    for (const bad of [
      '',
      '!!!!',
      'bm90LWpzb24',
      btoa('[1,2]'),
      btoa('["a"]'),
      btoa('["a","b","c","d"]'),
      btoa('["a","b",3]'),
      'x'.repeat(701),
    ]) {
      try {
        decodeCursor(bad);
        expect.unreachable(bad);
      } catch (error) {
        expect(error).toMatchObject({ kind: 'invalid_request', fields: [{ field: 'cursor' }] });
      }
    }
  });
});
