/**
 * The scope of one queue consumer invocation, shared by the messages it runs (core/jobs.ts).
 */

/**
 * What the messages of one consumer invocation may share: a read that many of them would make
 * alike (the renewal engine's price list per account, TLD and term) is made once per batch.
 * `shared(key, read)` starts `read` for the first message that asks and hands every later one the
 * same promise; a rejected read is forgotten, so the next message asks again.
 */
export interface JobBatch {
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** A batch scope that lives as long as one consumer invocation (or one test's handler call). */
export function newJobBatch(): JobBatch {
  const reads = new Map<string, Promise<unknown>>();
  return {
    shared<T>(key: string, read: () => Promise<T>): Promise<T> {
      const known = reads.get(key);
      if (known) return known as Promise<T>;
      const started = read();
      reads.set(key, started);
      started.catch(() => {
        if (reads.get(key) === started) reads.delete(key);
      });
      return started;
    },
  };
}
