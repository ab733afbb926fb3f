/**
 * Per-registrar-account call discipline that holds across worker isolates.
 *
 * Some registrars refuse concurrent calls for one credential (Dynadot: one request at a time per
 * key) or ban bursts (MrDomain: no mass checks). A counter in one isolate cannot enforce that,
 * because Cloudflare runs many isolates at once; a Durable Object named by the account is a single
 * instance worldwide, so every upstream call of that account passes through it. The object performs
 * the upstream fetch itself, admitting at most `concurrency` at a time and spacing their starts by
 * `minIntervalMs`. A Durable Object keeps taking requests while it awaits a fetch, so admission is an
 * explicit queue here, not an assumption about the runtime.
 *
 * The queue is ordered by priority, then arrival: a waiting `spend` (a renew) is admitted before
 * every waiting `query`, and `background` work (health pings) goes last, so money never waits
 * behind reads. Each call may also carry a shorter wait budget than the default 120 s.
 *
 * The object also answers the account's deep health check (`/health`, see account-health.ts): it
 * is the one place that sees every call of the account, so it can ping at most once a minute and
 * send that ping behind everything else.
 */
import { DurableObject } from 'cloudflare:workers';
import { type AccountConfig, configFor, type Env } from '../env';
import { buildRelayRequest, readRelayReply } from '../providers/bridge-relay';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../providers/http';
import {
  GATE_DEADLINE_HEADER,
  GATE_POLICY_HEADER,
  GATE_PRIORITIES,
  GATE_PRIORITY_HEADER,
  type GatePolicy,
  type GatePriority,
} from '../providers/types';
import {
  type AccountHealthCheck,
  HEALTH_GATE_WAIT_MS,
  HealthCache,
  pingConfiguredAccount,
} from './account-health';
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

/** A shorter wait budget (ms) than MAX_WAIT_MS for one call, set by its caller. */
const GATE_MAX_WAIT_HEADER = 'x-gateway-gate-max-wait';

/**
 * Marks a call of an account routed through the bridge's relay (`<PREFIX>_VIA_BRIDGE=true`); its
 * value is the worker request's id (or `-`), which the bridge logs.
 */
const GATE_RELAY_HEADER = 'x-gateway-gate-relay';

/** Every header the gate reads; none of them may reach the registrar. */
const GATE_HEADERS = [
  GATE_POLICY_HEADER,
  GATE_PRIORITY_HEADER,
  GATE_MAX_WAIT_HEADER,
  GATE_TICKET_HEADER,
  GATE_DEADLINE_HEADER,
  GATE_RELAY_HEADER,
];

/** The gate's refusal value for a call the bridge's relay proved it never sent. */
const RELAY_NOT_SENT = 'relay-not-sent';

/** How long a call may wait for its turn before the gate answers 503 (never hang). */
const MAX_WAIT_MS = 120_000;

/** Admissions remembered, in order, for /stats: tests and metrics read who went first. */
const RECENT_ADMISSIONS = 32;

/** What one call asks of the gate, read from its headers. */
interface Admission {
  policy: GatePolicy;
  priority: GatePriority;
  maxWaitMs: number;
  ticket: string | null;
}

interface Waiter {
  ticket: string | null;
  priority: GatePriority;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** How a caller wants its calls admitted: the account's policy and, for background work, its lane. */
export interface GateOptions {
  policy: GatePolicy;
  /** `background`: every call that spends nothing waits behind queries (health pings). */
  lane?: 'background';
  /** Give up waiting for a turn after this long (at most 120 s). */
  maxWaitMs?: number;
  /** Send the calls through the bridge's fixed-IP relay (the account's `VIA_BRIDGE`). */
  relay?: boolean;
  /** The worker request the calls serve, for the bridge's log lines (relayed calls only). */
  requestId?: string;
}

export class AccountGate extends DurableObject<Env> {
  private inFlight = 0;
  private lastStart = 0;
  private readonly waiters: Waiter[] = [];
  /** Highest concurrency seen at once: exposed for tests and metrics. */
  private peak = 0;
  /** Calls let through since the object started (tests use it to know which call is in flight). */
  private admitted = 0;
  private readonly recent: GatePriority[] = [];
  private health: HealthCache | undefined;

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname === 'gate.internal' && url.pathname === '/stats') {
      const queuedBy = Object.fromEntries(
        GATE_PRIORITIES.map((p) => [p, this.waiters.filter((w) => w.priority === p).length]),
      );
      return Response.json({
        inFlight: this.inFlight,
        queued: this.waiters.length,
        queuedBy,
        peak: this.peak,
        admitted: this.admitted,
        recent: this.recent,
      });
    }
    if (url.hostname === 'gate.internal' && url.pathname === '/cancel') {
      return Response.json({ cancelled: this.cancel(url.searchParams.get('ticket')) });
    }
    if (url.hostname === 'gate.internal' && url.pathname === '/health') {
      // Nothing may escape the object (it would reset it and drop the queue): failures are answers.
      try {
        const account = this.accountNamed(url.searchParams.get('account'));
        if (!account) return Response.json({ error: 'no such account at this gate' }, { status: 404 });
        return Response.json(await this.checkHealth(account));
      } catch {
        return Response.json({ error: 'the health check failed' }, { status: 500 });
      }
    }
    return this.forward(request);
  }

  /** Admit one call in its turn, send it upstream, and hand the slot on. */
  private async forward(request: Request): Promise<Response> {
    const receivedAt = Date.now();
    try {
      await this.acquire(admissionOf(request.headers));
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
      for (const name of GATE_HEADERS) headers.delete(name);
      const outgoing = new Request(request, { headers });
      const relayed = request.headers.get(GATE_RELAY_HEADER);
      // A relayed reply is read whole by readRelayReply, inside this try, for the same reason.
      if (relayed !== null) return await this.relay(outgoing, request.headers, receivedAt);
      const upstream = await fetch(outgoing);
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

  /**
   * Send one admitted call through the bridge's relay, signed now (not when it was queued). The
   * bridge's `not-sent` becomes the gate's own "never left" refusal; `reply-lost` throws, as a
   * lost connection would have.
   */
  private async relay(outgoing: Request, marks: Headers, receivedAt: number): Promise<Response> {
    const relay = configFor(this.env).relay;
    if (!relay) return relayRefusal('the relay is not configured (BRIDGE_URL, BRIDGE_SECRET)');
    // The caller's budget, less the time this call waited for its turn.
    const budget = Number(marks.get(GATE_DEADLINE_HEADER)) || DEFAULT_UPSTREAM_TIMEOUT_MS;
    const requestId = marks.get(GATE_RELAY_HEADER);
    const answer = await fetch(
      await buildRelayRequest(outgoing, {
        bridgeUrl: relay.url,
        secret: relay.secret,
        account: this.gatedAccount(),
        deadlineMs: budget - (Date.now() - receivedAt),
        requestId: requestId && requestId !== '-' ? requestId : undefined,
      }),
    );
    const result = await readRelayReply(answer);
    if (result.outcome === 'relayed') return result.response;
    if (result.outcome === 'not-sent') return relayRefusal(result.reason);
    throw new Error(`the bridge's relay lost the reply: ${result.reason}`);
  }

  /** The name of the account this object gates (for the bridge's logs), if configured. */
  private gatedAccount(): string {
    const account = configFor(this.env).accounts.find((a) =>
      this.ctx.id.equals(this.env.ACCOUNT_GATE.idFromName(a.name)),
    );
    return account?.name ?? 'unknown';
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
    // The ping goes through this object's own queue, as background work with a short budget.
    const inLine = this.ownFetch(account.name, {
      policy: account.definition.gate(account.config),
      lane: 'background',
      maxWaitMs: HEALTH_GATE_WAIT_MS,
      relay: account.viaBridge,
    });
    return this.health.read(() => pingConfiguredAccount(account, configFor(this.env), inLine));
  }

  /** gatedFetch for calls this object makes itself: the same admission, without a stub. */
  private ownFetch(account: string, options: GateOptions): typeof fetch {
    return async (input: RequestInfo | URL, init?: RequestInit) => {
      const signal = init?.signal ?? undefined;
      // As fetch does: a call whose caller already gave up is not even queued.
      signal?.throwIfAborted();
      const ticket = crypto.randomUUID();
      const request = stamp(new Request(input, init), options, ticket);
      const withdraw = () => this.cancel(ticket);
      signal?.addEventListener('abort', withdraw, { once: true });
      try {
        return await readGateResponse(account, await this.forward(request), options.lane);
      } finally {
        signal?.removeEventListener('abort', withdraw);
      }
    };
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

  private async acquire({ policy, priority, maxWaitMs, ticket }: Admission): Promise<void> {
    if (this.inFlight < policy.concurrency && this.waiters.length === 0) {
      this.inFlight++;
    } else {
      // The slot is handed over by release(): inFlight is not decremented and re-incremented,
      // so a newcomer can never slip in between.
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
    this.peak = Math.max(this.peak, this.inFlight);
    this.admitted++;
    this.recent.push(priority);
    if (this.recent.length > RECENT_ADMISSIONS) this.recent.shift();
    const now = Date.now();
    const startAt = Math.max(now, this.lastStart + (policy.minIntervalMs ?? 0));
    this.lastStart = startAt;
    if (startAt > now) await new Promise((r) => setTimeout(r, startAt - now));
  }

  private release(): void {
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
}

function admissionOf(headers: Headers): Admission {
  const priority = headers.get(GATE_PRIORITY_HEADER);
  const maxWaitMs = Number(headers.get(GATE_MAX_WAIT_HEADER));
  return {
    policy: parsePolicy(headers.get(GATE_POLICY_HEADER)),
    // An unknown priority is a query: never promoted to a spend, never demoted below reads.
    priority: GATE_PRIORITIES.find((p) => p === priority) ?? 'query',
    maxWaitMs: maxWaitMs > 0 ? Math.min(maxWaitMs, MAX_WAIT_MS) : MAX_WAIT_MS,
    ticket: headers.get(GATE_TICKET_HEADER),
  };
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

/**
 * Mark a request for the gate: the account's default policy (unless the provider set a tighter
 * one), its priority, its wait budget and its ticket. A spend stays a spend in any lane: a renew
 * must never be demoted behind reads, whoever sends it.
 */
function stamp(request: Request, options: GateOptions, ticket: string): Request {
  if (!request.headers.has(GATE_POLICY_HEADER)) {
    request.headers.set(GATE_POLICY_HEADER, JSON.stringify(options.policy));
  }
  const asked = request.headers.get(GATE_PRIORITY_HEADER);
  if (asked !== 'spend') request.headers.set(GATE_PRIORITY_HEADER, options.lane ?? asked ?? 'query');
  if (options.maxWaitMs !== undefined) request.headers.set(GATE_MAX_WAIT_HEADER, String(options.maxWaitMs));
  request.headers.set(GATE_TICKET_HEADER, ticket);
  if (options.relay) request.headers.set(GATE_RELAY_HEADER, options.requestId ?? '-');
  return request;
}

/**
 * The caller's view of a gate answer: the gate's own refusals and network failures as errors. A
 * refused background call is not worth retrying: background work yields to a busy account.
 */
async function readGateResponse(account: string, response: Response, lane?: 'background'): Promise<Response> {
  const refusal = response.headers.get(GATE_REFUSAL_HEADER);
  if (refusal === RELAY_NOT_SENT) {
    throw notSent(
      account,
      `the bridge's relay did not send it (${await response.text()})`,
      lane !== 'background',
    );
  }
  if (refusal) {
    throw notSent(
      account,
      refusal === 'cancelled'
        ? 'the caller stopped waiting for its turn at the account gate'
        : 'it waited too long for its turn at the account gate',
      lane !== 'background',
    );
  }
  if (response.headers.get(NETWORK_ERROR_HEADER)) {
    throw new TypeError(`upstream connection failed: ${await response.text()}`);
  }
  return response;
}

/** A fetch that routes every call of one account through its gate. */
export function gatedFetch(
  namespace: DurableObjectNamespace,
  account: string,
  policy: GatePolicy,
  options: Omit<GateOptions, 'policy'> = {},
): typeof fetch {
  const stub = namespace.get(namespace.idFromName(account));
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    // The caller's abort (its timeout) ends its wait here, but the object would still send the
    // call when its turn came: withdraw it from the queue, so a renew that the caller already
    // reported as lost cannot reach the registrar minutes later.
    const ticket = crypto.randomUUID();
    const request = stamp(new Request(input, init), { ...options, policy }, ticket);
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
      if (withdrawal && (await withdrawal)) {
        throw notSent(
          account,
          'the caller stopped waiting for its turn at the account gate',
          options.lane !== 'background',
        );
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', withdraw);
    }
    return readGateResponse(account, response, options.lane);
  };
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

/** The gate's answer for a call the bridge's relay proved it never sent: retryable, even a renew. */
function relayRefusal(reason: string): Response {
  return new Response(reason, {
    status: 503,
    headers: { 'retry-after': '5', [GATE_REFUSAL_HEADER]: RELAY_NOT_SENT },
  });
}

function notSent(account: string, why: string, retryable = true): GatewayError {
  return new GatewayError('upstream_unavailable', {
    message: `the call to ${account} was not sent: ${why}`,
    retryable,
    retryAfter: 5,
    notSent: true,
  });
}
