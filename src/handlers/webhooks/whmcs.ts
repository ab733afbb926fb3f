/**
 * The `whmcs` source: deliveries from the hook script we ship (docs/whmcs/gateway_renewal_hook.php).
 * Signed the Standard Webhooks way with WEBHOOK_SECRET_WHMCS; the payload is the standard
 * `{type, timestamp, data}` event. The script sends one `domain.renew` per paid domain-renewal
 * invoice item and adds `data.whmcs = {invoiceId, domainId, userId}`; when it does, the reference
 * defaults to `whmcs-invoice-<invoiceId>-domain-<domainId>`, so one invoice item is one renewal
 * whatever the number of times WHMCS fires the hook. `data.whmcs` is taken out of the data once
 * read, so the strict `domain.renew` schema does not see it.
 */
import { standardEvent, verifyStandardDelivery } from './standard';
import type { EventMapping, SourceAdapter } from './types';

function whmcsEvent(json: unknown): EventMapping {
  const mapped = standardEvent(json);
  if (mapped.kind !== 'event') return mapped;
  const data = mapped.event.data;
  const whmcs = data.whmcs as { invoiceId?: unknown; domainId?: unknown } | undefined;
  // The hook's own context serves only to build the reference: `domain.renew` data is strict.
  delete data.whmcs;
  if (
    data.reference === undefined &&
    whmcs &&
    whmcs.invoiceId !== undefined &&
    whmcs.domainId !== undefined
  ) {
    data.reference = `whmcs-invoice-${String(whmcs.invoiceId)}-domain-${String(whmcs.domainId)}`;
  }
  return mapped;
}

export const whmcsSource: SourceAdapter = {
  verify: verifyStandardDelivery,
  toEvent: whmcsEvent,
};
