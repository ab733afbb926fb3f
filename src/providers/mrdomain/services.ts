/**
 * MrDomain's hosting services and SSL certificates on the provider contract: `listServices`,
 * `getService`, `renewService` (kinds `hosting` and `certificate`).
 *
 * Notes about this registrar's API (MrDomain's API User Manual 1.0.20, "the User Manual"):
 * - Hosting services are named (`serviceName`, §7.2 Get Info); certificates are numbered
 *   (`certificateID`, §8.6 Get Info). Our ids: the name as MrDomain spells it, the number in decimal.
 *   Mail hosting products (`mail`, `mailplus`, `mailpro`, §7.48.1 Service Types) are services of
 *   the same module, so they are kind `hosting` here too.
 * - Neither `service/renew` (§7.4) nor `ssl/renew` (§8.8) has a current-expiry guard like
 *   `domain/renew`'s `curExpDate` (§5.20): we read the item first and refuse (`conflict`) when its
 *   expiry is not the expected one or a renewal is already in process, as the contract asks of
 *   registrars without a guard. The read and the renewal are two calls, so this narrows the window
 *   of a double renewal but cannot close it (docs/providers/mrdomain.md).
 * - `ssl/renew` needs a new CSR and an admin contact (§8.8.1); it answers status `process` with empty
 *   dates (§8.8.3): the reissue waits for validation, so the result has the charge but no new
 *   expiry, and the certificate reads status `renew` until it is issued.
 * - The document gives no price for renewing a service or certificate without buying it
 *   (`ssl/productlist` prices are list prices, pre-tax), so `quoteServiceRenewal` is not offered.
 */
import { sameDay } from '../../core/dates';
import { GatewayError, invalidRequest, unsupported } from '../../core/errors';
import type { RenewalResult, ServiceInfo, ServiceRef } from '../../core/model';
import { OPERATIONS, type Operation, query } from '../operation';
import type { CallOptions, ProviderOperations, ServiceRenewRequest } from '../types';
import type { MrdomainClient } from './client';
import { decodeBilling, decodeDate, eachPage, PROVIDER, toCertificateInfo, toHostingInfo } from './codec';
import type { MrdomainConfig } from './config';
import { outcomeUnknownAfterSpend } from './errors';

/** `service/list` and `ssl/list` page size: the document's default (User Manual §7.1, §8.5). */
const LIST_PAGE_LENGTH = 1000;

export const MRDOMAIN_SERVICE_KINDS = ['hosting', 'certificate'] as const;

type ServiceOperations = Pick<ProviderOperations, 'listServices' | 'getService' | 'renewService'>;

/** The ref's id as MrDomain takes it; a kind MrDomain does not have is `unsupported`. */
function idOf(ref: ServiceRef): { kind: 'hosting' | 'certificate'; id: string } {
  const id = ref.id.trim();
  if (ref.kind === 'hosting') {
    if (id === '')
      throw invalidRequest('a hosting service id is its name', [{ field: 'id', reason: 'empty' }]);
    return { kind: 'hosting', id };
  }
  if (ref.kind === 'certificate') {
    if (!/^\d+$/.test(id)) {
      throw invalidRequest('a MrDomain certificate id is its certificateID, a whole number', [
        { field: 'id', reason: 'not a decimal certificateID' },
      ]);
    }
    return { kind: 'certificate', id };
  }
  throw unsupported(PROVIDER, `${ref.kind} services`);
}

function checkYears(years: number): void {
  if (!Number.isInteger(years) || years < 1 || years > 10) {
    throw invalidRequest('years must be a whole number from 1 to 10', [
      { field: 'years', reason: 'must be an integer from 1 to 10' },
    ]);
  }
}

/** The CSR and the admin contact of a certificate renewal, or `invalid_request` before any call. */
function certificateParams(req: ServiceRenewRequest, config: MrdomainConfig) {
  const csrData = req.certificate?.csr?.trim();
  if (!csrData) {
    throw invalidRequest('a MrDomain certificate renewal needs a new CSR (PEM)', [
      { field: 'certificate.csr', reason: 'required by ssl/renew' },
    ]);
  }
  const adminContactID = req.certificate?.adminContactId?.trim() || config.SSL_ADMIN_CONTACT_ID;
  if (!adminContactID) {
    throw invalidRequest(
      "a MrDomain certificate renewal needs an admin contact id: give certificate.adminContactId, or set the account's SSL_ADMIN_CONTACT_ID",
      [{ field: 'certificate.adminContactId', reason: 'required by ssl/renew' }],
    );
  }
  return { csrData, adminContactID };
}

export function serviceOperations(client: MrdomainClient, config: MrdomainConfig): ServiceOperations {
  async function read(ref: ServiceRef, operation: Operation, opts: CallOptions): Promise<ServiceInfo> {
    const { kind, id } = idOf(ref);
    if (kind === 'hosting') return toHostingInfo((await client.serviceInfo(id, operation, opts)).data);
    return toCertificateInfo((await client.sslInfo(id, operation, opts)).data);
  }

  /** The read that stands in for a guard: the expiry is the expected one and nothing is under way. */
  async function refuseStale(ref: ServiceRef, req: ServiceRenewRequest, opts: CallOptions): Promise<void> {
    const current = await read(ref, query('renewService'), opts);
    const stale = (message: string) =>
      new GatewayError('conflict', { message, provider: PROVIDER, operation: 'renewService' });
    if (current.renewalInProgress) {
      throw stale(
        `MrDomain ${ref.kind} ${ref.id} already has a renewal in process (status ${current.rawStatus}): not renewed`,
      );
    }
    if (!current.expiresAt || !sameDay(current.expiresAt, req.expectedExpiry)) {
      throw stale(
        `MrDomain ${ref.kind} ${ref.id} expires ${current.expiresAt?.slice(0, 10) ?? 'on no date yet'}, not ${req.expectedExpiry.slice(0, 10)}: not renewed`,
      );
    }
  }

  async function renewHosting(id: string, years: number, opts: CallOptions): Promise<RenewalResult> {
    const { data } = await client.serviceRenew(id, years, opts);
    const row = data.services[0] as (typeof data.services)[number];
    const result: RenewalResult = {
      domain: row.name,
      outcome: 'confirmed',
      charged: decodeBilling(data.billing),
      ref: { id: row.name },
    };
    const newExpiry = decodeDate(row.tsExpir, 'tsExpir');
    if (newExpiry) result.newExpiry = newExpiry;
    return result;
  }

  async function renewCertificate(
    id: string,
    req: ServiceRenewRequest,
    opts: CallOptions,
  ): Promise<RenewalResult> {
    const { csrData, adminContactID } = certificateParams(req, config);
    const { data } = await client.sslRenew(
      { certificateID: id, csrData, period: req.years, adminContactID },
      opts,
    );
    // Charged and placed; the new expiry comes when the CA issues it (status `renew` until then).
    return {
      domain: data.ssl.commonName,
      outcome: 'confirmed',
      charged: decodeBilling(data.billing),
      ref: { id: String(data.ssl.certificateID) },
    };
  }

  return {
    listServices(opts: CallOptions): AsyncIterable<ServiceInfo> {
      return {
        async *[Symbol.asyncIterator]() {
          // A page that fails part-way throws out of the listing: an incomplete listing proves nothing.
          const hosting = eachPage(
            (q) => client.serviceList({ ...q, pageLength: LIST_PAGE_LENGTH }, opts),
            (reply) => reply.data.queryInfo,
          );
          for await (const { data } of hosting) yield* data.services.map(toHostingInfo);
          const certificates = eachPage(
            (q) => client.sslList({ ...q, pageLength: LIST_PAGE_LENGTH }, opts),
            (reply) => reply.data.queryInfo,
          );
          for await (const { data } of certificates) yield* data.ssl.map(toCertificateInfo);
        },
      };
    },

    getService: (ref, opts) => read(ref, OPERATIONS.getService, opts),

    async renewService(ref, req, opts): Promise<RenewalResult> {
      const { kind, id } = idOf(ref);
      checkYears(req.years);
      if (kind === 'certificate') certificateParams(req, config);
      if (!Number.isFinite(Date.parse(req.expectedExpiry))) {
        throw invalidRequest('expectedExpiry is not a date', [
          { field: 'expectedExpiry', reason: 'not ISO-8601' },
        ]);
      }
      await refuseStale(ref, req, opts);
      try {
        return kind === 'hosting'
          ? await renewHosting(id, req.years, opts)
          : await renewCertificate(id, req, opts);
      } catch (error) {
        throw outcomeUnknownAfterSpend(error, 'renewService', `${kind} ${id}`);
      }
    },
  };
}
