/**
 * One HTTP request to a simulator from a chosen client address, for tests of the allow-list mode.
 * `fetch` cannot pick its source address; node:http's `localAddress` can, and on Linux every address
 * of 127/8 is loopback, so `127.0.0.2` is a second client on the same machine.
 */
import { request } from 'node:http';

export interface ReplyFrom {
  status: number;
  type: string;
  text: string;
}

export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<ReplyFrom> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Turn the allow-list on (`addresses`) or off (none) through the control API. */
export async function setAllowList(controlUrl: string, addresses: string[] = []): Promise<void> {
  const res = await fetch(`${controlUrl}/__sim/allowlist`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ addresses }),
  });
  if (!res.ok) throw new Error(`allowlist: HTTP ${res.status} ${await res.text()}`);
}
