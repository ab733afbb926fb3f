import { describe, expect, it } from 'vitest';
import com35Sessions from './com35-sessions.bench';

describe('bench/com35-sessions (tiny)', () => {
  it('produces three finite, named figures', async () => {
    const figures = await com35Sessions({ tiny: true });
    expect(figures).toHaveLength(3);
    for (const f of figures) {
      expect(f.figure).toMatch(/\w/);
      expect(f.baselineName).toMatch(/\w/);
      for (const n of [f.value, f.baseline, f.ratio]) expect(Number.isFinite(n)).toBe(true);
      expect(typeof f.met).toBe('boolean');
    }
  }, 90_000);
});
