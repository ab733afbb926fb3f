/**
 * A time limit for one outbound call whose timer is released as soon as the call ends.
 *
 * Why not `AbortSignal.timeout(ms)`: its timer stays armed until it fires, whether or not the call
 * is long done, and workerd caps the timeouts one isolate may have armed at 10,000. The 100,000-case
 * front-door fuzz reached that cap (`QuotaExceededError: You have exceeded the number of active
 * timeouts`), and every upstream call after it failed. A busy production invocation (a queue
 * batch, an inventory sync of large accounts) holds its 30 s timers the same way.
 */
export interface Deadline {
  /** Aborts when the time is up, or when `parent` aborts. */
  readonly signal: AbortSignal;
  /** True once the time limit (not the parent) aborted the signal. */
  readonly expired: boolean;
  /** Disarm the timer and detach from the parent; call it when the call is over. */
  release(): void;
}

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  const follow = () => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    release() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', follow);
    },
  };
}

/** Run `call` with a deadline of `ms`, releasing its timer however the call ends. */
export async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const limit = deadline(ms);
  try {
    return await call(limit.signal);
  } finally {
    limit.release();
  }
}
