import { describe, expect, it } from 'vitest';
import bench from './dynadot-list.bench';

describe('bench dynadot-list (tiny)', () => {
  it('produces named, finite figures', async () => {
    const figures = await bench({ tiny: true });
    expect(figures).toHaveLength(2);
    for (const f of figures) {
      expect(f.figure).toMatch(/list_domain/);
      expect(f.baselineName).not.toBe('');
      for (const n of [f.baseline, f.value, f.ratio]) expect(Number.isFinite(n)).toBe(true);
      expect(typeof f.met).toBe('boolean');
    }
  });
});
