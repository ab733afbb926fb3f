/**
 * Billing webhook verification cost: our WebCrypto verifier (src/core/webhook-signing.ts, what the
 * worker runs for every delivery) against the reference `standardwebhooks` library verifying the
 * same deliveries, in the same process. Bodies: a typical `domain.renew` event (~300 B) and a
 * large Stripe-sized event (~16 KiB).
 */
import { Webhook } from 'standardwebhooks';
import { verifyStandard } from '../src/core/webhook-signing';
import type { BenchFigure, BenchOptions } from './types';

const secret = `whsec_${Buffer.from('bench-standard-webhook-secret-01').toString('base64')}`;

function delivery(bytes: number) {
  const filler = 'x'.repeat(Math.max(0, bytes - 200));
  const body = JSON.stringify({
    type: 'domain.renew',
    timestamp: new Date().toISOString(),
    data: { domain: 'example.com', years: 1, reference: 'INV-1001', note: filler },
  });
  const id = 'msg_bench_1';
  const now = new Date();
  const signature = new Webhook(secret).sign(id, now, body);
  const ts = String(Math.floor(now.getTime() / 1000));
  return { id, body, ts, signature, bytes: new TextEncoder().encode(body) };
}

async function timePerOp(n: number, op: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await op(); // warm-up
  const start = performance.now();
  for (let i = 0; i < n; i++) await op();
  return ((performance.now() - start) * 1000) / n; // µs per op
}

export default async function bench({ tiny }: BenchOptions): Promise<BenchFigure[]> {
  const n = tiny ? 20 : 5000;
  const figures: BenchFigure[] = [];
  for (const size of [300, 16 * 1024]) {
    const d = delivery(size);
    const lib = new Webhook(secret);
    const headers = { 'webhook-id': d.id, 'webhook-timestamp': d.ts, 'webhook-signature': d.signature };
    const nowSeconds = Math.floor(Date.now() / 1000);
    const ours = await timePerOp(n, async () => {
      const r = await verifyStandard(
        [secret],
        { id: d.id, timestamp: d.ts, signature: d.signature },
        d.bytes,
        nowSeconds,
      );
      if (!r.ok) throw new Error('bench delivery did not verify');
    });
    const reference = await timePerOp(n, () => lib.verify(d.body, headers));
    figures.push({
      figure: `Standard Webhooks verification, ${d.body.length} B body (WebCrypto verifier)`,
      baselineName: 'standardwebhooks library verify',
      baseline: reference,
      value: ours,
      unit: 'µs/delivery',
      ratio: ours / reference,
      target: '≤ 2×',
      met: ours / reference <= 2,
      notes: 'Node; lower is better. Either way it is far below one D1 round trip per delivery.',
    });
  }
  return figures;
}
