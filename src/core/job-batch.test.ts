import { describe, expect, it } from 'vitest';
import { newJobBatch } from './job-batch';

describe('newJobBatch', () => {
  it('starts one read per key and hands every later caller the same answer', async () => {
    const batch = newJobBatch();
    let reads = 0;
    const read = async () => {
      reads++;
      return { price: '10.99' };
    };
    const [a, b] = await Promise.all([batch.shared('k', read), batch.shared('k', read)]);
    expect(reads).toBe(1);
    expect(b).toBe(a);
    await batch.shared('other', read);
    expect(reads).toBe(2);
    // A second batch (the next consumer invocation) reads again.
    await newJobBatch().shared('k', read);
    expect(reads).toBe(3);
  });

  it('forgets a failed read, so the next caller asks again', async () => {
    const batch = newJobBatch();
    let reads = 0;
    const failing = async () => {
      reads++;
      throw new Error('timed out');
    };
    await expect(batch.shared('k', failing)).rejects.toThrow('timed out');
    await expect(batch.shared('k', async () => 'now it answers')).resolves.toBe('now it answers');
    expect(reads).toBe(1);
  });
});
