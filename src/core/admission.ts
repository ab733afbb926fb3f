/**
 * The AccountGate's admission queue: who of an account's waiting calls may go next, and the
 * leases of the calls already let through. Plain logic (no `cloudflare:workers` import), owned by
 * one Durable Object per account, so what it counts holds across every worker isolate.
 *
 * A lease is a slot an admitted caller holds while it calls the registrar itself. It ends when the
 * caller says it is done (`finish`), or by itself `leaseMs + LEASE_GRACE_MS` after it was granted:
 * an isolate that died mid-call (or a release that never arrived) must not wedge the account. The
 * caller aborts its own call at `leaseMs` after the grant reaches it, which is always before the
 * object's expiry, so an expired lease never lets a second call overlap one still in flight.
 *
 * Waiting calls are ordered by priority, then arrival: a waiting `spend` (a renew) is admitted
 * before every waiting `query`, and `background` work (health pings) goes last.
 */
import { GATE_PRIORITIES, type GatePolicy, type GatePriority } from '../providers/types';

/** How long a call may wait for its turn before it is refused (never hang). */
const MAX_WAIT_MS = 120_000;

/** The longest lease anyone is granted (a caller's time budget is capped at this). */
export const MAX_LEASE_MS = 15 * 60_000;

/**
 * How long after a caller's own bound its lease still stands at the object: the grant's trip back
 * to the caller and the release's trip to the object, with room to spare.
 */
const LEASE_GRACE_MS = 5_000;

/** Admissions remembered, in order, for /stats: tests and metrics read who went first. */
const RECENT_ADMISSIONS = 32;

/** Tickets finished before their ask arrived, remembered this long so the late ask is refused. */
const FORGET_FINISHED_MS = MAX_WAIT_MS;

/** What one call asks of the gate. */
export interface AdmissionAsk {
  /** Names the call: its caller finishes it by this (withdraws it, or releases its lease). */
  ticket: string;
  policy: GatePolicy;
  priority: GatePriority;
  /** Give up waiting for a turn after this long (at most MAX_WAIT_MS). */
  maxWaitMs: number;
  /** How long the caller may hold its slot once admitted (at most MAX_LEASE_MS). */
  leaseMs: number;
}

/** The gate's answer: admitted (the caller may send now), or refused and never sent. */
export type AdmissionAnswer = { admitted: true } | { admitted: false; refusal: 'timeout' | 'cancelled' };

export interface AdmissionStats {
  inFlight: number;
  queued: number;
  queuedBy: Record<GatePriority, number>;
  /** Highest number of calls in flight at once since the object started. */
  peak: number;
  /** Calls let through since the object started (tests use it to know which call is in flight). */
  admitted: number;
  /** Leases that ended by themselves, their caller never having released them. */
  expired: number;
  /** Priorities of the latest admissions, oldest first. */
  recent: GatePriority[];
}

interface Waiter {
  ticket: string;
  priority: GatePriority;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class AdmissionQueue {
  private inFlight = 0;
  private lastStart = 0;
  private readonly waiters: Waiter[] = [];
  /** Admitted calls still holding their slot, by ticket; each with the timer that ends it. */
  private readonly leases = new Map<string, ReturnType<typeof setTimeout>>();
  /** Tickets finished while unknown here (their ask not arrived yet), with when. */
  private readonly finishedEarly = new Map<string, number>();
  private peak = 0;
  private admitted = 0;
  private expired = 0;
  private readonly recent: GatePriority[] = [];

  /**
   * Wait for the call's turn and the account's pacing, then lease it a slot. Never throws: a call
   * that waited too long, or was withdrawn meanwhile, is refused and was never admitted.
   */
  async admit(asked: AdmissionAsk): Promise<AdmissionAnswer> {
    const ask = withinLimits(asked);
    if (this.finishedEarly.delete(ask.ticket)) return { admitted: false, refusal: 'cancelled' };
    try {
      await this.takeSlot(ask);
    } catch (error) {
      const cancelled = error instanceof Error && error.message === 'cancelled';
      return { admitted: false, refusal: cancelled ? 'cancelled' : 'timeout' };
    }
    const now = Date.now();
    const startAt = Math.max(now, this.lastStart + (ask.policy.minIntervalMs ?? 0));
    this.lastStart = startAt;
    // The slot is this ticket's from now on, even while it waits out the pacing below: a caller
    // that gives up meanwhile finishes it like any lease. The lease runs from when the caller may
    // start, not from when the slot was taken.
    this.leases.set(ask.ticket, this.expiryTimer(ask.ticket, startAt - now + ask.leaseMs));
    this.peak = Math.max(this.peak, this.inFlight);
    this.admitted++;
    this.recent.push(ask.priority);
    if (this.recent.length > RECENT_ADMISSIONS) this.recent.shift();
    if (startAt > now) {
      await new Promise((r) => setTimeout(r, startAt - now));
      if (!this.leases.has(ask.ticket)) return { admitted: false, refusal: 'cancelled' };
      // The pacing timer may fire late: the lease runs from when the caller is told to start.
      clearTimeout(this.leases.get(ask.ticket));
      this.leases.set(ask.ticket, this.expiryTimer(ask.ticket, ask.leaseMs));
    }
    return { admitted: true };
  }

  /**
   * The caller is done with `ticket`, whatever became of it: a waiting call is withdrawn (never
   * admitted later), a held lease is released, and a ticket not seen yet is refused when its ask
   * arrives. Answers which of these it was.
   */
  finish(ticket: string): 'withdrawn' | 'released' | 'unknown' {
    const lease = this.leases.get(ticket);
    if (lease !== undefined) {
      clearTimeout(lease);
      this.leases.delete(ticket);
      this.handOn();
      return 'released';
    }
    const i = this.waiters.findIndex((w) => w.ticket === ticket);
    const waiter = i >= 0 ? this.waiters[i] : undefined;
    if (waiter) {
      this.waiters.splice(i, 1);
      clearTimeout(waiter.timer);
      waiter.reject(new Error('cancelled'));
      return 'withdrawn';
    }
    this.rememberFinished(ticket);
    return 'unknown';
  }

  stats(): AdmissionStats {
    const queuedBy = Object.fromEntries(
      GATE_PRIORITIES.map((p) => [p, this.waiters.filter((w) => w.priority === p).length]),
    ) as Record<GatePriority, number>;
    return {
      inFlight: this.inFlight,
      queued: this.waiters.length,
      queuedBy,
      peak: this.peak,
      admitted: this.admitted,
      expired: this.expired,
      recent: [...this.recent],
    };
  }

  private async takeSlot({ ticket, policy, priority, maxWaitMs }: AdmissionAsk): Promise<void> {
    if (this.inFlight < policy.concurrency && this.waiters.length === 0) {
      this.inFlight++;
      return;
    }
    // The slot is handed over by handOn(): inFlight is not decremented and re-incremented, so a
    // newcomer can never slip in between.
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        ticket,
        priority,
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new Error('gate wait timeout'));
        }, maxWaitMs),
      };
      this.waiters.push(waiter);
    });
  }

  private expiryTimer(ticket: string, leaseMs: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      if (!this.leases.delete(ticket)) return;
      this.expired++;
      this.handOn();
    }, leaseMs + LEASE_GRACE_MS);
  }

  /** A slot came free: give it to the most urgent waiter, or count it free. */
  private handOn(): void {
    const next = this.nextWaiter();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.inFlight--;
    }
  }

  /** Takes the first waiter of the most urgent priority waiting (arrival order within one). */
  private nextWaiter(): Waiter | undefined {
    for (const priority of GATE_PRIORITIES) {
      const i = this.waiters.findIndex((w) => w.priority === priority);
      if (i >= 0) return this.waiters.splice(i, 1)[0];
    }
    return undefined;
  }

  private rememberFinished(ticket: string): void {
    const now = Date.now();
    for (const [old, at] of this.finishedEarly) {
      // Insertion order is time order: stop at the first one still fresh.
      if (now - at < FORGET_FINISHED_MS) break;
      this.finishedEarly.delete(old);
    }
    this.finishedEarly.set(ticket, now);
  }
}

/**
 * An ask as the queue can honour it, whatever the caller sent: a policy that is not numbers, a
 * wait or a lease that is not a positive number, or one beyond the maximum.
 */
function withinLimits(ask: AdmissionAsk): AdmissionAsk {
  const positive = (n: unknown, max: number, fallback: number) =>
    typeof n === 'number' && n > 0 ? Math.min(n, max) : fallback;
  return {
    ...ask,
    policy: strictestIfMalformed(ask.policy),
    priority: GATE_PRIORITIES.find((p) => p === ask.priority) ?? 'query',
    maxWaitMs: positive(ask.maxWaitMs, MAX_WAIT_MS, MAX_WAIT_MS),
    leaseMs: positive(ask.leaseMs, MAX_LEASE_MS, MAX_LEASE_MS),
  };
}

/**
 * A non-numeric value would make `inFlight < concurrency` false forever (NaN): every call of the
 * account would wait for a release that never comes. Such values fall back to the strictest policy.
 */
function strictestIfMalformed(policy: unknown): GatePolicy {
  const p = (typeof policy === 'object' && policy !== null ? policy : {}) as Partial<
    Record<keyof GatePolicy, unknown>
  >;
  const concurrency = Number.isFinite(p.concurrency) ? Math.max(1, Math.floor(p.concurrency as number)) : 1;
  const minIntervalMs = Number.isFinite(p.minIntervalMs) ? Math.max(0, p.minIntervalMs as number) : 0;
  return { concurrency, minIntervalMs };
}
