/**
 * The bridge's HTTPS relay over real sockets: a plain node:http upstream on 127.0.0.1 (what it saw
 * is the proof of what was sent), and the Dynadot simulator in allow-list mode (only 127.0.0.2),
 * which only a bridge sending from BRIDGE_SOURCE_ADDRESS=127.0.0.2 gets past.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SIM_DYNADOT_KEY, STRANGER_REFUSED } from '../../sim/dynadot/logic';
import { startDynadotSimulator } from '../../sim/dynadot/start';
import { createLogger, REQUEST_ID_HEADER } from '../core/log';
import { RELAY_OUTCOME_HEADER, RELAY_PATH, signedBridgeHeaders } from '../providers/com35/bridge-protocol';
import type { BridgeConfig, RunningBridge } from './server';
import { SECRET, useBridgeHarness } from './test-harness';

const h = useBridgeHarness();

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A plain HTTP server on 127.0.0.1 that records every request it reads whole, then lets `handle` answer. */
async function upstream(handle: Handler = (_req, res) => res.end('ok')) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        remoteAddress: req.socket.remoteAddress,
      });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { origin: `http://127.0.0.1:${port}`, port, seen, close };
}

async function bridgeTo(origins: string[], overrides: Partial<BridgeConfig> = {}): Promise<RunningBridge> {
  return h.bridge({ allowedOrigins: origins, ...overrides }, { waitForSession: false });
}

interface Signed {
  body: string;
  headers: Record<string, string>;
}

async function signRelay(request: Record<string, unknown>): Promise<Signed> {
  const body = JSON.stringify({
    account: 'logicboxes',
    method: 'GET',
    headers: [],
    deadlineMs: 30_000,
    ...request,
  });
  const headers = await signedBridgeHeaders(SECRET, { method: 'POST', path: RELAY_PATH, body });
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}

function send(b: RunningBridge, signed: Signed, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${b.url}${RELAY_PATH}`, {
    method: 'POST',
    headers: { ...signed.headers, ...headers },
    body: signed.body,
    redirect: 'manual',
  });
}

async function relay(b: RunningBridge, request: Record<string, unknown>, headers?: Record<string, string>) {
  return send(b, await signRelay(request), headers);
}

/** A `not-sent` or `reply-lost` answer: its status and reason, with the outcome checked. */
async function refusal(res: Response, outcome: 'not-sent' | 'reply-lost') {
  expect(res.headers.get(RELAY_OUTCOME_HEADER)).toBe(outcome);
  const body = (await res.json()) as { reason: string };
  expect(body.reason).toEqual(expect.any(String));
  return { status: res.status, reason: body.reason };
}

function counted(b: RunningBridge, origin: string, outcome: string): number {
  const line = b.metrics
    .render()
    .split('\n')
    .find((l) => l.startsWith(`bridge_relay_calls_total{origin="${origin}",outcome="${outcome}"} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('relayed calls', () => {
  it('relays a GET: status, headers and body unchanged, the reply streamed as it comes', async () => {
    let firstChunkRead!: () => void;
    const worker = new Promise<void>((resolve) => {
      firstChunkRead = resolve;
    });
    const up = await upstream((_req, res) => {
      res.writeHead(203, { 'content-type': 'text/plain', 'x-upstream': 'yes', 'set-cookie': ['a=1', 'b=2'] });
      res.write('first,');
      // The rest only once the worker has read the first part: a bridge that buffered whole replies
      // would never let it.
      void worker.then(() => res.end('second'));
    });
    const b = await bridgeTo([up.origin]);
    const res = await relay(b, {
      url: `${up.origin}/api/domains/details.json?order-id=42`,
      headers: [
        ['accept', 'application/json'],
        ['x-custom', 'one'],
        ['x-custom', 'two'],
      ],
    });
    expect(res.status).toBe(203);
    expect(res.headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    expect(text).toBe('first,');
    firstChunkRead();
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += decoder.decode(r.value, { stream: true });
    expect(text).toBe('first,second');
    expect(up.seen).toHaveLength(1);
    expect(up.seen[0]).toMatchObject({ method: 'GET', url: '/api/domains/details.json?order-id=42' });
    expect(up.seen[0]!.headers).toMatchObject({ accept: 'application/json', 'x-custom': 'one, two' });
    expect(counted(b, up.origin, 'relayed')).toBe(1);
  });

  it('relays a POST with its bytes exactly, and a reply status the worker must judge (500)', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"status":"ERROR","message":"no"}');
    });
    const b = await bridgeTo([up.origin]);
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255, 10, 13]);
    const res = await relay(b, {
      method: 'POST',
      url: `${up.origin}/api/domains/renew.json`,
      headers: [['content-type', 'application/octet-stream']],
      body: bytes.toString('base64'),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    expect(await res.text()).toBe('{"status":"ERROR","message":"no"}');
    expect(up.seen[0]!.method).toBe('POST');
    expect(up.seen[0]!.body.equals(bytes)).toBe(true);
    expect(up.seen[0]!.headers['content-type']).toBe('application/octet-stream');
    expect(up.seen[0]!.headers['content-length']).toBe(String(bytes.length));
  });

  it('drops hop-by-hop headers both ways', async () => {
    const up = await upstream((_req, res) => {
      res.setHeader('connection', 'close, x-reply-hop');
      res.setHeader('x-reply-hop', 'must-not-pass');
      res.setHeader('keep-alive', 'timeout=77, max=3');
      res.setHeader('proxy-authenticate', 'Basic realm="upstream"');
      res.setHeader('x-end-to-end', 'kept');
      res.end('done');
    });
    const b = await bridgeTo([up.origin]);
    const res = await relay(b, {
      url: `${up.origin}/x`,
      headers: [
        ['Connection', 'x-request-hop'],
        ['x-request-hop', 'must-not-pass'],
        ['keep-alive', 'timeout=99'],
        ['proxy-authorization', 'Basic c2VjcmV0'],
        ['te', 'trailers'],
        ['upgrade', 'websocket'],
        ['host', 'evil.example'],
        ['content-length', '999'],
        ['x-end-to-end', 'kept'],
      ],
    });
    expect(await res.text()).toBe('done');
    const sent = up.seen[0]!.headers;
    expect(sent['x-end-to-end']).toBe('kept');
    expect(sent.host).toBe(`127.0.0.1:${up.port}`);
    for (const name of [
      'x-request-hop',
      'keep-alive',
      'proxy-authorization',
      'te',
      'upgrade',
      'content-length',
    ])
      expect(sent, name).not.toHaveProperty(name);
    expect(res.headers.get('x-end-to-end')).toBe('kept');
    expect(res.headers.get('x-reply-hop')).toBeNull();
    expect(res.headers.get('proxy-authenticate')).toBeNull();
    // The bridge's own connection to the worker has its own keep-alive, never the upstream's.
    expect(res.headers.get('keep-alive') ?? '').not.toContain('max=3');
  });

  it('returns a redirect to another origin as it came, and follows none', async () => {
    const other = await upstream();
    const up = await upstream((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/elsewhere` });
      res.end();
    });
    const b = await bridgeTo([up.origin, other.origin]);
    const res = await relay(b, { url: `${up.origin}/moved` });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${other.origin}/elsewhere`);
    expect(res.headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    expect(up.seen).toHaveLength(1);
    expect(other.seen).toHaveLength(0);
  });

  it('sends from BRIDGE_SOURCE_ADDRESS: an allow-listed simulator serves only that bridge', async () => {
    const sim = await startDynadotSimulator({ allowFrom: ['127.0.0.2'] });
    cleanups.push(() => sim.close());
    const origin = new URL(sim.controlUrl).origin;
    const call = { url: `${origin}/api3.xml?key=${SIM_DYNADOT_KEY}&command=account_info` };
    const fromSource = await relay(await bridgeTo([origin], { sourceAddress: '127.0.0.2' }), call);
    expect(await fromSource.text()).toContain('<AccountInfoResponse>');
    const fromDefault = await relay(await bridgeTo([origin]), call);
    expect(fromDefault.headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    expect(await fromDefault.text()).toContain(STRANGER_REFUSED);
  });
});

describe('refused, nothing sent', () => {
  it('refuses an origin not allowed (even the same server under another name)', async () => {
    const up = await upstream();
    const b = await bridgeTo([up.origin]);
    const other = `http://localhost:${up.port}`;
    const r = await refusal(await relay(b, { url: `${other}/x` }), 'not-sent');
    expect(r.status).toBe(403);
    expect(r.reason).toContain('BRIDGE_ALLOWED_ORIGINS');
    // A scheme other than http(s) has no origin to allow.
    expect((await refusal(await relay(b, { url: 'file:///etc/passwd' }), 'not-sent')).status).toBe(403);
    expect(up.seen).toHaveLength(0);
    expect(counted(b, other, 'not-sent')).toBe(1);
  });

  it('refuses everything while BRIDGE_ALLOWED_ORIGINS is empty', async () => {
    const up = await upstream();
    const b = await bridgeTo([]);
    const r = await refusal(await relay(b, { url: `${up.origin}/x` }), 'not-sent');
    expect(r.status).toBe(403);
    expect(r.reason).toMatch(/relay is off/);
    expect(up.seen).toHaveLength(0);
  });

  it('refuses an unsigned call and a replayed one, counted as not sent', async () => {
    const up = await upstream();
    const b = await bridgeTo([up.origin]);
    const signed = await signRelay({ url: `${up.origin}/renew` });
    const unsigned = await fetch(`${b.url}${RELAY_PATH}`, { method: 'POST', body: signed.body });
    expect((await refusal(unsigned, 'not-sent')).status).toBe(401);
    expect(up.seen).toHaveLength(0);
    expect((await send(b, signed)).headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    const replay = await refusal(await send(b, signed), 'not-sent');
    expect(replay.status).toBe(401);
    expect(replay.reason).toMatch(/nonce/);
    expect(up.seen).toHaveLength(1);
    expect(counted(b, 'none', 'not-sent')).toBe(2);
    expect(counted(b, up.origin, 'relayed')).toBe(1);
  });

  it('refuses a body over BRIDGE_MAX_BODY_BYTES, and a request that is not the protocol', async () => {
    const up = await upstream();
    const b = await bridgeTo([up.origin], { maxBodyBytes: 1024 });
    const big = { method: 'POST', url: `${up.origin}/x`, body: Buffer.alloc(1025, 7).toString('base64') };
    expect((await refusal(await relay(b, big), 'not-sent')).status).toBe(413);
    const exact = { ...big, body: Buffer.alloc(1024, 7).toString('base64') };
    expect((await relay(b, exact)).headers.get(RELAY_OUTCOME_HEADER)).toBe('relayed');
    expect(up.seen.map((s) => s.body.length)).toEqual([1024]);
    for (const bad of [
      { url: `${up.origin}/x`, proxy: true },
      { url: `${up.origin}/x`, method: 'CONNECT' },
      { url: `${up.origin}/x`, deadlineMs: 0 },
    ])
      expect((await refusal(await relay(b, bad), 'not-sent')).status).toBe(400);
    expect(up.seen).toHaveLength(1);
  });

  it('refuses beyond BRIDGE_RELAY_MAX_IN_FLIGHT with 503, the first relay unharmed', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: () => void;
    const first = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const up = await upstream((_req, res) => {
      arrived();
      void released.then(() => res.end('late'));
    });
    const b = await bridgeTo([up.origin], { relayMaxInFlight: 1 });
    const holding = relay(b, { url: `${up.origin}/slow` });
    await first;
    const busy = await refusal(await relay(b, { url: `${up.origin}/second` }), 'not-sent');
    expect(busy.status).toBe(503);
    release();
    expect(await (await holding).text()).toBe('late');
    expect(up.seen.map((s) => s.url)).toEqual(['/slow']);
  });

  it('answers a closed port with not-sent', async () => {
    const gone = await upstream();
    await gone.close();
    const b = await bridgeTo([gone.origin]);
    const r = await refusal(
      await relay(b, { method: 'POST', url: `${gone.origin}/renew`, body: 'e30=' }),
      'not-sent',
    );
    expect(r.status).toBe(502);
    expect(r.reason).toMatch(/ECONNREFUSED/);
    expect(counted(b, gone.origin, 'not-sent')).toBe(1);
  });
});

describe('sent, reply lost', () => {
  it('is reply-lost when the registrar took the request and dropped the connection', async () => {
    const up = await upstream((req) => req.socket.destroy());
    const b = await bridgeTo([up.origin]);
    const r = await refusal(
      await relay(b, { method: 'POST', url: `${up.origin}/renew`, body: 'e30=' }),
      'reply-lost',
    );
    expect(r.status).toBe(502);
    expect(up.seen).toHaveLength(1);
    expect(counted(b, up.origin, 'reply-lost')).toBe(1);
  });

  it("gives up before the worker's deadline, and within BRIDGE_RELAY_TIMEOUT_MS", async () => {
    const up = await upstream(() => {});
    const b = await bridgeTo([up.origin], { relayTimeoutMs: 300 });
    const started = Date.now();
    const byDeadline = await refusal(
      await relay(b, { url: `${up.origin}/slow`, deadlineMs: 1_500 }),
      'reply-lost',
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    // The deadline leaves 1000 ms (1500 less the 500 ms margin); BRIDGE_RELAY_TIMEOUT_MS is shorter.
    expect(byDeadline.reason).toContain('within 300 ms');
    const b2 = await bridgeTo([up.origin]);
    const started2 = Date.now();
    const r = await refusal(await relay(b2, { url: `${up.origin}/slow`, deadlineMs: 1_500 }), 'reply-lost');
    expect(Date.now() - started2).toBeLessThan(1_500);
    expect(r.reason).toContain('within 1000 ms');
    expect(up.seen).toHaveLength(2);
  });

  it("destroys the worker's connection when the reply exceeds BRIDGE_RELAY_MAX_REPLY_BYTES", async () => {
    const up = await upstream((req, res) => {
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let sent = 0; sent < size; sent += 256) res.write(Buffer.alloc(Math.min(256, size - sent), 1));
      res.end();
    });
    const b = await bridgeTo([up.origin], { relayMaxReplyBytes: 1024 });
    const fits = await relay(b, { url: `${up.origin}/r?size=1024` });
    expect((await fits.arrayBuffer()).byteLength).toBe(1024);
    const over = await relay(b, { url: `${up.origin}/r?size=4096` });
    expect(over.status).toBe(200);
    await expect(over.arrayBuffer()).rejects.toThrow();
    expect(counted(b, up.origin, 'relayed')).toBe(1);
    expect(counted(b, up.origin, 'reply-lost')).toBe(1);
  });

  it("destroys the worker's connection when the registrar cuts its reply mid-body", async () => {
    const up = await upstream((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only the start', () => req.socket.destroy());
    });
    const b = await bridgeTo([up.origin]);
    const res = await relay(b, { url: `${up.origin}/cut` });
    await expect(res.text()).rejects.toThrow();
  });
});

describe('metrics and logs', () => {
  it('counts per origin and outcome on /metrics', async () => {
    const up = await upstream();
    const b = await bridgeTo([up.origin]);
    await (await relay(b, { url: `${up.origin}/a` })).text();
    await (await relay(b, { url: `${up.origin}/b` })).text();
    await (await relay(b, { url: 'http://127.0.0.1:1/none' })).text();
    const page = await (await fetch(`${b.url}/metrics`)).text();
    expect(page).toContain('# TYPE bridge_relay_calls_total counter');
    expect(page).toContain(`bridge_relay_calls_total{origin="${up.origin}",outcome="relayed"} 2`);
    expect(page).toContain('bridge_relay_calls_total{origin="http://127.0.0.1:1",outcome="not-sent"} 1');
  });

  it('logs the request id on its relay line, and neither the secret nor the URL’s credentials', async () => {
    const up = await upstream();
    const raw: string[] = [];
    const logger = createLogger({ secrets: [SECRET], sink: (line) => raw.push(line) });
    const b = await bridgeTo([up.origin], { logger });
    const url = `${up.origin}/api/domains/renew.json?auth-userid=1&api-key=upstream-key-5b1e9`;
    await (
      await relay(
        b,
        { url, headers: [['authorization', 'Bearer upstream-token-77d0']] },
        { [REQUEST_ID_HEADER]: 'req-relay-7f3a' },
      )
    ).text();
    await (
      await relay(
        b,
        { url: `http://localhost:${up.port}/x?api-key=upstream-key-5b1e9` },
        { [REQUEST_ID_HEADER]: 'req-relay-8e4b' },
      )
    ).text();
    const lines = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.requestId === 'req-relay-7f3a')).toMatchObject({
      msg: 'relayed a call',
      account: 'logicboxes',
      origin: up.origin,
      outcome: 'relayed',
    });
    expect(lines.find((l) => l.requestId === 'req-relay-8e4b')).toMatchObject({ outcome: 'not-sent' });
    const all = raw.join('\n');
    for (const secret of [SECRET, 'upstream-key-5b1e9', 'upstream-token-77d0'])
      expect(all).not.toContain(secret);
  });
});
