/**
 * Which well-formed commands the bridge forwards (pure): only those of `BRIDGE_COMMANDS`, under
 * their own category; a money-spending one with the cltrid of its renewal, any other without one
 * (the bridge numbers those itself). A renewal sent as its price query (`GetPrice=1`) is a query.
 */
import { GatewayError } from '../core/errors';
import { allowedCommand, type BridgeCommand, kindOfSending } from '../providers/com35/bridge-protocol';
import type { Com35Command } from '../providers/com35/codec';

export type Admission =
  | { ok: true; command: Com35Command; cltrid?: string }
  | { ok: false; status: 400 | 403; error: GatewayError };

export function admitCommand(data: BridgeCommand): Admission {
  const { cltrid, ...command } = data;
  const allowed = allowedCommand(command.category, command.action);
  if (!allowed) {
    return {
      ok: false,
      status: 403,
      error: new GatewayError('permission', {
        message: `bridge: ${command.category}/${command.action} is not a command this gateway sends; not forwarded`,
        retryable: false,
      }),
    };
  }
  const kind = kindOfSending(allowed, command.params);
  if (kind === undefined) {
    return {
      ok: false,
      status: 400,
      error: new GatewayError('invalid_request', {
        message: `bridge: ${command.action} is a price query only with ${allowed.priceQuery}=1; not forwarded`,
      }),
    };
  }
  if (kind === 'spend' && !cltrid) {
    return {
      ok: false,
      status: 400,
      error: new GatewayError('invalid_request', {
        message: `bridge: ${command.action} spends money and must carry the cltrid of its renewal`,
      }),
    };
  }
  if (kind !== 'spend' && cltrid) {
    return {
      ok: false,
      status: 400,
      error: new GatewayError('invalid_request', {
        message: `bridge: cltrid is only for money-spending commands; the bridge numbers ${command.action} itself`,
      }),
    };
  }
  return { ok: true, command, cltrid };
}
