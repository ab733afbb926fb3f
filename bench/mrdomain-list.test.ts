import { describe, expect, it } from 'vitest';
import { decodeDomainList } from '../src/providers/mrdomain/codec';
import bench, { domainListReply } from './mrdomain-list.bench';

describe('bench: MrDomain domain/list decode', () => {
  it('runs tiny and reports named, finite figures', async () => {
    const figures = await bench({ tiny: true });
    expect(figures).toHaveLength(1);
    for (const f of figures) {
      expect(f.figure).toMatch(/domain\/list/);
      expect(f.baselineName).toMatch(/JSON\.parse/);
      for (const n of [f.baseline, f.value, f.ratio]) {
        expect(Number.isFinite(n)).toBe(true);
        expect(n).toBeGreaterThan(0);
      }
      expect(f.target).toBe('≤ 1.5×');
    }
  });

  it('measures a reply the codec really decodes', () => {
    const page = decodeDomainList(domainListReply(30));
    expect(page.domains).toHaveLength(30);
    expect(page.queryInfo.total).toBe(30);
    expect(page.domains[0]?.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
  });
});
