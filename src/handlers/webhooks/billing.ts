/**
 * `POST /webhooks/billing/{source}`: the billing systems' front door. Verification and replay
 * protection are middleware (verify.ts); this module maps the verified payload onto an event and
 * answers it: `domain.renew` → 202 with the renewal id, `domain.info` / `domain.check` → 200 with
 * the answer, any other type → 202 acknowledged and recorded, so the sender does not retry it.
 */
import { Hono } from 'hono';
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

export function billingWebhookRoutes() {
  const app = new Hono<WebhookBindings>();
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
          return c.json(await renewFromWebhook(ctx, delivery, event.data), 202);
        case 'domain.info': {
          const { account, domain } = await domainInfo(ctx, event.data);
          return c.json({ received: true, type: event.type, account, domain }, 200);
        }
        case 'domain.check': {
          const { account, results } = await domainCheck(ctx.accounts, event.data);
          return c.json({ received: true, type: event.type, account, results }, 200);
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
