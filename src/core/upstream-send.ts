/**
 * Sending one call of an account once it may go (admitted by its AccountGate, or an account whose
 * registrar has no rule to admit by): straight to the registrar, or through the bridge's fixed-IP
 * relay for an account with `<PREFIX>_VIA_BRIDGE=true`, signed now (when it leaves, not when it
 * started waiting). For a caller holding a slot at the gate the reply is read whole before it is
 * handed back, so the slot covers the whole exchange, and a body cut mid-way is the lost
 * connection it is (a caller without a slot reads the body itself, under its own deadline).
 */
import type { RelayConfig } from '../env';
import { buildRelayRequest, readRelayReply } from '../providers/bridge-relay';
import { GATE_DEADLINE_HEADER, GATE_POLICY_HEADER, GATE_PRIORITY_HEADER } from '../providers/types';
import { GatewayError } from './errors';

/** Every header the gate reads; none of them may reach the registrar. */
const GATE_HEADERS = [GATE_POLICY_HEADER, GATE_PRIORITY_HEADER, GATE_DEADLINE_HEADER];

export interface SendOptions {
  /** The account, for errors and the bridge's logs. */
  account: string;
  /** Set for an account routed through the bridge's relay; `null`: routed, but not configured. */
  relay?: RelayConfig | null;
  /** The worker request the call serves, for the bridge's log lines (relayed calls only). */
  requestId?: string;
  /** What is left of the caller's time, for the relay (which gives up before the caller). */
  budgetMs: number;
  /** Ends the call: the caller's own abort, or the end of its lease. */
  signal?: AbortSignal;
  /** Background work (health pings): a refusal is not worth retrying, the account is busy. */
  background?: boolean;
  /**
   * Read the whole reply before handing it back: set for a caller holding a slot at the gate, so
   * the slot covers the whole exchange. Without a slot the caller reads the body itself.
   */
  readWhole: boolean;
}

/** One outbound call without the gate's marks: what the registrar (or the relay) is sent. */
export interface OutboundCall {
  input: string | URL | Request;
  init: RequestInit;
}

/** The gate's marks on a call, as its headers carried them (null: not set). */
export interface GateMarks {
  policy: string | null;
  priority: string | null;
  deadline: string | null;
}

/**
 * A fetch's arguments split into the gate's marks and the call without them. A caller that hands
 * over a URL and an init (every provider does, through callUpstream) gets no `Request` built: a
 * `Request` is CPU on every upstream call (docs/benchmark-methods.md, the request profile), and
 * fetch takes the URL and init as they are.
 */
export function splitGateMarks(
  input: RequestInfo | URL,
  init?: RequestInit,
): { marks: GateMarks; call: OutboundCall } {
  if (input instanceof Request) {
    const marked = new Request(input, init);
    const headers = new Headers(marked.headers);
    const marks = takeMarks(headers);
    return { marks, call: { input: new Request(marked, { headers }), init: {} } };
  }
  // A copy: the caller's headers are left as they were.
  const headers = new Headers(init?.headers);
  const marks = takeMarks(headers);
  return { marks, call: { input, init: { ...init, headers } } };
}

/** Reads the gate's marks off `headers` and deletes them: none of them may reach the registrar. */
function takeMarks(headers: Headers): GateMarks {
  const marks = {
    policy: headers.get(GATE_POLICY_HEADER),
    priority: headers.get(GATE_PRIORITY_HEADER),
    deadline: headers.get(GATE_DEADLINE_HEADER),
  };
  for (const name of GATE_HEADERS) headers.delete(name);
  return marks;
}

/** Send `call` (its gate marks already taken off); the reply is read whole when `readWhole`. */
export async function sendUpstream(call: OutboundCall, options: SendOptions): Promise<Response> {
  if (options.relay !== undefined) return sendThroughRelay(new Request(call.input, call.init), options);
  const upstream = await fetch(call.input, { ...call.init, signal: options.signal });
  if (!options.readWhole) return upstream;
  const body = await upstream.arrayBuffer();
  return new Response(nullBodyStatus(upstream.status) ? null : body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: upstream.headers,
  });
}

/**
 * The bridge's `not-sent` becomes a `notSent` error (retryable, even a renew); `reply-lost`
 * throws as a lost connection would have.
 */
async function sendThroughRelay(request: Request, options: SendOptions): Promise<Response> {
  const relay = options.relay;
  if (!relay) {
    throw notSent(
      options.account,
      "the bridge's relay is not configured (BRIDGE_URL, BRIDGE_SECRET)",
      !options.background,
    );
  }
  const answer = await fetch(
    await buildRelayRequest(request, {
      bridgeUrl: relay.url,
      secret: relay.secret,
      account: options.account,
      deadlineMs: options.budgetMs,
      requestId: options.requestId,
    }),
    { signal: options.signal },
  );
  const result = await readRelayReply(answer);
  if (result.outcome === 'relayed') return result.response;
  if (result.outcome === 'not-sent') {
    throw notSent(
      options.account,
      `the bridge's relay did not send it (${result.reason})`,
      !options.background,
    );
  }
  throw new TypeError(`the bridge's relay lost the reply: ${result.reason}`);
}

/** A call the gateway proves it never sent: `upstream_unavailable`, safe to retry even for money. */
export function notSent(account: string, why: string, retryable = true): GatewayError {
  return new GatewayError('upstream_unavailable', {
    message: `the call to ${account} was not sent: ${why}`,
    retryable,
    retryAfter: 5,
    notSent: true,
  });
}

function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
