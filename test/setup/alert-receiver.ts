/**
 * vitest globalSetup of the `worker` project (renewal engine): a stand-in for the operator's alert
 * endpoint (ALERT_WEBHOOK_URL) on 127.0.0.1, port 0, recording every POST so a worker test can
 * count the reminders and alerts that really arrived.
 *
 * - `POST /alerts` → recorded; 200, or the armed failure status
 * - `GET /__received` → `[{path, headers, body, status}]`; `DELETE /__received` → forget all
 * - `POST /__fail {count, status}` → answer the next `count` alerts with `status`
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    alertReceiver: string;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export default async function setup(project: TestProject) {
  let received: Array<{ path: string; headers: Record<string, string>; body: string; status: number }> = [];
  let failures = { count: 0, status: 503 };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const body = await readBody(req);
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/__received' && req.method === 'GET') return reply(200, received);
    if (path === '/__received' && req.method === 'DELETE') {
      received = [];
      failures = { count: 0, status: 503 };
      return reply(200, { ok: true });
    }
    if (path === '/__fail' && req.method === 'POST') {
      const { count = 1, status = 503 } = JSON.parse(body || '{}') as { count?: number; status?: number };
      failures = { count, status };
      return reply(200, { ok: true });
    }
    if (req.method === 'POST') {
      const status = failures.count > 0 ? failures.status : 200;
      if (failures.count > 0) failures.count--;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ path, headers, body, status });
      return reply(status, { ok: status === 200 });
    }
    reply(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('alertReceiver', `http://127.0.0.1:${port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
