/**
 * MrDomain / DonDominio provider: the domain model on top of the Simple-POST client.
 *
 * Notes about this registrar's API (MrDomain's API User Manual 1.0.20, "the User Manual"):
 * - `domain/check` takes one `domain` per call (User Manual §5.1 Check) and mass availability checks
 *   are forbidden and blocked in real time (§1.2 API Intended use, §5.1). No number is published, so
 *   checks are paced: one at a time, `MRDOMAIN_CHECK_INTERVAL_MS` apart (default 1000 ms) for the whole
 *   account, through the AccountGate (see client.ts). `limits.availabilityBatch` is 1.
 * - `domain/renew` requires `curExpDate`, the current expiry (User Manual §5.20 Renew): the
 *   registrar's own guard against renewing twice for one intent, so `renew` never reads the expiry first.
 * - `domain/getinfo` returns one `infoType` per call (User Manual §5.13 Get Info): `getDomain` asks `status`
 *   and then `domain/getnameservers` (User Manual §5.15 Get NameServers).
 * - Locking: `domain/update` `updateType=transferBlock` is the registrar (transfer) lock; `block`
 *   (`modifyBlock`) is a separate modification lock that we report but do not set (User Manual
 *   §5.6 Update). Booleans go as `1` and `""`, as the vendor's PHP SDK and the User Manual's own PHP
 *   example (§10.2.1) post them (codec.ts `encodeForm`).
 * - Auto-renew is `renewalMode` = `autorenew` | `manual` | `letexpire` (User Manual §5.27.3
 *   Renovation types).
 * - `account/zones` prices carry no currency; the account's currency comes from `account/info`
 *   (User Manual §4.1 Info; §4.3 Zones).
 */
import { unknownAvailability, unknownFromError } from '../../core/availability-unknown';
import { normalizeDomainName, requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest, isGatewayError } from '../../core/errors';
import type {
  Availability,
  DomainInfo,
  DomainStatus,
  DomainSummary,
  Price,
  PriceOperation,
  RenewalResult,
} from '../../core/model';
import { multiplyAmount } from '../../core/money';
import { defineProvider, defineProviderDefinition } from '../define';
import { OPERATIONS, query } from '../operation';
import type { CallOptions, PriceQuery, Provider, ProviderDeps, RenewRequest } from '../types';
import { createMrdomainClient, type MrdomainClient } from './client';
import {
  decodeDate,
  decodeDomainName,
  decodeDomainStatus,
  decodeMoney,
  decodeNameservers,
  decodeTransferState,
  decodeYears,
  eachPage,
  encodeCurExpDate,
  PROVIDER,
} from './codec';
import { type MrdomainConfig, mrdomainConfig } from './config';
import { BLOCK_CODES, outcomeUnknownAfterSpend } from './errors';
import { MRDOMAIN_SERVICE_KINDS, serviceOperations } from './services';

/** `domain/list` page size: the document's default (User Manual §5.12 List). */
const LIST_PAGE_LENGTH = 1000;
/** `account/zones` page size: the document's default (User Manual §4.3 Zones). */
const ZONES_PAGE_LENGTH = 100;
/** Codes that concern one name, not the account: the batch goes on (User Manual §10.1.1 Error codes). */
const PER_NAME_CHECK_CODES = new Set(['2001', '2002', '2003', '2004']);

export const mrdomain = defineProviderDefinition<MrdomainConfig>({
  key: 'mrdomain',
  displayName: 'MrDomain / DonDominio',
  config: mrdomainConfig,
  // "the number of simultaneous access to the API ... [is] monitored and limited" (User Manual §1.3 Limits).
  gate: () => ({ concurrency: 1 }),
  create: (account, config, deps) => createMrdomainProvider(account, config, deps),
});

function domainParam(domain: string): { domain: string } {
  return { domain: requireDomainName(domain) };
}

export function createMrdomainProvider(
  account: string,
  config: MrdomainConfig,
  deps: ProviderDeps,
): Provider {
  const client = createMrdomainClient(
    {
      apiUser: config.API_USER,
      apiPassword: config.API_PASSWORD,
      baseUrl: config.BASE_URL,
      checkIntervalMs: config.CHECK_INTERVAL_MS,
    },
    deps,
  );
  return defineProvider(
    {
      key: PROVIDER,
      account,
      limits: { availabilityBatch: 1, concurrency: 1 },
      serviceKinds: MRDOMAIN_SERVICE_KINDS,
      ping: async (opts) => {
        await client.hello(opts);
      },
    },
    { ...operations(client, config, deps), ...serviceOperations(client, config) },
  );
}

function operations(client: MrdomainClient, config: MrdomainConfig, deps: ProviderDeps) {
  const paceNote = `MrDomain forbids mass availability checks; this gateway checks one name at a time, ${config.CHECK_INTERVAL_MS} ms apart`;

  return {
    async checkAvailability(domains: string[], opts: CallOptions): Promise<Availability[]> {
      const results: Availability[] = [];
      const seen = new Map<string, Availability>();
      for (let i = 0; i < domains.length; i++) {
        const input = domains[i] as string;
        let name: string;
        try {
          name = requireDomainName(input);
        } catch (error) {
          const reason = isGatewayError(error) ? error.message : 'not a domain name';
          results.push(unknownAvailability(input.trim().toLowerCase(), 'check_failed', reason));
          continue;
        }
        const again = seen.get(name);
        if (again) {
          results.push(again);
          continue;
        }
        try {
          const { data } = await client.domainCheck(name, opts);
          const d = data.domains[0] as (typeof data.domains)[number];
          const result: Availability = {
            domain: decodeDomainName(d.punycode || d.name),
            available: d.available,
            premium: d.premium,
          };
          if (d.price !== undefined && d.currency) result.price = decodeMoney(d.price, d.currency, 'price');
          seen.set(name, result);
          results.push(result);
        } catch (error) {
          if (!isGatewayError(error)) throw error;
          if (error.upstreamCode && PER_NAME_CHECK_CODES.has(error.upstreamCode)) {
            results.push(unknownFromError(name, error));
            continue;
          }
          // The account is blocked (or the call failed) part-way: never keep hammering it. Names
          // already checked are returned, the rest say plainly that they were not checked.
          if (results.length === 0) throw error;
          const why = BLOCK_CODES.has(Number(error.upstreamCode))
            ? `not checked: MrDomain blocked the account for too many queries (errorCode ${error.upstreamCode}). ${paceNote}`
            : `not checked: ${error.message}`;
          for (const rest of domains.slice(i)) {
            const norm = normalizeDomainName(rest);
            results.push(
              unknownAvailability(norm.ok ? norm.name : rest.trim().toLowerCase(), 'check_failed', why),
            );
          }
          deps.logger.warn('availability run stopped early', {
            checked: i,
            remaining: domains.length - i,
            kind: error.kind,
          });
          break;
        }
      }
      return results;
    },

    async getDomain(domain: string, opts: CallOptions): Promise<DomainInfo> {
      const ref = domainParam(domain);
      const { data: info } = await client.getInfoStatus(ref, OPERATIONS.getDomain, opts);
      const { data: ns } = await client.getNameservers(
        { domainID: String(info.domainID) },
        OPERATIONS.getDomain,
        opts,
      );
      const expiresAt = decodeDate(info.tsExpir, 'tsExpir');
      if (!expiresAt) {
        throw new GatewayError('conflict', {
          message: `MrDomain has no expiry date for ${ref.domain} yet (status ${info.status})`,
          provider: PROVIDER,
          operation: 'getDomain',
        });
      }
      const status: DomainStatus[] = [...decodeDomainStatus(info.status)];
      const locked = info.transferBlock === true || info.modifyBlock === true;
      if (locked) status.push('locked');
      const rawStatus = [info.status];
      if (info.transferStatus) rawStatus.push(`transfer:${info.transferStatus}`);
      if (info.modifyBlock) rawStatus.push('modifyBlock');
      if (info.transferBlock) rawStatus.push('transferBlock');
      const result: DomainInfo = {
        domain: decodeDomainName(info.name),
        expiresAt,
        status,
        rawStatus,
        nameservers: decodeNameservers(ns.nameservers),
        ref: { id: String(info.domainID) },
      };
      const createdAt = info.tsCreate ? decodeDate(info.tsCreate, 'tsCreate') : undefined;
      if (createdAt) result.createdAt = createdAt;
      if (info.renewalMode !== undefined) result.autoRenew = info.renewalMode === 'autorenew';
      if (info.transferBlock !== undefined) result.locked = info.transferBlock;
      return result;
    },

    listDomains(opts: CallOptions): AsyncIterable<DomainSummary> {
      return {
        async *[Symbol.asyncIterator]() {
          const pages = eachPage(
            (q) => client.domainList({ ...q, pageLength: LIST_PAGE_LENGTH }, opts),
            (reply) => reply.queryInfo,
          );
          for await (const reply of pages) yield* reply.domains;
        },
      };
    },

    async renew(domain: string, req: RenewRequest, opts: CallOptions): Promise<RenewalResult> {
      if (!Number.isInteger(req.years) || req.years < 1 || req.years > 10) {
        throw invalidRequest('years must be a whole number from 1 to 10', [
          { field: 'years', reason: 'must be an integer from 1 to 10' },
        ]);
      }
      const ref = domainParam(domain);
      const curExpDate = encodeCurExpDate(req.expectedExpiry);
      try {
        const { data } = await client.renew(ref, curExpDate, req.years, opts);
        const d = data.domains[0] as (typeof data.domains)[number];
        const result: RenewalResult = {
          domain: decodeDomainName(d.name),
          outcome: 'confirmed',
          charged: decodeMoney(data.billing.total, data.billing.currency, 'billing.total'),
          ref: { id: String(d.domainID) },
        };
        const newExpiry = decodeDate(d.tsExpir, 'tsExpir');
        if (newExpiry) result.newExpiry = newExpiry;
        return result;
      } catch (error) {
        const unknown = outcomeUnknownAfterSpend(error, 'renew', ref.domain);
        if (unknown === error && isGatewayError(error) && error.upstreamCode === '2100')
          throw await explainRenewRefusal(client, ref, curExpDate, error, opts);
        throw unknown;
      }
    },

    async getBalance(opts: CallOptions) {
      const { data } = await client.accountInfo(OPERATIONS.getBalance, opts);
      return { available: decodeMoney(data.balance, data.currency, 'balance') };
    },

    async getPrices(query: PriceQuery, opts: CallOptions): Promise<Price[]> {
      const { data: account } = await client.accountInfo(OPERATIONS.getPrices, opts);
      const wanted: Array<[PriceOperation, 'create' | 'renew' | 'transfer']> = (
        [
          ['register', 'create'],
          ['renew', 'renew'],
          ['transfer', 'transfer'],
        ] as Array<[PriceOperation, 'create' | 'renew' | 'transfer']>
      ).filter(([op]) => query.operation === undefined || query.operation === op);
      const tld = query.tld?.trim().toLowerCase().replace(/^\./, '') || undefined;
      const prices: Price[] = [];
      const pages = eachPage(
        (q) => client.accountZones({ ...q, pageLength: ZONES_PAGE_LENGTH, tld }, opts),
        (reply) => reply.data.queryInfo,
      );
      for await (const { data } of pages) {
        for (const zone of data.zones) {
          if (tld && zone.tld.toLowerCase() !== tld) continue;
          for (const [operation, key] of wanted) {
            const offer = zone[key];
            if (!offer) continue;
            const allowed = decodeYears(offer.years, `zones.${zone.tld}.${key}.years`);
            const years = query.years ?? Math.min(...allowed);
            if (!allowed.includes(years)) continue;
            // Zone prices are per year (domain/check: "Yearly registration cost", User Manual §5.1 Check).
            const perYear = decodeMoney(offer.price, account.currency, `zones.${zone.tld}.${key}.price`);
            prices.push({
              tld: zone.tld.toLowerCase(),
              operation,
              years,
              amount: { amount: multiplyAmount(perYear.amount, years), currency: perYear.currency },
            });
          }
        }
      }
      return prices;
    },

    async getNameservers(domain: string, opts: CallOptions): Promise<string[]> {
      const { data } = await client.getNameservers(domainParam(domain), OPERATIONS.getNameservers, opts);
      return decodeNameservers(data.nameservers);
    },

    async setNameservers(domain: string, nameservers: string[], opts: CallOptions): Promise<void> {
      const ref = domainParam(domain);
      // "min. 2, max. 7" (User Manual §5.7 Update NameServers).
      if (nameservers.length < 2 || nameservers.length > 7) {
        throw invalidRequest('MrDomain needs 2 to 7 nameservers', [
          { field: 'nameservers', reason: `got ${nameservers.length}; MrDomain accepts 2 to 7` },
        ]);
      }
      const hosts = nameservers.map((ns, i) => requireDomainName(ns, `nameservers[${i}]`));
      await client.updateNameservers(ref, hosts.join(','), opts);
    },

    async setAutoRenew(domain: string, enabled: boolean, opts: CallOptions): Promise<void> {
      await client.update(
        domainParam(domain),
        OPERATIONS.setAutoRenew,
        { updateType: 'renewalMode', renewalMode: enabled ? 'autorenew' : 'manual' },
        opts,
      );
    },

    async setLock(domain: string, locked: boolean, opts: CallOptions): Promise<void> {
      await client.update(
        domainParam(domain),
        OPERATIONS.setLock,
        { updateType: 'transferBlock', transferBlock: locked },
        opts,
      );
    },

    async getTransferStatus(domain: string, opts: CallOptions) {
      const ref = domainParam(domain);
      const { data } = await client.getInfoStatus(ref, OPERATIONS.getTransferStatus, opts);
      return {
        domain: decodeDomainName(data.name),
        state: decodeTransferState(data.transferStatus, data.status),
        rawStatus: data.transferStatus ?? data.status,
      };
    },
  };
}

/**
 * 2100 "Domain renew error" is what a stale `curExpDate` gets. Re-read the expiry (a read, safe)
 * so the caller learns why: a different expiry is a `conflict` that names both dates.
 */
async function explainRenewRefusal(
  client: MrdomainClient,
  ref: { domain: string },
  curExpDate: string,
  refusal: GatewayError,
  opts: CallOptions,
): Promise<GatewayError> {
  try {
    const { data } = await client.getInfoStatus(ref, query('renew'), opts);
    if (data.tsExpir !== curExpDate) {
      return new GatewayError('conflict', {
        message: `MrDomain did not renew ${ref.domain}: its expiry is ${data.tsExpir || 'unknown'}, not the expected ${curExpDate}`,
        provider: PROVIDER,
        operation: 'renew',
        retryable: false,
        upstreamCode: refusal.upstreamCode,
        upstreamMessage: refusal.upstreamMessage,
        cause: refusal,
      });
    }
  } catch {
    // The refusal itself is the answer; the re-read only adds detail.
  }
  return refusal;
}
