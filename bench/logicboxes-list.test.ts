import { describe, expect, it } from 'vitest';
import { decodeSearchPage } from '../src/providers/logicboxes/codec';
import bench, { searchPageText } from './logicboxes-list.bench';

describe('bench: LogicBoxes search page decode', () => {
  it('runs tiny and reports a named, finite figure', async () => {
    const [figure, ...rest] = await bench({ tiny: true });
    expect(rest).toEqual([]);
    expect(figure?.figure).toMatch(/domains\/search\.json decode, 100 rows/);
    expect(figure?.baselineName).toMatch(/JSON\.parse/);
    for (const n of [figure!.value, figure!.baseline, figure!.ratio])
      expect(Number.isFinite(n) && n > 0).toBe(true);
    expect(figure?.target).toBe('≤ 1.5×');
  });

  it('benchmarks a page the codec really accepts', () => {
    const page = decodeSearchPage(JSON.parse(searchPageText(3)), 0);
    expect(page.rows.map((r) => r.domain)).toEqual([
      'customer-domain-1.com',
      'customer-domain-2.com',
      'customer-domain-3.net',
    ]);
  });
});
