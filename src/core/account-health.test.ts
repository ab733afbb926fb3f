import { describe, expect, it } from 'vitest';
import { type AccountHealthCheck, HEALTH_MAX_AGE_MS, HealthCache, type HealthStore } from './account-health';

function memoryStore(): HealthStore {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => values.get(key) as T | undefined,
    put: async <T>(key: string, value: T) => void values.set(key, value),
  };
}

/** A cache on a hand-moved clock, and a check that counts how often it ran. */
function setup(start = '2026-01-01T00:10:00Z') {
  const t = { now: Date.parse(start), checks: 0 };
  const cache = new HealthCache(memoryStore(), () => t.now);
  const check = async (): Promise<AccountHealthCheck> => {
    t.checks++;
    return { reachable: 'ok', latencyMs: 1, checkedAt: new Date(t.now).toISOString() };
  };
  return { t, cache, check };
}

describe('HealthCache', () => {
  it('lets 100 readers that arrive together share one check', async () => {
    const { t, cache, check } = setup();
    const answers = await Promise.all(Array.from({ length: 100 }, () => cache.read(check)));
    expect(t.checks).toBe(1);
    expect(new Set(answers.map((a) => a.checkedAt)).size).toBe(1);
  });

  it('reuses an answer younger than a minute, and checks again once it is a minute old', async () => {
    const { t, cache, check } = setup();
    const first = await cache.read(check);
    t.now += HEALTH_MAX_AGE_MS - 1;
    expect(await cache.read(check)).toEqual(first);
    expect(t.checks).toBe(1);
    t.now += 1;
    expect((await cache.read(check)).checkedAt).not.toBe(first.checkedAt);
    expect(t.checks).toBe(2);
  });

  it('does not trust an answer from the future (a clock that stepped back)', async () => {
    const { t, cache, check } = setup();
    await cache.read(check);
    t.now -= 5 * 60_000;
    await cache.read(check);
    expect(t.checks).toBe(2);
  });
});
