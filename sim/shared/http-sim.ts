/**
 * The HTTP transport every HTTP simulator shares (Dynadot, LogicBoxes, Alibaba, MrDomain): it
 * reads the request, applies injected faults at the socket level (a dropped connection is a real
 * dropped connection), serves the `/__sim/*` control API, and hands everything else to the
 * simulator's own `handle`, which is pure request → response logic built from the seed.
 *
 * Control API (same port, never used by a real registrar's paths):
 *   GET  /__sim/state    the simulator's state as JSON (domains, balance, counters)
 *   POST /__sim/reset    back to the seeded state, faults cleared
 *   POST /__sim/faults   add rules: {fault:{kind,...}, match?, times?} or a list of them
 *   DELETE /__sim/faults clear rules
 *   POST /__sim/latency  {ms}: delay added to every reply
 *   GET  /__sim/held     {held}: calls parked by a `hold` fault
 *   POST /__sim/release  let every parked call go on: {released}
 *   POST /__sim/allowlist {addresses:[...]}: only these client addresses are served; empty or absent
 *                        = off. Callers outside it get the simulator's `refuseStranger` reply. The
 *                        control API itself answers every address (it is not a registrar path).
 *   GET  /__sim/allowlist {addresses}
 *   POST /__sim/<other>  passed to the simulator's `control` hook (e.g. seed a domain)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AllowList, parseAllowListBody } from './allow-list';
import { type Fault, FaultInjector, parseFaultRules, sleep } from './faults';

export interface SimRequest {
  method: string;
  /** Path without query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes as text (the simulator parses urlencoded/multipart/JSON itself). */
  body: string;
  rawBody: Buffer;
  remoteAddress: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface HttpSimulatorLogic {
  /** Registrar name, for logs. */
  name: string;
  /** The operation name faults match against (command, action, `module/action`…). */
  operationOf(req: SimRequest): string;
  /** Pure registrar behaviour. May be async (e.g. a renewal task that completes later). */
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  state(): unknown;
  reset(): void;
  /** Simulator-specific control endpoints under /__sim/. */
  control?(name: string, body: unknown): unknown;
  /**
   * What the registrar answers a client address outside the account's API allow-list, before it
   * acts. Without it the allow-list is not enforced on HTTP (35.com enforces it on its TCP port).
   */
  refuseStranger?(req: SimRequest): SimResponse | Promise<SimResponse>;
}

export interface RunningHttpSimulator {
  url: string;
  port: number;
  faults: FaultInjector;
  allowList: AllowList;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>';

async function control(
  logic: HttpSimulatorLogic,
  faults: FaultInjector,
  allowList: AllowList,
  req: SimRequest,
  res: ServerResponse,
) {
  const name = req.path.slice('/__sim/'.length);
  let body: unknown = {};
  try {
    body = req.body ? JSON.parse(req.body) : {};
  } catch {
    return json(res, 400, { error: 'control bodies are JSON' });
  }
  try {
    if (name === 'state' && req.method === 'GET') return json(res, 200, logic.state());
    if (name === 'reset' && req.method === 'POST') {
      logic.reset();
      allowList.reset();
      faults.clear();
      faults.latencyMs = 0;
      // A call a previous test left parked must not hang, nor act in the next test's state.
      faults.release();
      return json(res, 200, { ok: true });
    }
    if (name === 'held' && req.method === 'GET') return json(res, 200, { held: faults.held });
    if (name === 'release' && req.method === 'POST') return json(res, 200, { released: faults.release() });
    if (name === 'faults' && req.method === 'POST') {
      for (const rule of parseFaultRules(body)) faults.add(rule);
      return json(res, 200, { pending: faults.pending() });
    }
    if (name === 'faults' && req.method === 'DELETE') {
      faults.clear();
      return json(res, 200, { ok: true });
    }
    if (name === 'allowlist' && req.method === 'POST') {
      allowList.set(parseAllowListBody(body));
      return json(res, 200, { addresses: allowList.addresses });
    }
    if (name === 'allowlist' && req.method === 'GET')
      return json(res, 200, { addresses: allowList.addresses });
    if (name === 'latency' && req.method === 'POST') {
      faults.latencyMs = Number((body as { ms?: number }).ms ?? 0);
      return json(res, 200, { ok: true });
    }
    if (logic.control && req.method === 'POST')
      return json(res, 200, logic.control(name, body) ?? { ok: true });
    return json(res, 404, { error: `unknown control ${req.method} ${name}` });
  } catch (error) {
    return json(res, 400, { error: String(error instanceof Error ? error.message : error) });
  }
}

async function applyFaultAndReply(
  fault: Fault | undefined,
  faults: FaultInjector,
  logic: HttpSimulatorLogic,
  req: SimRequest,
  res: ServerResponse,
): Promise<void> {
  if (fault?.kind === 'drop_before') {
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'http_status') {
    res.writeHead(fault.status, { 'content-type': 'text/plain' });
    res.end(`${fault.status} upstream error`);
    return;
  }
  if (fault?.kind === 'html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(HTML_PAGE);
    return;
  }
  if (fault?.kind === 'garbage') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('\u0000\u0013garbage\uFFFD not a reply');
    return;
  }
  if (fault?.kind === 'delay') await sleep(fault.ms);
  if (fault?.kind === 'hold') await faults.hold();
  // The registrar acts from here on: every fault below happens after the state change.
  const reply = await logic.handle(req);
  if (fault?.kind === 'drop_after') {
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'timeout_after') {
    await sleep(fault.ms);
    res.socket?.destroy();
    return;
  }
  const bytes = Buffer.from(reply.body, 'utf8');
  if (fault?.kind === 'truncate') {
    const cut = Math.max(1, Math.min(bytes.length - 1, fault.bytes ?? Math.floor(bytes.length / 2)));
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, cut));
    // Close mid-body: the client sees a short read, as with a dying upstream.
    res.socket?.destroy();
    return;
  }
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

async function refuse(logic: HttpSimulatorLogic, req: SimRequest, res: ServerResponse): Promise<void> {
  const reply = await logic.refuseStranger!(req);
  const bytes = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

export async function startHttpSimulator(
  logic: HttpSimulatorLogic,
  opts: { host?: string; port?: number; latencyMs?: number; allowFrom?: readonly string[] } = {},
): Promise<RunningHttpSimulator> {
  const faults = new FaultInjector();
  const allowList = new AllowList(opts.allowFrom);
  faults.latencyMs = opts.latencyMs ?? 0;
  const server: Server = createServer(async (incoming, res) => {
    try {
      const rawBody = await readBody(incoming);
      const url = new URL(incoming.url ?? '/', 'http://sim.local');
      const req: SimRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: rawBody.toString('utf8'),
        rawBody,
        remoteAddress: incoming.socket.remoteAddress ?? '',
      };
      if (req.path.startsWith('/__sim/')) return await control(logic, faults, allowList, req, res);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      // A stranger is turned away before the registrar looks at the request: no fault rule is
      // used up and nothing acts.
      if (logic.refuseStranger && !allowList.allows(req.remoteAddress)) return await refuse(logic, req, res);
      await applyFaultAndReply(faults.take(logic.operationOf(req)), faults, logic, req, res);
    } catch (error) {
      // A simulator bug must be loud in tests, but still an HTTP answer, not a hung socket.
      console.error(`[sim ${logic.name}]`, error);
      if (!res.headersSent) json(res, 500, { simulatorError: String(error) });
      else res.socket?.destroy();
    }
  });
  // Idle keep-alive connections are left for the client to close. With a server-side timeout, the
  // server could close a pooled connection at the moment workerd reused it, and a test's control
  // call failed with "Network connection lost" (seen in test/worker/health-costs.test.ts).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    allowList,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
