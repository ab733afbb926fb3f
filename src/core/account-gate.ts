/**
 * Per-registrar-account call discipline that holds across worker isolates.
 *
 * Some registrars refuse concurrent calls for one credential (Dynadot: one request at a time per
 * key) or ban bursts (MrDomain: no mass checks). A counter in one isolate cannot enforce that,
 * because Cloudflare runs many isolates at once; a Durable Object named by the account is a single
 * instance worldwide, so every upstream call of that account passes through it. The object performs
 * the upstream fetch itself, admitting at most `concurrency` at a time and spacing their starts by
 * `minIntervalMs`. A Durable Object keeps taking requests while it awaits a fetch, so admission is an
 * explicit FIFO queue here, not an assumption about the runtime.
 */
import { DurableObject } from 'cloudflare:workers';
import { GATE_POLICY_HEADER, type GatePolicy } from '../providers/types';
import { GatewayError } from './errors';

/**
 * Names one queued call, so its caller can withdraw it (`/cancel`) when it stops waiting (its
 * timeout or signal fired): a call nobody waits for any more must never be sent later.
 */
const GATE_TICKET_HEADER = 'x-gateway-gate-ticket';

/** Marks a gate response that stands for a network failure on the way to the upstream. */
const NETWORK_ERROR_HEADER = 'x-gateway-gate-network-error';

/** Marks the gate's own 503: the call was never sent (`timeout` or `cancelled`). */
const GATE_REFUSAL_HEADER = 'x-gateway-gate';

/** How long a call may wait for its turn before the gate answers 503 (never hang). */
const MAX_WAIT_MS = 120_000;

interface Waiter {
  ticket: string | null;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class AccountGate extends DurableObject {
  private inFlight = 0;
  private lastStart = 0;
  private readonly waiters: Waiter[] = [];
  /** Highest concurrency seen at once: exposed for tests and metrics. */
  private peak = 0;
  /** Calls let through since the object started (tests use it to know which call is in flight). */
  private admitted = 0;

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname === 'gate.internal' && url.pathname === '/stats') {
      return Response.json({
        inFlight: this.inFlight,
        queued: this.waiters.length,
        peak: this.peak,
        admitted: this.admitted,
      });
    }
    if (url.hostname === 'gate.internal' && url.pathname === '/cancel') {
      return Response.json({ cancelled: this.cancel(url.searchParams.get('ticket')) });
    }
    const policy = parsePolicy(request.headers.get(GATE_POLICY_HEADER));
    try {
      await this.acquire(policy, request.headers.get(GATE_TICKET_HEADER));
    } catch (error) {
      const cancelled = error instanceof Error && error.message === 'cancelled';
      return new Response(
        cancelled
          ? 'account gate: the caller withdrew the call; not sent'
          : 'account gate: waited too long for a turn',
        {
          status: 503,
          headers: { 'retry-after': '5', [GATE_REFUSAL_HEADER]: cancelled ? 'cancelled' : 'timeout' },
        },
      );
    }
    try {
      const headers = new Headers(request.headers);
      headers.delete(GATE_POLICY_HEADER);
      headers.delete(GATE_TICKET_HEADER);
      const upstream = await fetch(new Request(request, { headers }));
      // Read the whole body here, inside the try: a connection cut mid-body (a truncated reply)
      // then surfaces as a network error below, instead of as an unhandled rejection of a
      // stream piped out of the object after it returned.
      const body = await upstream.arrayBuffer();
      return new Response(body, {
        status: upstream.status,
        statusText: upstream.statusText,
        headers: upstream.headers,
      });
    } catch (error) {
      // A lost upstream connection must not escape the object: an exception thrown out of a
      // Durable Object can reset it, and with it the queue of waiting calls. It travels back as
      // a marked response that gatedFetch turns into the same network error the caller would
      // have seen without the gate.
      return new Response(String(error instanceof Error ? error.message : error), {
        status: 599,
        headers: { [NETWORK_ERROR_HEADER]: '1' },
      });
    } finally {
      this.release();
    }
  }

  /** Withdraw a call still waiting for its turn. A call already admitted is never withdrawn. */
  private cancel(ticket: string | null): boolean {
    if (!ticket) return false;
    const i = this.waiters.findIndex((w) => w.ticket === ticket);
    const waiter = i >= 0 ? this.waiters[i] : undefined;
    if (!waiter) return false;
    this.waiters.splice(i, 1);
    clearTimeout(waiter.timer);
    waiter.reject(new Error('cancelled'));
    return true;
  }

  private async acquire(policy: GatePolicy, ticket: string | null): Promise<void> {
    if (this.inFlight < policy.concurrency && this.waiters.length === 0) {
      this.inFlight++;
    } else {
      // The slot is handed over by release(): inFlight is not decremented and re-incremented,
      // so a newcomer can never slip in between.
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          ticket,
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = this.waiters.indexOf(waiter);
            if (i >= 0) this.waiters.splice(i, 1);
            reject(new Error('gate wait timeout'));
          }, MAX_WAIT_MS),
        };
        this.waiters.push(waiter);
      });
    }
    this.peak = Math.max(this.peak, this.inFlight);
    this.admitted++;
    const now = Date.now();
    const startAt = Math.max(now, this.lastStart + (policy.minIntervalMs ?? 0));
    this.lastStart = startAt;
    if (startAt > now) await new Promise((r) => setTimeout(r, startAt - now));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.inFlight--;
    }
  }
}

function parsePolicy(header: string | null): GatePolicy {
  try {
    const p = JSON.parse(header ?? '{}') as Partial<Record<keyof GatePolicy, unknown>>;
    // A non-numeric value would make `inFlight < concurrency` false forever (NaN): every call of
    // the account would wait for a release that never comes. Fall back to the strictest policy.
    const concurrency = Number.isFinite(p.concurrency) ? Math.max(1, Math.floor(p.concurrency as number)) : 1;
    const minIntervalMs = Number.isFinite(p.minIntervalMs) ? Math.max(0, p.minIntervalMs as number) : 0;
    return { concurrency, minIntervalMs };
  } catch {
    return { concurrency: 1, minIntervalMs: 0 };
  }
}

/** A fetch that routes every call of one account through its gate. */
export function gatedFetch(
  namespace: DurableObjectNamespace,
  account: string,
  policy: GatePolicy,
): typeof fetch {
  const stub = namespace.get(namespace.idFromName(account));
  const policyHeader = JSON.stringify(policy);
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.headers.has(GATE_POLICY_HEADER)) request.headers.set(GATE_POLICY_HEADER, policyHeader);
    // The caller's abort (its timeout) ends its wait here, but the object would still send the
    // call when its turn came: withdraw it from the queue, so a renew that the caller already
    // reported as lost cannot reach the registrar minutes later.
    const ticket = crypto.randomUUID();
    request.headers.set(GATE_TICKET_HEADER, ticket);
    const signal = init?.signal ?? undefined;
    let withdrawal: Promise<boolean> | undefined;
    const withdraw = () => {
      withdrawal = stub
        .fetch(`http://gate.internal/cancel?ticket=${ticket}`, { method: 'POST' })
        .then(async (r) => ((await r.json()) as { cancelled?: unknown }).cancelled === true)
        .catch(() => false);
    };
    signal?.addEventListener('abort', withdraw, { once: true });
    let response: Response;
    try {
      response = await stub.fetch(request);
    } catch (error) {
      // Only the object's own word proves the call never left: then even a renew may be retried.
      if (withdrawal && (await withdrawal)) throw notSent(account, 'the caller stopped waiting for its turn');
      throw error;
    } finally {
      signal?.removeEventListener('abort', withdraw);
    }
    const refusal = response.headers.get(GATE_REFUSAL_HEADER);
    if (refusal) {
      throw notSent(
        account,
        refusal === 'cancelled'
          ? 'the caller stopped waiting for its turn'
          : 'it waited too long for its turn',
      );
    }
    if (response.headers.get(NETWORK_ERROR_HEADER)) {
      throw new TypeError(`upstream connection failed: ${await response.text()}`);
    }
    return response;
  };
}

function notSent(account: string, why: string): GatewayError {
  return new GatewayError('upstream_unavailable', {
    message: `the call to ${account} was not sent: ${why} at the account gate`,
    retryable: true,
    retryAfter: 5,
    notSent: true,
  });
}
