/**
 * One id from the worker's request to the bridge's log: the worker's 35.com client sends the id of
 * the request it serves, and the bridge writes it on that command's log lines (never a secret).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/log';
import { createCom35Client } from '../providers/com35/client';
import { SECRET, useBridgeHarness } from './test-harness';

const h = useBridgeHarness();

async function bridgeWithLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    secrets: [SECRET],
    sink: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { bridge: await h.bridge({ logger }), lines, raw };
}

describe('request ids across the bridge', () => {
  it("writes the worker request's id on the bridge's lines of that command", async () => {
    const { bridge, lines, raw } = await bridgeWithLog();
    const client = createCom35Client(
      { bridgeUrl: bridge.url, bridgeSecret: SECRET, account: 'com35' },
      { fetch, logger: createLogger({ sink: () => {} }), requestId: 'req-worker-4d2c' },
    );
    await client.getAccountBalance('getBalance', {});
    expect(lines.filter((l) => l.requestId === 'req-worker-4d2c').map((l) => l.msg)).toEqual([
      '35.com command',
    ]);
    expect(raw.join('\n')).not.toContain(SECRET);
  });

  it('keeps an id that is not a plain short token out of the log', async () => {
    const { bridge, lines } = await bridgeWithLog();
    const client = createCom35Client(
      { bridgeUrl: bridge.url, bridgeSecret: SECRET, account: 'com35' },
      { fetch, logger: createLogger({ sink: () => {} }), requestId: 'has spaces and "quotes"' },
    );
    await client.getAccountBalance('getBalance', {});
    const command = lines.find((l) => l.msg === '35.com command');
    expect(command).toBeDefined();
    expect(command).not.toHaveProperty('requestId');
  });
});
