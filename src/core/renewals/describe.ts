import { isGatewayError } from '../errors';

/** One safe sentence for the audit trail and the resource's `reason`: GatewayError messages never carry secrets. */
export function describeError(error: unknown): string {
  if (isGatewayError(error)) {
    const code = error.upstreamCode ? ` (registrar code ${error.upstreamCode})` : '';
    return `${error.kind}: ${error.message}${code}`;
  }
  return 'unexpected error';
}
