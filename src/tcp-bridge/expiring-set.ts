/**
 * A set of strings each remembered for a fixed time, holding at most `capacity` of them. Written
 * here rather than taken from a cache library because a cache evicts when full, and forgetting a
 * nonce or a sent cltrid early is exactly the hole these sets close: when full, `add` refuses.
 *
 * Every key gets the same lifetime from when it is added, so insertion order is expiry order
 * and pruning only ever looks at the oldest entries.
 */
export type AddResult = 'added' | 'present' | 'full';

export class ExpiringSet {
  /** key → time (ms) after which it is forgotten; Map iteration is insertion order. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    this.prune();
    return this.until.size;
  }

  has(key: string): boolean {
    this.prune();
    return this.until.has(key);
  }

  /** Remember `key` (added at `at`, default now); refuse rather than grow past the capacity. */
  add(key: string, at = this.now()): AddResult {
    this.prune();
    if (this.until.has(key)) return 'present';
    if (this.until.size >= this.capacity) return 'full';
    this.until.set(key, at + this.ttlMs);
    return 'added';
  }

  /** Live keys with the time each was added, oldest first. */
  entries(): Array<[key: string, addedAt: number]> {
    this.prune();
    return [...this.until].map(([key, until]) => [key, until - this.ttlMs]);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, until] of this.until) {
      if (until > now) break;
      this.until.delete(key);
    }
  }
}
