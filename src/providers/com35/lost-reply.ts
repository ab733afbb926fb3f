/**
 * What a 35.com renewal (RenewDomain, RenewVhost, RenewMail) whose reply never came back did:
 * decided by re-reading the expiry, never by sending again. 35.com's renewals carry no guard that
 * makes a repeat harmless, so this is the only safe way to learn the outcome.
 */
import { sameDay } from '../../core/dates';
import { GatewayError, isGatewayError } from '../../core/errors';
import type { IsoDateTime } from '../../core/model';
import { ALREADY_SENT, REPLY_LOST } from './bridge-protocol';

/**
 * Whether this failure may have happened after 35.com acted: a reply lost or unreadable after the
 * request left, or a refusal because an earlier send of this very renewal left (the bridge sends a
 * cltrid once).
 */
export function mayHaveActed(error: unknown): error is GatewayError {
  return (
    isGatewayError(error) &&
    (error.kind === 'outcome_unknown' || error.kind === 'protocol' || error.upstreamCode === ALREADY_SENT)
  );
}

/**
 * Re-reads the expiry after such a failure. Resolves with it when it moved to `target` (renewed);
 * throws `transport` (retryable) when it is still `current` and the exchange is over, and
 * `outcome_unknown` otherwise.
 */
export async function settleLostRenewal(
  error: GatewayError,
  ctx: {
    /** e.g. `renew of example.com`, `renewService of hosting weipeng1`. */
    what: string;
    operation: string;
    current: IsoDateTime;
    target: IsoDateTime;
    reread: () => Promise<IsoDateTime>;
  },
): Promise<IsoDateTime> {
  const alreadySent = error.upstreamCode === ALREADY_SENT;
  const how = alreadySent
    ? 'an earlier send of this renewal reached 35.com (this one was not sent)'
    : 'the reply was lost';
  const unknown = (message: string) =>
    new GatewayError('outcome_unknown', {
      message,
      provider: 'com35',
      operation: ctx.operation,
      retryable: false,
      cause: error,
    });
  let after: IsoDateTime;
  try {
    after = await ctx.reread();
  } catch {
    throw unknown(`35.com ${ctx.what}: ${how} and the expiry could not be re-read; 35.com may have renewed`);
  }
  if (sameDay(after, ctx.target)) return after;
  // An unchanged expiry proves nothing while the command may still be running (a read timeout, or
  // the worker giving up on the bridge): only a finished exchange settles it.
  const exchangeOver = error.kind === 'protocol' || error.upstreamCode === REPLY_LOST;
  if (sameDay(after, ctx.current) && exchangeOver) {
    throw new GatewayError('transport', {
      message: `35.com ${ctx.what}: the reply was lost and the expiry is unchanged, so it was not renewed`,
      provider: 'com35',
      operation: ctx.operation,
      retryable: true,
      cause: error,
    });
  }
  throw unknown(`35.com ${ctx.what}: ${how} and the expiry is now ${after.slice(0, 10)}`);
}
