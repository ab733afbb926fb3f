/**
 * A stand-in billing system for the worker tests: receives the gateway's signed outbound callbacks
 * on 127.0.0.1 (port 0) and records each request, so a worker test can read what arrived.
 *
 * - `POST /hooks/<anything>` → recorded; answered 200, or with a failure status while failures are armed
 * - `GET /__received` → `[{path, headers, body, status, at}]` (every request, failed ones too)
 * - `DELETE /__received` → forget everything (and disarm failures)
 * - `POST /__fail {count, status}` → answer the next `count` callbacks with `status`
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  at: string;
}

export interface CallbackReceiver {
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startCallbackReceiver(host = '127.0.0.1'): Promise<CallbackReceiver> {
  let received: ReceivedCallback[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const body = await readBody(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/__received' && req.method === 'GET') return json(200, received);
    if (path === '/__received' && req.method === 'DELETE') {
      received = [];
      failures = { count: 0, status: 503 };
      return json(200, { ok: true });
    }
    if (path === '/__fail' && req.method === 'POST') {
      const { count = 1, status = 503 } = JSON.parse(body || '{}') as { count?: number; status?: number };
      failures = { count, status };
      return json(200, { ok: true });
    }
    if (path.startsWith('/hooks/') && req.method === 'POST') {
      const status = failures.count > 0 ? failures.status : 200;
      if (failures.count > 0) failures.count--;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ path, headers, body, status, at: new Date().toISOString() });
      return json(status, status === 200 ? { ok: true } : { error: 'armed failure' });
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
