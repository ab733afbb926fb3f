/**
 * The renewable item: (account, kind, id). The renewal engine, the inventory's reminders and the
 * doors see every kind — a domain, a hosting plan, a mail service, a certificate — through this one
 * module, so nothing after a door branches on the kind except here.
 *
 * An item's *key* names it inside one account in the engine's tables: a domain's key is its name
 * (as it always was, so existing renewals keep their keys), a service's is `<kind>:<id>`. A colon
 * never appears in a domain name, so the two never collide, and the unique index "one unsettled
 * renewal per (account, key)" is one unfinished renewal per item.
 */
import type { Provider, ServiceRenewRequest } from '../providers/types';
import { requireDomainName } from './domain-name';
import { invalidRequest } from './errors';
import {
  ITEM_KINDS,
  type ItemKind,
  type Money,
  type RenewalResult,
  SERVICE_KINDS,
  type ServiceKind,
} from './model';

export interface ItemRef {
  kind: ItemKind;
  id: string;
}

export function isServiceKind(kind: string): kind is ServiceKind {
  return (SERVICE_KINDS as readonly string[]).includes(kind);
}

export function isItemKind(kind: string): kind is ItemKind {
  return (ITEM_KINDS as readonly string[]).includes(kind);
}

/** A service id as a registrar gives it: a host name, a mail domain, a certificate number. */
const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const SERVICE_ID_RULE = '1-253 letters, digits, dots, hyphens or underscores';

/**
 * The item a caller names, checked: the kind is one of ITEM_KINDS, a domain is a valid name
 * (normalized), a service id is a plain token. Errors name the field and say what is wrong.
 */
export function checkItemRef(kind: string, id: string, idField = 'id'): ItemRef {
  if (!isItemKind(kind)) {
    throw invalidRequest(`kind must be one of ${ITEM_KINDS.join(', ')}`, [
      { field: 'kind', reason: `must be one of ${ITEM_KINDS.join(', ')}` },
    ]);
  }
  if (kind === 'domain') return { kind, id: requireDomainName(id) };
  const trimmed = id.trim();
  if (!SERVICE_ID.test(trimmed)) {
    throw invalidRequest(`${idField}: ${SERVICE_ID_RULE}`, [{ field: idField, reason: SERVICE_ID_RULE }]);
  }
  return { kind, id: trimmed.toLowerCase() };
}

export function itemKey(ref: ItemRef): string {
  return ref.kind === 'domain' ? ref.id : `${ref.kind}:${ref.id}`;
}

export function itemOfKey(key: string): ItemRef {
  const colon = key.indexOf(':');
  if (colon < 0) return { kind: 'domain', id: key };
  const kind = key.slice(0, colon);
  return { kind: isItemKind(kind) ? kind : 'domain', id: key.slice(colon + 1) };
}

/** What a person reads: the domain name, or "hosting weipeng1". */
export function itemLabel(ref: ItemRef): string {
  return ref.kind === 'domain' ? ref.id : `${ref.kind} ${ref.id}`;
}

/** What the engine reads of an item before and after renewing it. */
export interface ItemReading {
  /** Absent only for a certificate being issued. */
  expiresAt?: string;
  /** The registrar accepted a renewal that is still being carried out (proof it was placed). */
  renewalInProgress?: boolean;
  /** False when the registrar says the item cannot be renewed now. */
  renewable?: boolean;
}

/** What a renewal of a service needs besides years and the expiry (a certificate's CSR). */
export type ItemRenewalInput = Pick<ServiceRenewRequest, 'certificate'>;

/**
 * The operations the engine uses on one item at one account, the same for every kind: read its
 * expiry, renew it, and (where the registrar offers a price query that validates the request)
 * quote it. `supported` is false when the account cannot renew this kind.
 */
export interface RenewableItem {
  ref: ItemRef;
  supported: boolean;
  read(): Promise<ItemReading>;
  renew(
    req: { years: number; expectedExpiry: string } & ItemRenewalInput,
    idempotencyKey: string,
  ): Promise<RenewalResult>;
  quote?(req: { years: number; expectedExpiry: string } & ItemRenewalInput): Promise<Money>;
}

export function renewableItem(provider: Provider, ref: ItemRef): RenewableItem {
  if (ref.kind === 'domain') {
    return {
      ref,
      supported: provider.capabilities.has('renew'),
      read: async () => {
        const info = await provider.getDomain(ref.id, {});
        return { expiresAt: info.expiresAt };
      },
      renew: (req, idempotencyKey) =>
        provider.renew(ref.id, { years: req.years, expectedExpiry: req.expectedExpiry }, { idempotencyKey }),
    };
  }
  const service = { kind: ref.kind, id: ref.id };
  return {
    ref,
    supported: provider.serviceKinds.includes(ref.kind) && provider.capabilities.has('renewService'),
    read: async () => {
      const info = await provider.getService(service, {});
      return {
        ...(info.expiresAt ? { expiresAt: info.expiresAt } : {}),
        ...(info.renewalInProgress ? { renewalInProgress: true } : {}),
        ...(info.renewable !== undefined ? { renewable: info.renewable } : {}),
      };
    },
    renew: (req, idempotencyKey) => provider.renewService(service, req, { idempotencyKey }),
    ...(provider.capabilities.has('quoteServiceRenewal')
      ? { quote: (req) => provider.quoteServiceRenewal(service, req, {}) }
      : {}),
  };
}
