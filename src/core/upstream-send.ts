/**
 * Sending one call of an account once it may go (admitted by its AccountGate, or an account whose
 * registrar has no rule to admit by): straight to the registrar, or through the bridge's fixed-IP
 * relay for an account with `<PREFIX>_VIA_BRIDGE=true`, signed now (when it leaves, not when it
 * started waiting). The reply is read whole before it is handed back, so the caller's slot at the
 * gate covers the whole exchange, and a body cut mid-way is the lost connection it is.
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
}

/** Send `request` (its gate headers already removed) and read the whole reply. */
export async function sendUpstream(request: Request, options: SendOptions): Promise<Response> {
  if (options.relay !== undefined) return sendThroughRelay(request, options);
  const upstream = await fetch(request, { signal: options.signal });
  const body = await upstream.arrayBuffer();
  return new Response(nullBodyStatus(upstream.status) ? null : body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: upstream.headers,
  });
}

/** The request without the gate's headers: what the registrar (or the relay) is sent. */
export function withoutGateHeaders(request: Request): Request {
  const headers = new Headers(request.headers);
  for (const name of GATE_HEADERS) headers.delete(name);
  return new Request(request, { headers });
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
