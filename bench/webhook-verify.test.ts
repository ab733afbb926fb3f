import { describe, expect, it } from 'vitest';
import bench from './webhook-verify.bench';

describe('webhook-verify benchmark', () => {
  it('runs on tiny inputs and returns named, finite figures', async () => {
    const figures = await bench({ tiny: true });
    expect(figures).toHaveLength(2);
    for (const f of figures) {
      expect(f.figure).toMatch(/verification/);
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      expect(Number.isFinite(f.baseline) && f.baseline > 0).toBe(true);
      expect(f.ratio).toBeCloseTo(f.value / f.baseline);
    }
  });
});
