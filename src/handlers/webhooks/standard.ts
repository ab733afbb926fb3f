/**
 * The `standard` source: any billing system that sends Standard Webhooks
 * (https://www.standardwebhooks.com/) with a `{type, timestamp, data}` JSON payload.
 */
import { z } from 'zod';
import { invalidRequest } from '../../core/errors';
import { verifyStandard } from '../../core/webhook-signing';
import type { EventMapping, SourceAdapter, VerifyResult } from './types';

const StandardPayload = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.string().datetime({ offset: true }).optional(),
  data: z.record(z.string(), z.unknown()),
});

/** Parses `{type, timestamp, data}`; shared by every source signed the standard way. */
export function standardEvent(json: unknown): EventMapping {
  const parsed = StandardPayload.safeParse(json);
  if (!parsed.success) {
    throw invalidRequest(
      `the payload is not a {type, timestamp, data} event: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return { kind: 'event', event: parsed.data };
}

export async function verifyStandardDelivery(
  headers: Headers,
  body: Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
): Promise<VerifyResult> {
  const id = headers.get('webhook-id') ?? undefined;
  const check = await verifyStandard(
    secrets,
    {
      id,
      timestamp: headers.get('webhook-timestamp') ?? undefined,
      signature: headers.get('webhook-signature') ?? undefined,
    },
    body,
    nowSeconds,
  );
  return check.ok ? { ok: true, deliveryId: id! } : { ...check, claimedId: id };
}

export const standardSource: SourceAdapter = {
  verify: verifyStandardDelivery,
  toEvent: standardEvent,
};
