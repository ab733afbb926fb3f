/**
 * Per-registrar-account call discipline that holds across worker isolates.
 *
 * Some registrars refuse concurrent calls for one credential (Dynadot: one request at a time per
 * key) or ban bursts (MrDomain: no mass checks). A counter in one isolate cannot enforce that,
 * because Cloudflare runs many isolates at once; a Durable Object named by the account is a single
 * instance worldwide, so every call of such an account is admitted by it first. Admission is a
 * lease (admission.ts): the caller asks the object for a slot (one small round trip), calls the
 * registrar itself from its own isolate, and gives the slot back when the reply is read, on every
 * path; a lease also ends by itself, so a dead isolate never wedges the account. The object holds
 * at most `concurrency` leases at once and spaces their starts by `minIntervalMs`; waiting calls go
 * by priority (a renew before reads, health pings last), and a call withdrawn before it was
 * admitted is reported `notSent`, because its caller never sent it.
 *
 * An account whose registrar has no such rule (`admission: 'none'` in its GatePolicy) skips the
 * object: nothing would ever wait there, so the round trip would buy nothing.
 *
 * The object also answers the account's deep health check (`/health`, see account-health.ts): it
 * is the one place that sees every admitted call of the account, so it can ping at most once a
 * minute and send that ping behind everything else.
 */
import { DurableObject, waitUntil } from 'cloudflare:workers';
import { type AccountConfig, configFor, type Env, type RelayConfig } from '../env';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../providers/http';
import type { GatePolicy, GatePriority } from '../providers/types';
import {
  type AccountHealthCheck,
  HEALTH_GATE_WAIT_MS,
  HealthCache,
  pingConfiguredAccount,
} from './account-health';
import { type AdmissionAnswer, type AdmissionAsk, AdmissionQueue, MAX_LEASE_MS } from './admission';
import { deadline } from './deadline';
import { type GateMarks, notSent, sendUpstream, splitGateMarks } from './upstream-send';

/** How a caller wants its calls admitted: the account's policy and, for background work, its lane. */
export interface GateOptions {
  policy: GatePolicy;
  /** `background`: every call that spends nothing waits behind queries (health pings). */
  lane?: 'background';
  /** Give up waiting for a turn after this long (at most 120 s). */
  maxWaitMs?: number;
  /**
   * The bridge's fixed-IP relay, for an account routed through it (its `VIA_BRIDGE`); `null`: routed
   * through it, but the relay is not configured (every call is refused, never sent).
   */
  relay?: RelayConfig | null;
  /** The worker request the calls serve, for the bridge's log lines (relayed calls only). */
  requestId?: string;
}

/** Who admits the calls of one account: the object itself (its own pings), or a stub of it. */
interface Admitter {
  admit(ask: AdmissionAsk): Promise<AdmissionAnswer>;
  /** Give the ticket back (withdraw it, or release its lease); never throws. */
  finish(ticket: string): void;
}

export class AccountGate extends DurableObject<Env> {
  private readonly queue = new AdmissionQueue();
  private health: HealthCache | undefined;

  /** Wait for the call's turn (and the account's pacing), then lease it a slot. */
  admit(ask: AdmissionAsk): Promise<AdmissionAnswer> {
    return this.queue.admit(ask);
  }

  /** The caller is done with its ticket: withdraw it if it waits, release its lease if it holds one. */
  finish(ticket: string): ReturnType<AdmissionQueue['finish']> {
    return this.queue.finish(ticket);
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/stats') return Response.json(this.queue.stats());
    if (url.pathname === '/health') {
      // Nothing may escape the object (it would reset it and drop the queue): failures are answers.
      try {
        const account = this.accountNamed(url.searchParams.get('account'));
        if (!account) return Response.json({ error: 'no such account at this gate' }, { status: 404 });
        return Response.json(await this.checkHealth(account));
      } catch {
        return Response.json({ error: 'the health check failed' }, { status: 500 });
      }
    }
    return Response.json({ error: 'the account gate answers /stats and /health' }, { status: 404 });
  }

  /** The configured account this object gates, if `name` is it. */
  private accountNamed(name: string | null): AccountConfig | undefined {
    const account = configFor(this.env).accounts.find((a) => a.name === name);
    // Only the object named by the account may answer for it: one cache, one ping, worldwide.
    if (!account || !this.ctx.id.equals(this.env.ACCOUNT_GATE.idFromName(account.name))) return undefined;
    return account;
  }

  private checkHealth(account: AccountConfig): Promise<AccountHealthCheck> {
    this.health ??= new HealthCache(this.ctx.storage);
    const config = configFor(this.env);
    // The ping waits in this object's own queue, as background work with a short budget.
    const queue = this.queue;
    const inLine = admittedFetch(
      account.name,
      () => ({ admit: (ask) => queue.admit(ask), finish: (ticket) => void queue.finish(ticket) }),
      {
        policy: account.definition.gate(account.config),
        lane: 'background',
        maxWaitMs: HEALTH_GATE_WAIT_MS,
        relay: account.viaBridge ? (config.relay ?? null) : undefined,
      },
    );
    return this.health.read(() => pingConfiguredAccount(account, config, inLine));
  }
}

/** A fetch for the calls of one account: admitted by its gate first, unless it has no rule. */
export function gatedFetch(
  namespace: DurableObjectNamespace,
  account: string,
  policy: GatePolicy,
  options: Omit<GateOptions, 'policy'> = {},
): typeof fetch {
  let admitter: Admitter | undefined;
  const gate = (): Admitter => {
    if (admitter) return admitter;
    // The binding is declared untyped in env.ts; its class is this one.
    const gates = namespace as unknown as DurableObjectNamespace<AccountGate>;
    const stub = gates.get(gates.idFromName(account));
    admitter = {
      admit: (ask) => stub.admit(ask),
      finish: (ticket) => {
        // Off the caller's path: the reply is already read. If the release never arrives (the
        // object is unreachable, the invocation ended first), the lease ends by itself.
        const done = Promise.resolve(stub.finish(ticket)).catch(() => undefined);
        try {
          waitUntil(done);
        } catch {
          // No invocation to extend (a test calling directly): the promise runs on regardless.
        }
      },
    };
    return admitter;
  };
  return admittedFetch(account, gate, { ...options, policy });
}

/**
 * The fetch both sides use: admission through `gate` (skipped when the policy says `none`), the
 * call itself bounded by the lease, and the slot given back however the call ends.
 */
function admittedFetch(account: string, gate: () => Admitter, options: GateOptions): typeof fetch {
  const background = options.lane === 'background';
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    // A caller may hand over a whole Request (the call recorder does): its signal counts too.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    // As fetch does: a call whose caller already gave up is not even queued.
    signal?.throwIfAborted();
    const calledAt = Date.now();
    const { marks, call } = splitGateMarks(input, init);
    const ask = askOf(marks, options);
    const admitted = ask.policy.admission !== 'none';
    const send = (bound: AbortSignal | undefined) =>
      sendUpstream(call, {
        account,
        relay: options.relay,
        requestId: options.requestId,
        budgetMs: ask.leaseMs - (Date.now() - calledAt),
        signal: bound,
        background,
        readWhole: admitted,
      });
    if (!admitted) return send(signal);

    const admitter = gate();
    const ticket = crypto.randomUUID();
    let answer: AdmissionAnswer;
    try {
      answer = await untilAborted(admitter.admit({ ...ask, ticket }), signal);
    } catch {
      // The caller stopped waiting, or the object did not answer. Either way nothing was sent
      // (the caller sends, and it has not): even a renew may be retried. Whatever the object holds
      // for the ticket (a place in the queue, a lease) is given back.
      admitter.finish(ticket);
      throw notSent(
        account,
        signal?.aborted
          ? 'the caller stopped waiting for its turn at the account gate'
          : 'the account gate did not answer',
        !background,
      );
    }
    if (!answer.admitted) {
      throw notSent(
        account,
        answer.refusal === 'cancelled'
          ? 'the caller stopped waiting for its turn at the account gate'
          : 'it waited too long for its turn at the account gate',
        !background,
      );
    }
    if (signal?.aborted) {
      admitter.finish(ticket);
      throw notSent(account, 'the caller stopped waiting for its turn at the account gate', !background);
    }
    // The call ends before the lease does (the object waits LEASE_GRACE_MS longer), so an expired
    // lease never lets a second call in beside this one.
    const bound = deadline(ask.leaseMs, signal);
    try {
      return await send(bound.signal);
    } finally {
      bound.release();
      admitter.finish(ticket);
    }
  };
}

/**
 * What one call asks of the gate: the account's policy unless the provider set a tighter one on the
 * request, its priority (a spend stays a spend in any lane: a renew is never demoted behind reads),
 * its wait budget, and its lease: the caller's time budget for the call.
 */
function askOf(marks: GateMarks, options: GateOptions): Omit<AdmissionAsk, 'ticket'> {
  const priority: GatePriority = marks.priority === 'spend' ? 'spend' : (options.lane ?? 'query');
  const budget = Number(marks.deadline);
  return {
    policy: marks.policy === null ? options.policy : parsedPolicy(marks.policy),
    priority,
    maxWaitMs: options.maxWaitMs ?? 0,
    leaseMs: budget > 0 ? Math.min(budget, MAX_LEASE_MS) : DEFAULT_UPSTREAM_TIMEOUT_MS,
  };
}

/** A policy header as sent; the queue falls back to the strictest policy for what is not numbers. */
function parsedPolicy(header: string): GatePolicy {
  try {
    return JSON.parse(header) as GatePolicy;
  } catch {
    return { concurrency: 1 };
  }
}

/** `work`, or a rejection as soon as `signal` aborts (the work itself is left to finish). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * The account's deep health, from its gate: cached there for a minute and shared by concurrent
 * callers (see account-health.ts). A gate that cannot answer is reported, never thrown.
 */
export async function gateHealth(
  namespace: DurableObjectNamespace,
  account: string,
): Promise<AccountHealthCheck> {
  const stub = namespace.get(namespace.idFromName(account));
  try {
    const res = await stub.fetch(`http://gate.internal/health?account=${encodeURIComponent(account)}`);
    if (res.ok) return (await res.json()) as AccountHealthCheck;
    await res.body?.cancel();
  } catch {
    // Reported below.
  }
  return {
    reachable: 'not_checked',
    error: 'the account gate did not answer',
    checkedAt: new Date().toISOString(),
  };
}
