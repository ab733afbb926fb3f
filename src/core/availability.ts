/**
 * Availability across registrar accounts: the one function the REST API, the bot and the webhooks
 * call. Names are normalized here (a bad name gets its own reason, never a failed request).
 *
 * Which account answers a name is decided, not raced, so identical requests against unchanged
 * registrars get identical answers: a name's route is the accounts that may sell its TLD (their
 * TLD list from the last sync says so, or they have no list yet — core/account-tlds.ts), in
 * AVAILABILITY_PREFERENCE order, then configured order. The first account on the route is asked;
 * the next one only when it could not answer (its call failed as a whole, or it gave no yes or no
 * for that name). The answer names the account that gave it.
 *
 * Unknown is never "taken": a name no account on its route sells is `available: null` with reason
 * `unsupported_tld`; a name the route failed on is `available: null` with `check_failed`, and
 * `detail` says what each account said.
 *
 * Batching: each account runs `limits.concurrency` workers, each sending up to
 * `limits.availabilityBatch` of the names routed to it per upstream call (the AccountGate still
 * enforces the account's own call discipline across isolates).
 */

import type { ProviderKey } from '../providers/registry';
import { unknownReasonOf } from './availability-unknown';
import { normalizeDomainName, tldOf } from './domain-name';
import { GatewayError, isGatewayError } from './errors';
import type { Logger } from './log';
import { type Availability, type Money, UNKNOWN_AVAILABILITY, type UnknownAvailability } from './model';
import { type ProviderLookup as Accounts, accountFacts, type ProviderFacts } from './provider-lookup';
import { maySell, type SoldTlds } from './sold-tlds';

/** Most names one request may ask about. */
export const MAX_AVAILABILITY_NAMES = 1000;

/** The one wording of that limit, whichever door refuses (REST GET and POST, the core itself). */
export function tooManyNamesReason(count: number): string {
  return `at most ${MAX_AVAILABILITY_NAMES} names per request (got ${count})`;
}

/**
 * Which registrar is asked first when several may sell a name's TLD. Registrars built for bulk
 * checks first (LogicBoxes: up to 20 names of one TLD per call; Dynadot: 100 per call), then
 * 35.com (one name per call, but it knows locally which TLDs it has no type for and costs nothing
 * for those), then Alibaba (one name per call, no TLD list: a TLD it does not sell costs a refused
 * call), and MrDomain last: it forbids mass availability checks and blocks accounts that make them.
 * Accounts of a registrar not listed come after these; accounts of one registrar keep their
 * configured order. docs/decisions.md, "Availability: which account answers a name".
 */
export const AVAILABILITY_PREFERENCE = [
  'logicboxes',
  'dynadot',
  'com35',
  'alibaba',
  'mrdomain',
] as const satisfies readonly ProviderKey[];

/** Why a name has no yes or no: set exactly when `available` is null. */
export const AVAILABILITY_REASONS = ['invalid_name', ...UNKNOWN_AVAILABILITY] as const;
export type AvailabilityReason = (typeof AVAILABILITY_REASONS)[number];

/** One name's answer, whichever account gave it. */
export interface AvailabilityResult {
  /** The normalized name, or the input as given when it is not a valid domain name. */
  domain: string;
  /** Whether the name can be registered; null when no account could say (see `reason`). */
  available: boolean | null;
  premium: boolean;
  price?: Money;
  /** The account that answered yes or no; absent when none did. */
  account?: string;
  /** That account's registrar (several accounts may share one). */
  provider?: string;
  /** Why `available` is null. */
  reason?: AvailabilityReason;
  /** For people: the registrar's words on a taken name, or why no account could say. */
  detail?: string;
}

export interface AvailabilityOptions {
  /** Which TLDs each account sells (`soldTlds` of core/account-tlds.ts). */
  tlds: SoldTlds;
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
  /** The accounts that may sell the name's TLD, in the order they are asked. */
  route: readonly ProviderFacts[];
  /** Index in `route` of the account asked now. */
  at: number;
  /** What each account that could not answer said, in the order they were asked. */
  notes: string[];
  /** Whether an account failed for another reason than not selling the TLD. */
  failed: boolean;
}

/** Providers in AVAILABILITY_PREFERENCE order; `Array.prototype.sort` is stable, so ties keep configured order. */
function inPreferenceOrder(providers: readonly ProviderFacts[]): ProviderFacts[] {
  const rank = (p: ProviderFacts) => {
    const i = (AVAILABILITY_PREFERENCE as readonly string[]).indexOf(p.key);
    return i < 0 ? AVAILABILITY_PREFERENCE.length : i;
  };
  return [...providers].sort((a, b) => rank(a) - rank(b));
}

/**
 * Checks every name and resolves with one result per distinct input name, in input order.
 * Throws only for request-level problems: too many names, an unknown `account`, or an account
 * without the capability.
 */
export async function checkAvailability(
  accounts: Accounts,
  names: readonly string[],
  opts: AvailabilityOptions,
): Promise<AvailabilityResult[]> {
  if (names.length > MAX_AVAILABILITY_NAMES) {
    const reason = tooManyNamesReason(names.length);
    throw new GatewayError('invalid_request', {
      message: `domain: ${reason}`,
      fields: [{ field: 'domain', reason }],
    });
  }
  const candidates = opts.account === undefined ? accounts.list().map((a) => a.name) : [opts.account];
  // The accounts that can check, by their facts: only those a name is routed to are built and called.
  const checkers = inPreferenceOrder(
    candidates
      .map((name) => accountFacts(accounts, name))
      .filter((p) => p.capabilities.has('checkAvailability')),
  );
  if (opts.account !== undefined && checkers.length === 0) {
    throw new GatewayError('unsupported', {
      message: `account ${opts.account} cannot check availability`,
      operation: 'checkAvailability',
    });
  }
  const nobodySells = (name: string) =>
    opts.account === undefined
      ? `.${tldOf(name)} is not sold by any configured registrar`
      : `.${tldOf(name)} is not sold by account ${opts.account}`;

  const results = new Map<string, AvailabilityResult>();
  /** Result keys in input order: the normalized name, or `invalid:` and the input. */
  const order: string[] = [];
  const seen = new Set<string>();
  const emit = async (key: string, result: AvailabilityResult) => {
    if (results.has(key)) return;
    results.set(key, result);
    await opts.onResult?.(result);
  };
  const unknown = (domain: string, reason: AvailabilityReason, detail: string): AvailabilityResult => ({
    domain,
    available: null,
    premium: false,
    reason,
    detail,
  });

  const queues = new Map(checkers.map((p) => [p.account, [] as Pending[]]));
  const routed: Pending[] = [];
  for (const input of names) {
    const normalized = normalizeDomainName(input);
    const key = normalized.ok ? normalized.name : `invalid:${input}`;
    if (seen.has(key)) continue;
    seen.add(key);
    order.push(key);
    if (!normalized.ok) {
      await emit(key, unknown(input, 'invalid_name', normalized.reason));
      continue;
    }
    const name = normalized.name;
    if (checkers.length === 0) {
      await emit(
        name,
        unknown(name, 'check_failed', 'no configured registrar account can check availability'),
      );
      continue;
    }
    const route = checkers.filter((p) => maySell(opts.tlds.get(p.account), name));
    if (route.length === 0) {
      await emit(name, unknown(name, 'unsupported_tld', nobodySells(name)));
      continue;
    }
    const item: Pending = { name, route, at: 0, notes: [], failed: false };
    routed.push(item);
    queues.get(route[0]!.account)!.push(item);
  }

  let unresolved = routed.length;
  const wakeups: Array<() => void> = [];
  const wake = () => {
    for (const w of wakeups.splice(0)) w();
  };
  opts.signal?.addEventListener('abort', wake);

  const answer = async (item: Pending, result: AvailabilityResult) => {
    unresolved--;
    await emit(item.name, result);
    if (unresolved === 0) wake();
  };

  /** `provider` gave no yes or no for this name: the next account on its route is asked. */
  const moveOn = async (item: Pending, provider: ProviderFacts, why: UnknownAvailability, words: string) => {
    item.notes.push(`${provider.account}: ${words}`);
    if (why !== 'unsupported_tld') item.failed = true;
    const next = item.route[++item.at];
    if (next) {
      queues.get(next.account)!.push(item);
      wake();
      return;
    }
    const said = item.notes.join('; ');
    await answer(
      item,
      item.failed
        ? unknown(item.name, 'check_failed', said)
        : unknown(item.name, 'unsupported_tld', `${nobodySells(item.name)} (${said})`),
    );
  };

  const ask = async (provider: ProviderFacts, batch: Pending[]) => {
    let answers: Availability[];
    try {
      answers = await accounts.get(provider.account).checkAvailability(
        batch.map((b) => b.name),
        { withPrices: opts.withPrices, signal: opts.signal },
      );
    } catch (error) {
      if (!isGatewayError(error)) {
        opts.logger?.error('availability check crashed', {
          account: provider.account,
          error: error instanceof Error ? error.stack : String(error),
        });
      }
      const why = isGatewayError(error) ? unknownReasonOf(error) : 'check_failed';
      const words = isGatewayError(error) ? `${error.kind}: ${error.message}` : 'unexpected error';
      for (const item of batch) await moveOn(item, provider, why, words);
      return;
    }
    const byName = new Map<string, Availability>();
    for (const a of answers) {
      // Match answers by normalized name, whatever spelling the registrar echoed back.
      const n = normalizeDomainName(a.domain);
      byName.set(n.ok ? n.name : a.domain, a);
    }
    for (const item of batch) {
      const a = byName.get(item.name);
      if (!a) {
        await moveOn(item, provider, 'check_failed', 'the registrar did not answer for this name');
      } else if (a.available === null || a.unknown !== undefined) {
        await moveOn(item, provider, a.unknown ?? 'check_failed', a.reason ?? 'the registrar could not say');
      } else {
        await answer(item, {
          domain: item.name,
          available: a.available,
          premium: a.premium,
          ...(a.price ? { price: a.price } : {}),
          account: provider.account,
          provider: provider.key,
          ...(a.reason ? { detail: a.reason } : {}),
        });
      }
    }
  };

  const worker = async (provider: ProviderFacts) => {
    const queue = queues.get(provider.account)!;
    while (unresolved > 0 && !opts.signal?.aborted) {
      if (queue.length === 0) {
        // Nothing for this account now; a name may still come when another account cannot answer it.
        await new Promise<void>((resolve) => wakeups.push(resolve));
        continue;
      }
      await ask(provider, queue.splice(0, Math.max(1, provider.limits.availabilityBatch)));
    }
  };

  // Workers only for the accounts on some name's route, and no more than that account could
  // ever be given names at once.
  const routable = new Map<string, number>();
  for (const item of routed) {
    for (const p of item.route) routable.set(p.account, (routable.get(p.account) ?? 0) + 1);
  }
  const workers: Promise<void>[] = [];
  for (const provider of checkers) {
    const names = routable.get(provider.account) ?? 0;
    const batches = Math.ceil(names / Math.max(1, provider.limits.availabilityBatch));
    const count = Math.min(Math.max(1, provider.limits.concurrency), batches);
    for (let i = 0; i < count; i++) workers.push(worker(provider));
  }
  await Promise.all(workers);
  opts.signal?.removeEventListener('abort', wake);
  // Only reachable when aborted: `emit` keeps the answers already given.
  for (const item of routed)
    await emit(item.name, unknown(item.name, 'check_failed', 'the request was cancelled'));
  return order.map((k) => results.get(k)!);
}
