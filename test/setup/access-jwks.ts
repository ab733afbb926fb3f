/**
 * vitest globalSetup of the `worker` project (dashboard): a stand-in for a Cloudflare Access team's
 * key endpoint (`/cdn-cgi/access/certs`) on 127.0.0.1, port 0, so the Access sign-in is tested
 * without the internet. A test generates its own RSA key and publishes the public half here.
 *
 * - `PUT /<path>` {keys: [...]} → served at `GET /<path>` from then on
 * - `GET /__fetches` → `{<path>: how many times it was read}`
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    accessJwks: string;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export default async function setup(project: TestProject) {
  const published = new Map<string, string>();
  const fetches: Record<string, number> = {};
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://jwks').pathname;
    const body = await readBody(req);
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    if (path === '/__fetches' && req.method === 'GET') return reply(200, JSON.stringify(fetches));
    if (req.method === 'PUT') {
      published.set(path, body);
      return reply(200, '{"ok":true}');
    }
    if (req.method === 'GET' && published.has(path)) {
      fetches[path] = (fetches[path] ?? 0) + 1;
      return reply(200, published.get(path)!);
    }
    reply(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('accessJwks', `http://127.0.0.1:${port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
