/**
 * 35.com hosting and mail as renewable services: list, read, renew and price them through the
 * bridge (client.ts), read with service-codec.ts.
 *
 * Notes about this registrar's API (the 35.com API user manual, "API 用户使用手册" 2.7.4; § = its sections):
 * - No command lists hosts or mail domains (§7.3 and §7.4 have checks, reads and changes of one
 *   named object only): the account declares them in `<PREFIX>_SERVICES` (decision).
 * - No command says which flag an object has: `getService` asks under each flag of its kind in
 *   turn (hosting 1002 then 1001, mail 1001 then 1002); 2303 under one moves to the next (decision).
 * - `currentexpiredate` is sent as the caller's expected expiry; the manual never says the server
 *   compares it, so nothing here relies on it (the engine checks the expiry before it renews).
 * - The ten-year ceiling (§7.3.2.5.4, §7.4.2.5.4): the registrar's refusal is reworded so it reads
 *   as what it is; the manual gives it no code.
 * - A normal mail domain pays with exclusive-sale points (`selltype=E`) only when the account says
 *   `<PREFIX>_MAIL_PAY_WITH_POINTS=true`; an exclusive-sale one (flag 1002) always pays in points.
 *   Points are `POINTS`, never money.
 */
import { addYears, sameDay } from '../../core/dates';
import { GatewayError, invalidRequest, isGatewayError } from '../../core/errors';
import type { Money, RenewalResult, ServiceInfo, ServiceRef } from '../../core/model';
import type { CallOptions, ProviderOperations, ServiceRenewRequest } from '../types';
import type { Com35Client } from './client';
import { mayHaveActed, settleLostRenewal } from './lost-reply';
import {
  type Com35ServiceKind,
  decodeServiceInfo,
  decodeServicePrice,
  decodeServiceRenewal,
  fieldsOf,
  isCom35ServiceKind,
  KIND_WIRE,
  type ServiceFlag,
} from './service-codec';

export interface Com35ServicesConfig {
  SERVICES: ReadonlyArray<{ kind: Com35ServiceKind; id: string }>;
  MAIL_PAY_WITH_POINTS: boolean;
}

type ServiceOperations = Pick<
  ProviderOperations,
  'listServices' | 'getService' | 'renewService' | 'quoteServiceRenewal'
>;

const CEILING_YEARS = 10;

function kindOf(ref: ServiceRef): Com35ServiceKind {
  if (!isCom35ServiceKind(ref.kind))
    throw new GatewayError('unsupported', {
      message: `35.com has no ${ref.kind} services (hosting and mail only)`,
      provider: 'com35',
    });
  return ref.kind;
}

function checkYears(years: number): void {
  // "续费年数 续费年限为(1-10 年)" (§7.3.2.5.1), "续费期限, 1-10 年" (§7.4.2.5.1).
  if (!Number.isInteger(years) || years < 1 || years > CEILING_YEARS)
    throw invalidRequest('years: 35.com renews 1 to 10 years', [{ field: 'years', reason: 'must be 1-10' }]);
}

export function com35ServiceOperations(
  client: Com35Client,
  config: Com35ServicesConfig,
  now: () => number,
): ServiceOperations {
  const flagOf = new Map<string, ServiceFlag>();

  /** The service and the flag it answered under; `not_found` when no flag of its kind knows it. */
  async function find(
    ref: ServiceRef,
    opts: CallOptions,
  ): Promise<ServiceInfo & { ref: { flag: ServiceFlag } }> {
    const kind = kindOf(ref);
    const id = ref.id.trim().toLowerCase();
    // A service never changes flag: the one it answered under is asked first next time, so the
    // read, quote and renew of one renewal probe the flags once, not three times.
    const known = flagOf.get(`${kind}:${id}`);
    const flags = known
      ? [known, ...KIND_WIRE[kind].flags.filter((f) => f !== known)]
      : KIND_WIRE[kind].flags;
    for (const flag of flags) {
      const r = await client.getServiceInfo(kind, flag, id, opts);
      if (r.code === 2303) continue;
      flagOf.set(`${kind}:${id}`, flag);
      const d = decodeServiceInfo(kind, { id, flag }, fieldsOf(r.data), now());
      return {
        kind,
        id,
        name: d.name,
        expiresAt: d.expiresAt,
        status: d.status,
        rawStatus: d.rawStatus,
        renewable: d.renewable,
        product: d.product,
        ref: { flag: d.flag, ...(d.typeID ? { typeID: d.typeID } : {}) },
      };
    }
    throw new GatewayError('not_found', {
      message: `35.com has no ${kind} ${id} in this account (asked under flags ${KIND_WIRE[kind].flags.join(' and ')})`,
      provider: 'com35',
      operation: 'getService',
      upstreamCode: '2303',
    });
  }

  /** The registrar's refusal of a renewal or its price, said so a person can act on it. */
  function explainRefusal(
    error: unknown,
    ref: ServiceRef,
    req: ServiceRenewRequest,
    current: string,
  ): unknown {
    if (!isGatewayError(error)) return error;
    const target = addYears(req.expectedExpiry, req.years);
    const ceiling = addYears(new Date(now()).toISOString(), CEILING_YEARS);
    const detail = error.upstreamMessage ?? error.message;
    const reworded = (kind: GatewayError['kind'], message: string) =>
      new GatewayError(kind, {
        message,
        provider: 'com35',
        operation: error.operation,
        upstreamCode: error.upstreamCode,
        upstreamMessage: error.upstreamMessage,
        fields: error.fields,
        cause: error,
      });
    if (error.kind === 'invalid_request' && error.upstreamCode && target.slice(0, 10) > ceiling.slice(0, 10))
      return reworded(
        'invalid_request',
        `35.com refused: the expiry would pass the ten-year limit (${req.years} more year(s) from ${req.expectedExpiry.slice(0, 10)} reach ${target.slice(0, 10)}, after ${ceiling.slice(0, 10)}): ${detail}`,
      );
    if (error.kind === 'invalid_request' && error.upstreamCode && !sameDay(current, req.expectedExpiry))
      return reworded(
        'conflict',
        `35.com ${ref.kind} ${ref.id} expires ${current.slice(0, 10)}, not ${req.expectedExpiry.slice(0, 10)}: not renewed (35.com refused: ${detail})`,
      );
    if (error.upstreamCode === '2305')
      return reworded(
        'conflict',
        `35.com refused: ${ref.kind} ${ref.id} belongs to a package or came with a host, and is only renewed with it: ${detail}`,
      );
    return error;
  }

  function renewalOf(kind: Com35ServiceKind, flag: ServiceFlag, ref: ServiceRef, req: ServiceRenewRequest) {
    return {
      flag,
      id: ref.id.trim().toLowerCase(),
      years: req.years,
      currentExpiry: req.expectedExpiry,
      // Exclusive-sale mail (1002) pays in points by its nature, without selltype.
      payWithPoints: kind === 'mail' && flag === '1001' && config.MAIL_PAY_WITH_POINTS,
    };
  }

  return {
    async *listServices(opts) {
      for (const declared of config.SERVICES) {
        try {
          yield await find(declared, opts);
        } catch (error) {
          // Gone from the account: left out, so the inventory marks it vanished. Anything else
          // makes the listing incomplete, and an incomplete listing proves nothing.
          if (isGatewayError(error) && error.kind === 'not_found') continue;
          throw error;
        }
      }
    },

    getService: (ref, opts) => find(ref, opts),

    async renewService(ref, req, opts): Promise<RenewalResult> {
      checkYears(req.years);
      const kind = kindOf(ref);
      const found = await find(ref, opts);
      const { flag } = found.ref;
      const params = renewalOf(kind, flag, ref, req);
      try {
        const r = await client.renewService(kind, params, opts);
        const { newExpiry, charged } = decodeServiceRenewal(fieldsOf(r.data));
        return {
          domain: params.id,
          outcome: 'confirmed',
          newExpiry: newExpiry ?? addYears(req.expectedExpiry, req.years),
          charged,
          ref: { ...found.ref, kind, cltrid: r.cltrid },
        };
      } catch (error) {
        if (!mayHaveActed(error)) throw explainRefusal(error, ref, req, found.expiresAt!);
        const after = await settleLostRenewal(error, {
          what: `renewService of ${kind} ${params.id}`,
          operation: 'renewService',
          current: req.expectedExpiry,
          target: addYears(req.expectedExpiry, req.years),
          reread: async () => (await find(ref, { signal: opts.signal })).expiresAt!,
        });
        return {
          domain: params.id,
          outcome: 'confirmed',
          newExpiry: after,
          ref: { ...found.ref, kind, reconciled: 'true' },
        };
      }
    },

    async quoteServiceRenewal(ref, req, opts): Promise<Money> {
      checkYears(req.years);
      const kind = kindOf(ref);
      const found = await find(ref, opts);
      try {
        const r = await client.quoteServiceRenewal(kind, renewalOf(kind, found.ref.flag, ref, req), opts);
        return decodeServicePrice(fieldsOf(r.data));
      } catch (error) {
        throw explainRefusal(error, ref, req, found.expiresAt!);
      }
    },
  };
}
