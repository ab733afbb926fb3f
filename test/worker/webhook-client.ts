/**
 * Helpers for the billing webhook worker tests: deliveries signed by the reference
 * `standardwebhooks` library and by a Stripe-format signer, the D1 records they leave, and the
 * stand-in billing system that receives our callbacks (test/setup/callback-receiver.ts).
 */
import { env, SELF } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';

const bindings = env as unknown as Record<string, string>;

export const STANDARD_SECRETS = bindings.WEBHOOK_SECRET_STANDARD!.split(' ');
export const STRIPE_SECRET = bindings.WEBHOOK_SECRET_STRIPE!;
export const WHMCS_SECRET = bindings.WEBHOOK_SECRET_WHMCS!;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

let counter = 0;
export function newId(prefix = 'msg'): string {
  counter++;
  return `${prefix}_${Date.now().toString(36)}_${counter}_${crypto.randomUUID().slice(0, 8)}`;
}

export interface StandardDelivery {
  id: string;
  timestamp: number;
  body: string;
  headers: Record<string, string>;
}

/** A delivery signed by the reference library, as a Standard Webhooks sender would send it. */
export function standardDelivery(
  payload: unknown,
  opts: { secret?: string; id?: string; timestamp?: number } = {},
): StandardDelivery {
  const id = opts.id ?? newId();
  const timestamp = opts.timestamp ?? nowSeconds();
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature = new Webhook(opts.secret ?? STANDARD_SECRETS[0]!).sign(
    id,
    new Date(timestamp * 1000),
    body,
  );
  return {
    id,
    timestamp,
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    },
  };
}

/**
 * A Stripe-format signature written here from Stripe's documentation (not with our own signer):
 * `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint secret as given>`.
 */
async function stripeSignatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${timestamp}.${body}`)));
  return `t=${timestamp},v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function stripeDelivery(
  event: { id: string } & Record<string, unknown>,
  opts: { secret?: string; timestamp?: number } = {},
): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify(event);
  const signature = await stripeSignatureHeader(
    opts.secret ?? STRIPE_SECRET,
    opts.timestamp ?? nowSeconds(),
    body,
  );
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

export function post(source: string, d: { body: string | Uint8Array; headers: Record<string, string> }) {
  return SELF.fetch(`http://gateway.test/webhooks/billing/${source}`, {
    method: 'POST',
    headers: d.headers,
    body: d.body,
  });
}

export function event(type: string, data: Record<string, unknown>) {
  return { type, timestamp: new Date().toISOString(), data };
}

export async function deliveryRow(source: string, id: string) {
  return env.DB.prepare('SELECT * FROM webhook_deliveries WHERE source = ? AND delivery_id = ?')
    .bind(source, id)
    .first<{
      verified: number;
      event_type: string | null;
      response_status: number | null;
      response_body: string;
    }>();
}

export interface RejectionCount {
  source: string;
  reason: string;
  minute: string;
  count: number;
  last_claimed_id: string | null;
}

/** The per-minute refusal counts of a source, oldest first. */
export async function rejectionCounts(source: string, reason?: string): Promise<RejectionCount[]> {
  const { results } = await env.DB.prepare(
    `SELECT source, reason, minute, count, last_claimed_id FROM webhook_rejection_counts
     WHERE source = ?1 AND (?2 IS NULL OR reason = ?2) ORDER BY minute, reason`,
  )
    .bind(source, reason ?? null)
    .all<RejectionCount>();
  return results;
}

/** How many deliveries of a source were refused for this reason, over every minute. */
export async function rejected(source: string, reason: string): Promise<number> {
  return (await rejectionCounts(source, reason)).reduce((sum, row) => sum + row.count, 0);
}

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export const receiver = {
  base: bindings.CALLBACK_RECEIVER!,
  async received(): Promise<Received[]> {
    return (await (await fetch(`${this.base}/__received`)).json()) as Received[];
  },
  async clear(): Promise<void> {
    await fetch(`${this.base}/__received`, { method: 'DELETE' });
  },
  async fail(count: number, status = 503): Promise<void> {
    await fetch(`${this.base}/__fail`, { method: 'POST', body: JSON.stringify({ count, status }) });
  },
  /** Polls until a received request matches, and returns it. */
  async waitForOne(match: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
    const list = await this.waitFor((all) => all.some(match), timeoutMs);
    return list.find(match)!;
  },
  /** Polls until `predicate` holds for the received list (callbacks go through the queue). */
  async waitFor(predicate: (r: Received[]) => boolean, timeoutMs = 20_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await this.received();
      if (predicate(list)) return list;
      if (Date.now() > deadline)
        throw new Error(`callback receiver: condition not met; got ${JSON.stringify(list)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  },
};
