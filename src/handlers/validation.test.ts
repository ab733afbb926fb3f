import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueFields } from './validation';

const names = z.array(z.string()).max(2, { error: 'at most 2 names' });
const body = z.union([names, z.object({ domains: names, prices: z.boolean().optional() })]);
const fieldsOf = (input: unknown) => {
  const parsed = body.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return issueFields(parsed.error.issues);
};

describe('issueFields', () => {
  it('reports a union by the option the input’s shape chose, not as "Invalid input"', () => {
    expect(fieldsOf(['a', 'b', 'c'])).toEqual([{ field: '(body)', reason: 'at most 2 names' }]);
    expect(fieldsOf({ domains: ['a', 'b', 'c'] })).toEqual([{ field: 'domains', reason: 'at most 2 names' }]);
    expect(fieldsOf({ domains: ['a'], prices: 'yes' })).toEqual([
      { field: 'prices', reason: expect.stringMatching(/boolean/) },
    ]);
  });

  it('keeps zod’s union message when no option fits the input’s shape', () => {
    expect(fieldsOf('a string')).toEqual([{ field: '(body)', reason: 'Invalid input' }]);
  });

  it('names an unknown field by itself, under a prefix', () => {
    const parsed = z.strictObject({ years: z.number() }).safeParse({ years: 1, yeras: 2 });
    expect(parsed.success).toBe(false);
    expect(issueFields(parsed.error!.issues, 'data')).toEqual([
      { field: 'data.yeras', reason: 'unknown field' },
    ]);
  });
});
