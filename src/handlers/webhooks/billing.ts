/**
 * `POST /webhooks/billing/{source}`: the billing systems' front door. Verification and replay
 * protection are middleware (verify.ts); this module maps the verified payload onto an event and
 * answers it: `domain.renew` → 202 with the renewal id, `domain.info` / `domain.check` → 200 with
 * the answer, any other type → 202 acknowledged and recorded, so the sender does not retry it.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { invalidRequest } from '../../core/errors';
import type { BillingSource } from '../../env';
import type { WebhookBindings } from './bindings';
import { domainCheck, domainInfo } from './queries';
import { renewFromWebhook } from './renew';
import { standardSource } from './standard';
import { stripeSource } from './stripe';
import type { SourceAdapter } from './types';
import { replayProtection, verifyBillingWebhook } from './verify';
import { whmcsSource } from './whmcs';

export const BILLING_ADAPTERS: Readonly<Record<BillingSource, SourceAdapter>> = {
  standard: standardSource,
  stripe: stripeSource,
  whmcs: whmcsSource,
};

const Problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

/** Documentation only: the route reads its raw body itself (verification comes before parsing). */
function documentRoute(app: OpenAPIHono<WebhookBindings>) {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/webhooks/billing/{source}',
    tags: ['webhooks'],
    summary: 'A billing system reports a paid renewal, or asks about a domain',
    description:
      'Signed with Standard Webhooks (`standard`, `whmcs`) or Stripe-Signature (`stripe`); see docs/webhooks.md. ' +
      'Events: `domain.renew` → 202 with the renewal id; `domain.info`, `domain.check` → 200; others → 202 acknowledged. ' +
      'A repeated delivery id gets the first answer back (header `webhook-replayed: true`).',
    request: {
      params: z.object({ source: z.enum(['standard', 'stripe', 'whmcs']) }),
      headers: z.object({
        'webhook-id': z.string().optional(),
        'webhook-timestamp': z.string().optional(),
        'webhook-signature': z.string().optional(),
        'stripe-signature': z.string().optional(),
      }),
      body: {
        content: {
          'application/json': {
            schema: z.object({
              type: z.string().openapi({ example: 'domain.renew' }),
              timestamp: z.string().optional(),
              data: z.record(z.string(), z.unknown()).openapi({
                example: {
                  domain: 'example.com',
                  years: 1,
                  expectedExpiry: '2027-03-01',
                  reference: 'INV-1001-1',
                },
              }),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: '`domain.info` / `domain.check` answer' },
      202: {
        description: 'Renewal intent recorded (`domain.renew`), or an event acknowledged without action',
      },
      400: problem('Missing or malformed signature headers, or a malformed event'),
      401: problem('Bad signature, or a timestamp more than 5 minutes away'),
      404: problem('Unknown or unconfigured source, or unknown account'),
      409: problem('The same reference with a different request, or the first copy still in progress'),
      413: problem('Body larger than 256 KiB'),
      502: problem(
        "`domain.info`: the registrar could not be reached, replied unexpectedly, or refused the gateway's own credentials (`kind: authentication` with `provider`: the gateway's configuration, not this sender's signature)",
      ),
      503: problem('`domain.info`: the registrar is unavailable or rate-limited the gateway'),
    },
  });
}

export function billingWebhookRoutes() {
  const app = new OpenAPIHono<WebhookBindings>();
  documentRoute(app);
  app.post(
    '/webhooks/billing/:source',
    verifyBillingWebhook(BILLING_ADAPTERS),
    replayProtection(),
    async (c) => {
      const delivery = c.get('delivery');
      let json: unknown;
      try {
        json = JSON.parse(delivery.text);
      } catch {
        throw invalidRequest('the body is not valid JSON');
      }
      const mapped = BILLING_ADAPTERS[delivery.source].toEvent(json);
      if (mapped.kind === 'ignored') {
        c.set('eventType', mapped.type);
        return c.json({ received: true, type: mapped.type, handled: false, reason: mapped.reason }, 202);
      }
      const { event } = mapped;
      c.set('eventType', event.type);
      const ctx = { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') };
      switch (event.type) {
        case 'domain.renew':
        case 'service.renew':
          return c.json(await renewFromWebhook(ctx, delivery, event), 202);
        case 'domain.info': {
          const { account, domain } = await domainInfo(ctx, event.data);
          return c.json({ received: true, type: event.type, account, domain }, 200);
        }
        case 'domain.check': {
          const { results } = await domainCheck(ctx, event.data);
          return c.json({ received: true, type: event.type, results }, 200);
        }
        default:
          c.get('logger').info('billing webhook of an unknown type acknowledged', {
            source: delivery.source,
            type: event.type,
          });
          return c.json(
            { received: true, type: event.type, handled: false, reason: 'unknown event type' },
            202,
          );
      }
    },
  );
  return app;
}
