import { describe, it } from 'vitest';
import { expectNamedFinite } from './expect-figures';
import bench from './gateway-overhead.bench';

describe('bench gateway-overhead (tiny, local stack)', () => {
  it('measures p50/p99 for both endpoints and the workerd CPU per request', {
    timeout: 180_000,
  }, async () => {
    const figures = await bench({ tiny: true });
    // 2 endpoints × (p50, p99) + 2 CPU figures (Linux /proc).
    expectNamedFinite(figures, process.platform === 'linux' ? 9 : 6, /GET \/v1\/(domains|availability)/);
  });
});
