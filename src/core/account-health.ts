/**
 * The deep health check of one registrar account: whether its credentials work, read at most once
 * per `HEALTH_MAX_AGE_MS` however many callers ask.
 *
 * A live ping per health request cost the registrars dearly (100 `/health` calls made ~600
 * upstream calls, used up 35.com session budgets and queued ahead of renewals at the account
 * gate). So the check lives in the account's AccountGate Durable Object, one instance worldwide:
 * the last answer is kept in its storage (it survives the object's eviction), and callers that
 * arrive while a ping is out share that ping (single flight). Every answer carries `checkedAt`, so
 * a reader knows it may be up to a minute old. The ping itself waits at the gate as `background`
 * work with a short wait budget: an account busy with real calls answers `busy`, never a queue.
 *
 * No `cloudflare:workers` import here: the cache is plain logic over a small storage interface.
 */
import type { AccountConfig, AppConfig } from '../env';
import type { Provider } from '../providers/types';
import { withDeadline } from './deadline';
import { isGatewayError } from './errors';
import { createLogger, createRedactor } from './log';

/** How old a health answer may be before someone pings again. */
export const HEALTH_MAX_AGE_MS = 60_000;

/** The whole ping, its wait at the gate included. */
export const HEALTH_PING_TIMEOUT_MS = 5_000;

/** How long a health ping may wait at the gate for a slot before it answers `busy`. */
export const HEALTH_GATE_WAIT_MS = 2_000;

export const REACHABILITY = ['ok', 'error', 'busy', 'not_checked'] as const;
export type Reachability = (typeof REACHABILITY)[number];

export interface AccountHealthCheck {
  /**
   * `ok`: the credential check passed; `error`: it failed (see `error`); `busy`: the account's
   * gate had no free slot within the wait budget, so nothing was sent; `not_checked`: the registrar
   * has no cheap check, or the check could not be run.
   */
  reachable: Reachability;
  latencyMs?: number;
  /** Why, for `error`, `busy` and `not_checked`; redacted. */
  error?: string;
  /** When this answer was known (ISO 8601). */
  checkedAt: string;
}

/** Build the account's provider on `fetch` (the gate's own, in the background lane) and ping it. */
export function pingConfiguredAccount(
  account: AccountConfig,
  config: AppConfig,
  fetch: typeof globalThis.fetch,
): Promise<AccountHealthCheck> {
  const logger = createLogger({
    secrets: config.secrets,
    level: config.logLevel,
    base: { account: account.name, purpose: 'health' },
  });
  const provider = account.definition.create(account.name, account.config, { fetch, logger });
  return pingAccount(provider, createRedactor(config.secrets));
}

/** Ping one account once and describe the outcome; never throws. */
async function pingAccount(
  provider: Provider,
  redact: (text: string) => string,
  now: () => number = Date.now,
): Promise<AccountHealthCheck> {
  const ping = provider.ping?.bind(provider);
  if (!ping) {
    return {
      reachable: 'not_checked',
      error: 'this registrar has no cheap credential check',
      checkedAt: new Date(now()).toISOString(),
    };
  }
  const started = now();
  try {
    await withDeadline(HEALTH_PING_TIMEOUT_MS, (signal) => answeredBy(signal, ping({ signal })));
    return { reachable: 'ok', latencyMs: now() - started, checkedAt: new Date(now()).toISOString() };
  } catch (error) {
    const checkedAt = new Date(now()).toISOString();
    if (isGatewayError(error) && error.notSent) {
      // The gate proved the ping never left: the account is busy with real work, not broken.
      return { reachable: 'busy', error: 'the account was busy with other calls; not checked', checkedAt };
    }
    return {
      reachable: 'error',
      latencyMs: now() - started,
      error: redact(
        isGatewayError(error)
          ? `${error.kind}: ${error.message}`
          : isTimeout(error)
            ? `no answer within ${HEALTH_PING_TIMEOUT_MS / 1000} s`
            : 'unexpected error',
      ),
      checkedAt,
    };
  }
}

/**
 * `call`, or the signal's abort if that comes first. A provider may sleep between retries without
 * watching the signal (a Retry-After of a minute): the health answer must not wait for that.
 */
function answeredBy(signal: AbortSignal, call: Promise<void>): Promise<void> {
  // The loser of the race still settles later; it must not surface as an unhandled rejection.
  call.catch(() => {});
  return Promise.race([
    call,
    new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);
}

const isTimeout = (error: unknown) => (error as { name?: unknown } | null)?.name === 'TimeoutError';

/** The part of Durable Object storage the cache needs. */
export interface HealthStore {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

/** Where the gate keeps the last answer in its storage. */
export const HEALTH_STORAGE_KEY = 'health';

/** The last answer, reused while it is fresh; concurrent readers of a stale one share one ping. */
export class HealthCache {
  private pending: Promise<AccountHealthCheck> | undefined;

  constructor(
    private readonly store: HealthStore,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = HEALTH_MAX_AGE_MS,
  ) {}

  read(check: () => Promise<AccountHealthCheck>): Promise<AccountHealthCheck> {
    // Set synchronously, before any await: a second reader can never start a second ping.
    this.pending ??= this.freshOrCheck(check).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async freshOrCheck(check: () => Promise<AccountHealthCheck>): Promise<AccountHealthCheck> {
    const last = await this.store.get<AccountHealthCheck>(HEALTH_STORAGE_KEY);
    const age = last ? this.now() - Date.parse(last.checkedAt) : Number.NaN;
    // A negative age (a clock that stepped back) is not trusted as fresh.
    if (last && age >= 0 && age < this.maxAgeMs) return last;
    const answer = await check();
    await this.store.put(HEALTH_STORAGE_KEY, answer);
    return answer;
  }
}
