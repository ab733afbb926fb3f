import { describe, it } from 'vitest';
import bench from './bundle.bench';
import { expectNamedFinite } from './expect-figures';

describe('bench bundle (tiny)', () => {
  it('builds the worker, sizes it and measures its start-up', { timeout: 180_000 }, async () => {
    expectNamedFinite(
      await bench({ tiny: true }),
      process.platform === 'linux' ? 3 : 2,
      /Worker (bundle|startup)/,
    );
  });
});
