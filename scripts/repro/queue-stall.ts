/**
 * Minimal reproduction of the local queue stall (docs/reliability.md, "The local queue loses every
 * message when the worker reloads"): Miniflare alone — one worker that produces N messages and
 * consumes them in batches of 10 that each take HOLD_MS — nothing of the gateway.
 *
 * `reload` (the default): once the first batch has arrived, the runtime is reloaded with the same
 * options, as `wrangler dev` does when a file its bundle reads changes (`wrangler dev` watches them
 * and cannot be told not to). Miniflare's queue broker keeps messages in memory only, so every
 * message not yet delivered, and the batch in flight, is gone: the count stops, and the script
 * exits 1 ("STALL"). `keepalive` makes no reload and holds each batch ≈ 5 s (Node's HTTP
 * keep-alive timeout, the loopback the broker logs each batch to before it schedules the next);
 * it exits 0 when every message arrived, 1 on a stall.
 *
 *   npx tsx scripts/repro/queue-stall.ts [reload|keepalive] [messages=100]
 */
import { Miniflare, type MiniflareOptions } from 'miniflare';

const mode = process.argv[2] === 'keepalive' ? 'keepalive' : 'reload';
const total = Number(process.argv[3] ?? 100);
const holdMs = mode === 'keepalive' ? 5_000 : 500;
const jitterMs = mode === 'keepalive' ? 300 : 0;

// The worker counts what it consumed; the reload resets that count with the isolate, so the script
// adds what was counted before it.
const script = `
let delivered = 0;
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/send') {
      const n = Number(url.searchParams.get('n'));
      for (let i = 0; i < n; i += 100) {
        await env.Q.sendBatch(Array.from({ length: Math.min(100, n - i) }, (_, k) => ({ body: { i: i + k } })));
      }
      return new Response('sent');
    }
    return new Response(String(delivered));
  },
  async queue(batch) {
    await new Promise((r) => setTimeout(r, ${holdMs} + Math.random() * ${jitterMs}));
    delivered += batch.messages.length;
  },
};`;

const options: MiniflareOptions = {
  modules: true,
  script,
  compatibilityDate: '2026-04-20',
  queueProducers: { Q: 'stall-repro' },
  queueConsumers: { 'stall-repro': { maxBatchSize: 10, maxBatchTimeout: 1 } },
};
const mf = new Miniflare(options);
const count = async () => Number(await (await mf.dispatchFetch('http://repro/count')).text());
try {
  await (await mf.dispatchFetch(`http://repro/send?n=${total}`)).text();
  // Delivered before the reload: counted here, because the reload also resets the worker's memory.
  let before = 0;
  if (mode === 'reload') {
    for (before = await count(); before === 0; before = await count()) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await mf.setOptions(options);
    console.log(`reloaded after ${before}/${total} delivered`);
  }
  let last = -1;
  let still = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const delivered = before + (await count());
    console.log(`${new Date().toISOString()} delivered ${delivered}/${total}`);
    if (delivered >= total) {
      console.log('all delivered');
      break;
    }
    if (delivered !== last) {
      last = delivered;
      still = Date.now();
    } else if (Date.now() - still > 3 * holdMs + 10_000) {
      console.log(`STALL: ${total - delivered} of ${total} messages never delivered`);
      process.exitCode = 1;
      break;
    }
  }
} finally {
  await mf.dispose();
}
