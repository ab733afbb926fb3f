/**
 * Availability across registrar accounts: the one function the REST API, the bot and the webhooks
 * call. Names are normalized here (a bad name gets its own `reason`, never a failed request), then
 * spread over the accounts that can check availability.
 *
 * Fan-out: one shared queue of names; each account runs `limits.concurrency` workers that each take
 * up to `limits.availabilityBatch` names per upstream call (the AccountGate still enforces the
 * account's own call discipline across isolates). A faster account simply takes more batches. When
 * an account's call fails as a whole (transport, rate limit, unsupported TLD set…), its names go
 * back to the queue for the accounts that have not tried them yet; a name every account failed on
 * gets the last error as its `reason`.
 */

import { normalizeDomainName } from './domain-name';
import { GatewayError, isGatewayError } from './errors';
import type { Logger } from './log';
import type { Availability, Money } from './model';
import type { ProviderLookup as Accounts } from './provider-lookup';

/** Most names one request may ask about. */
export const MAX_AVAILABILITY_NAMES = 1000;

/** One name's answer, whichever account gave it. */
export interface AvailabilityResult {
  /** The normalized name, or the input as given when it is not a valid domain name. */
  domain: string;
  available: boolean;
  premium: boolean;
  price?: Money;
  /** The account that answered; absent when no account could answer (see `reason`). */
  account?: string;
  /** Why the name is unavailable or could not be checked. */
  reason?: string;
  /** Set when the name could not be checked at all (invalid name, every account failed). */
  error?: 'invalid_name' | 'check_failed';
}

export interface AvailabilityOptions {
  /** Use only this account (default: every account that can check availability). */
  account?: string;
  /** Ask for prices where the registrar gives them in the same call. */
  withPrices?: boolean;
  /** Called with each result as soon as it is known (NDJSON streaming). */
  onResult?: (result: AvailabilityResult) => void | Promise<void>;
  signal?: AbortSignal;
  logger?: Logger;
}

interface Pending {
  /** Normalized name. */
  name: string;
  /** Accounts that already failed on this name. */
  triedBy: Set<string>;
  lastError?: string;
}

/**
 * Checks every name and resolves with one result per distinct input name, in input order.
 * Throws only for request-level problems: too many names, an unknown `account`, or an account
 * without the capability.
 */
export async function checkAvailability(
  accounts: Accounts,
  names: readonly string[],
  opts: AvailabilityOptions = {},
): Promise<AvailabilityResult[]> {
  if (names.length > MAX_AVAILABILITY_NAMES) {
    throw new GatewayError('invalid_request', {
      message: `domain: at most ${MAX_AVAILABILITY_NAMES} names per request (got ${names.length})`,
      fields: [{ field: 'domain', reason: `at most ${MAX_AVAILABILITY_NAMES} names per request` }],
    });
  }
  const candidates = opts.account === undefined ? accounts.list().map((a) => a.name) : [opts.account];
  const providers = candidates
    .map((name) => accounts.get(name))
    .filter((p) => p.capabilities.has('checkAvailability'));
  if (opts.account !== undefined && providers.length === 0) {
    throw new GatewayError('unsupported', {
      message: `account ${opts.account} cannot check availability`,
      operation: 'checkAvailability',
    });
  }

  const results = new Map<string, AvailabilityResult>();
  const order: string[] = [];
  const seenKeys = new Set<string>();
  const emit = async (key: string, result: AvailabilityResult) => {
    if (results.has(key)) return;
    results.set(key, result);
    await opts.onResult?.(result);
  };

  const queue: Pending[] = [];
  const queued = new Set<string>();
  for (const input of names) {
    const normalized = normalizeDomainName(input);
    const key = normalized.ok ? normalized.name : `invalid:${input}`;
    if (seenKeys.has(key)) continue;
    seenKeys.add(key);
    order.push(key);
    if (!normalized.ok) {
      await emit(key, {
        domain: input,
        available: false,
        premium: false,
        reason: normalized.reason,
        error: 'invalid_name',
      });
    } else if (!queued.has(normalized.name)) {
      queued.add(normalized.name);
      queue.push({ name: normalized.name, triedBy: new Set() });
    }
  }

  if (providers.length === 0) {
    for (const p of queue) {
      await emit(p.name, {
        domain: p.name,
        available: false,
        premium: false,
        reason: 'no configured registrar account can check availability',
        error: 'check_failed',
      });
    }
    queue.length = 0;
  }

  // Names nobody has taken yet, or that failed somewhere and wait for another account.
  let inFlight = 0;
  const wakeups: Array<() => void> = [];
  const wake = () => {
    for (const w of wakeups.splice(0)) w();
  };
  const providerNames = new Set(providers.map((p) => p.account));

  const worker = async (provider: (typeof providers)[number]) => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const batch: Pending[] = [];
      for (let i = 0; i < queue.length && batch.length < provider.limits.availabilityBatch; ) {
        const item = queue[i]!;
        if (!item.triedBy.has(provider.account)) {
          batch.push(item);
          queue.splice(i, 1);
        } else {
          i++;
        }
      }
      if (batch.length === 0) {
        // Nothing for this account now; more may come back if another account's batch fails.
        if (inFlight === 0) return;
        await new Promise<void>((resolve) => wakeups.push(resolve));
        continue;
      }
      inFlight++;
      try {
        const answers = await provider.checkAvailability(
          batch.map((b) => b.name),
          { withPrices: opts.withPrices, signal: opts.signal },
        );
        const byName = new Map<string, Availability>();
        for (const a of answers) {
          // Match answers by normalized name, whatever spelling the registrar echoed back.
          const n = normalizeDomainName(a.domain);
          byName.set(n.ok ? n.name : a.domain, a);
        }
        for (const item of batch) {
          const a = byName.get(item.name);
          if (a) {
            await emit(item.name, {
              domain: item.name,
              available: a.available,
              premium: a.premium,
              price: a.price,
              account: provider.account,
              reason: a.reason,
            });
          } else {
            item.triedBy.add(provider.account);
            item.lastError = `${provider.account}: the registrar did not answer for this name`;
            requeue(item);
          }
        }
      } catch (error) {
        const why = isGatewayError(error) ? `${error.kind}: ${error.message}` : 'unexpected error';
        if (!isGatewayError(error)) {
          opts.logger?.error('availability check crashed', {
            account: provider.account,
            error: error instanceof Error ? error.stack : String(error),
          });
        }
        for (const item of batch) {
          item.triedBy.add(provider.account);
          item.lastError = `${provider.account}: ${why}`;
          requeue(item);
        }
      } finally {
        inFlight--;
        wake();
      }
    }
  };

  const requeue = (item: Pending) => {
    const remaining = [...providerNames].some((a) => !item.triedBy.has(a));
    if (remaining) {
      queue.push(item);
    } else {
      failed.push(item);
    }
  };
  const failed: Pending[] = [];

  const workers: Promise<void>[] = [];
  for (const provider of providers) {
    const n = Math.max(1, provider.limits.concurrency);
    for (let i = 0; i < n; i++) workers.push(worker(provider));
  }
  // Failures are emitted as they become final, not only at the end, so a stream shows them early.
  const drainFailed = async () => {
    for (const item of failed.splice(0)) {
      await emit(item.name, {
        domain: item.name,
        available: false,
        premium: false,
        reason: item.lastError ?? 'no account could check this name',
        error: 'check_failed',
      });
    }
  };
  const watcher = (async () => {
    while (workers.length) {
      const done = await Promise.race([
        Promise.allSettled(workers).then(() => true),
        new Promise<false>((r) => wakeups.push(() => r(false))),
      ]);
      await drainFailed();
      if (done) return;
    }
  })();
  await Promise.all(workers);
  await watcher;
  await drainFailed();
  for (const p of queue) {
    // Only reachable when aborted.
    await emit(p.name, {
      domain: p.name,
      available: false,
      premium: false,
      reason: 'the request was cancelled',
      error: 'check_failed',
    });
  }
  return order.map((k) => results.get(k)!).filter(Boolean);
}
