/**
 * Minimal reproduction of the local queue stall (docs/reliability.md, "Not understood: … 650
 * intents were never delivered by the local queue"): Miniflare alone, one worker that produces N
 * messages and consumes them in batches that each take HOLD_MS, nothing of the gateway.
 *
 * Why batches that take about five seconds: after every batch, Miniflare's queue broker (a Durable
 * Object inside workerd) awaits a log line it POSTs to Miniflare's loopback server in Node, and only
 * then clears its "flush pending" mark and schedules the next batch. Node's HTTP server closes an
 * idle keep-alive connection after 5 s (`keepAliveTimeout`); a batch that takes about as long lets
 * the broker reuse that connection as Node closes it. If that POST fails, the broker's flush
 * rejects before clearing its mark, and every later send sees a flush "already pending": nothing
 * is delivered again until the process restarts. The renewal benchmark's Dynadot batches (25
 * renewals one at a time, ≈ 7 s each) are in that range.
 *
 *   npx tsx scripts/repro/queue-stall.ts [messages=400] [holdMs=5000] [jitterMs=300]
 *
 * Prints the delivered count every 10 s and exits 1 when nothing moved for 60 s with messages left
 * (the stall), 0 when every message arrived.
 */
import { Miniflare } from 'miniflare';

const total = Number(process.argv[2] ?? 400);
const holdMs = Number(process.argv[3] ?? 5000);
const jitterMs = Number(process.argv[4] ?? 300);

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

const mf = new Miniflare({
  modules: true,
  script,
  compatibilityDate: '2026-04-20',
  queueProducers: { Q: 'stall-repro' },
  queueConsumers: { 'stall-repro': { maxBatchSize: 25, maxBatchTimeout: 1 } },
});
try {
  await (await mf.dispatchFetch('http://repro/send?n=' + total)).text();
  let last = -1;
  let still = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 10_000));
    const delivered = Number(await (await mf.dispatchFetch('http://repro/count')).text());
    console.log(`${new Date().toISOString()} delivered ${delivered}/${total}`);
    if (delivered >= total) {
      console.log('all delivered');
      process.exitCode = 0;
      break;
    }
    if (delivered !== last) {
      last = delivered;
      still = Date.now();
    } else if (Date.now() - still > 60_000 + holdMs) {
      console.log(`STALL: ${total - delivered} messages not delivered, nothing moved for 60 s`);
      process.exitCode = 1;
      break;
    }
  }
} finally {
  await mf.dispose();
}
