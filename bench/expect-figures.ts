/** What every benchmark's tiny test checks: named figures with finite numbers (never their speed). */
import { expect } from 'vitest';
import type { BenchFigure } from './types';

export function expectNamedFinite(figures: BenchFigure[], count: number, name: RegExp): void {
  expect(figures).toHaveLength(count);
  for (const f of figures) {
    expect(f.figure).toMatch(name);
    expect(f.baselineName.length).toBeGreaterThan(0);
    expect(f.unit.length).toBeGreaterThan(0);
    expect(f.target.length).toBeGreaterThan(0);
    for (const n of [f.baseline, f.value, f.ratio])
      expect(Number.isFinite(n), `${f.figure}: ${n}`).toBe(true);
    expect(f.value).toBeGreaterThan(0);
    expect(typeof f.met).toBe('boolean');
  }
}
