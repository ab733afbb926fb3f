/**
 * The worker's side of the bridge's fixed-IP relay (issue 21): how one upstream call of an account
 * routed through the bridge (`<PREFIX>_VIA_BRIDGE=true`) becomes a signed `POST /v1/relay`, and
 * how the bridge's answer becomes what a direct fetch would have given. Pure (WebCrypto only): the
 * AccountGate calls it at send time, so the signature's 60 s window starts when the call leaves,
 * not when it joined the queue.
 *
 * The protocol, shared with the bridge (src/tcp-bridge):
 * - request body `{account, method, url, headers: [[name, value]…], body?: base64, deadlineMs}`,
 *   signed as every bridge request is (bridge-protocol.ts);
 * - every answer carries `x-relay-outcome`: `relayed` (the registrar's reply, unchanged),
 *   `not-sent` (provably never left the bridge: refused, could not connect) or `reply-lost` (502:
 *   a connection to the registrar was made, so the request may have reached it).
 * An answer without that header (a proxy's error page in front of the bridge, an old bridge) is
 * read as `reply-lost`: nothing proves the request did not leave.
 */
import {
  HOP_BY_HOP_HEADERS,
  RELAY_METHODS,
  RELAY_OUTCOME_HEADER,
  RELAY_PATH,
  type RelayMethod,
  signedBridgeHeaders,
} from './com35/bridge-protocol';

export function isHopByHop(name: string): boolean {
  const lower = name.toLowerCase();
  return HOP_BY_HOP_HEADERS.has(lower) || lower.startsWith('proxy-');
}

/** The body of `POST /v1/relay`. */
export interface RelayRequestBody {
  /** For the bridge's logs and metrics only. */
  account: string;
  method: RelayMethod;
  url: string;
  headers: Array<[string, string]>;
  /** base64 of the request body, when there is one. */
  body?: string;
  /** What is left of the caller's time: the bridge gives up 500 ms before it. */
  deadlineMs: number;
}

export interface RelayTarget {
  /** The bridge's origin (BRIDGE_URL). */
  bridgeUrl: string;
  /** The signing secret (the first of BRIDGE_SECRET). */
  secret: string;
  account: string;
  deadlineMs: number;
  /** The worker request's id, for the bridge's log lines (unsigned, as for 35.com commands). */
  requestId?: string;
}

/** The signed relay request that carries `request` to the bridge. */
export async function buildRelayRequest(request: Request, target: RelayTarget): Promise<Request> {
  const method = request.method.toUpperCase();
  if (!RELAY_METHODS.includes(method as RelayMethod)) {
    throw new Error(`the relay does not carry ${method} requests`);
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  const relayed: RelayRequestBody = {
    account: target.account,
    method: method as RelayMethod,
    url: request.url,
    headers: [...request.headers].filter(([name]) => !isHopByHop(name)),
    ...(bytes.length > 0 ? { body: toBase64(bytes) } : {}),
    deadlineMs: Math.max(1, Math.floor(target.deadlineMs)),
  };
  const body = JSON.stringify(relayed);
  const signed = await signedBridgeHeaders(target.secret, { method: 'POST', path: RELAY_PATH, body });
  return new Request(new URL(RELAY_PATH, target.bridgeUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signed,
      ...(target.requestId ? { 'x-request-id': target.requestId } : {}),
    },
    body,
  });
}

/** What the bridge made of one relayed call. */
export type RelayResult =
  | { outcome: 'relayed'; response: Response }
  | { outcome: 'not-sent'; reason: string }
  | { outcome: 'reply-lost'; reason: string };

/**
 * The bridge's answer, read. A `relayed` reply is read whole here: a body cut mid-way (the bridge
 * destroys the connection when the registrar's reply breaks or is too large) rejects, which the
 * caller must treat as the lost reply it is.
 */
export async function readRelayReply(answer: Response): Promise<RelayResult> {
  const outcome = answer.headers.get(RELAY_OUTCOME_HEADER);
  if (outcome === 'relayed') {
    const body = await answer.arrayBuffer();
    const headers = new Headers([...answer.headers].filter(([name]) => !isHopByHop(name)));
    headers.delete(RELAY_OUTCOME_HEADER);
    const nullBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return {
      outcome: 'relayed',
      response: new Response(nullBody ? null : body, {
        status: answer.status,
        statusText: answer.statusText,
        headers,
      }),
    };
  }
  const reason = await reasonOf(answer);
  if (outcome === 'not-sent') return { outcome: 'not-sent', reason };
  return {
    outcome: 'reply-lost',
    reason:
      outcome === 'reply-lost'
        ? reason
        : `the bridge answered HTTP ${answer.status} without ${RELAY_OUTCOME_HEADER} (${reason})`,
  };
}

/** The bridge's `{reason}`, else a short excerpt of whatever came (never the request: no secrets). */
async function reasonOf(answer: Response): Promise<string> {
  const text = await answer.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { reason?: unknown };
    if (typeof parsed.reason === 'string') return parsed.reason;
  } catch {
    // Not JSON: the excerpt below.
  }
  return `HTTP ${answer.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: String.fromCharCode with a whole large body as arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
