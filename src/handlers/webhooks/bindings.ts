/** Hono bindings of the billing webhook route: what the verification middleware hands on. */
import type { BillingSource, Env } from '../../env';
import type { AppVariables } from '../context';

export interface VerifiedDelivery {
  source: BillingSource;
  deliveryId: string;
  /** The raw body, verified, decoded as UTF-8. */
  text: string;
}

export interface WebhookBindings {
  Bindings: Env;
  Variables: AppVariables & { delivery: VerifiedDelivery; eventType?: string };
}
