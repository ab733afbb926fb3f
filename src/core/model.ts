/**
 * The one vocabulary every provider speaks. Codecs convert each registrar's wire forms into these
 * types; handlers, the bot and the webhooks only ever see these.
 */

/** An ISO-8601 UTC timestamp, e.g. `2027-03-01T00:00:00.000Z`. */
export type IsoDateTime = string;

/** Money is never a binary float: a decimal string and an ISO 4217 code (35.com's RMB is `CNY`). */
export interface Money {
  amount: string;
  currency: string;
}

/**
 * Why a registrar gave no yes or no for one name: it does not sell the name's TLD, or it failed for
 * this name. Neither is "taken" (see core/availability-unknown.ts for the helpers providers use).
 */
export const UNKNOWN_AVAILABILITY = ['unsupported_tld', 'check_failed'] as const;
export type UnknownAvailability = (typeof UNKNOWN_AVAILABILITY)[number];

export interface Availability {
  /** Normalized A-label name. */
  domain: string;
  /** Whether the name can be registered; null when the registrar could not say (`unknown` says why). */
  available: boolean | null;
  premium: boolean;
  /** Registration price for one year, when the registrar told us. */
  price?: Money;
  /** Set when `available` is null. */
  unknown?: UnknownAvailability;
  /** The registrar's words: why the name is not available (reserved, registered…), or why it could not say. */
  reason?: string;
}

export type DomainStatus =
  | 'active'
  | 'expired'
  | 'grace'
  | 'redemption'
  | 'pending'
  | 'transfer_pending'
  | 'locked'
  | 'hold'
  | 'suspended'
  | 'deleted'
  | 'unknown';

/** Registrar-specific identifiers, kept so a later call needs no extra look-up. */
export interface DomainRef {
  /** LogicBoxes order id, Alibaba instance id, 35.com domain id… */
  id?: string;
  [key: string]: string | undefined;
}

export interface DomainInfo {
  domain: string;
  expiresAt: IsoDateTime;
  createdAt?: IsoDateTime;
  /** Normalized statuses, in the order the registrar gave them. */
  status: DomainStatus[];
  /** The registrar's own status words, untouched, for operators. */
  rawStatus: string[];
  autoRenew?: boolean;
  locked?: boolean;
  nameservers: string[];
  ref: DomainRef;
}

export interface DomainSummary {
  domain: string;
  expiresAt?: IsoDateTime;
  status: DomainStatus[];
  autoRenew?: boolean;
  locked?: boolean;
  ref: DomainRef;
}

export interface Balance {
  available: Money;
  /** Money reserved by pending orders, where the registrar reports it. */
  reserved?: Money;
}

export type PriceOperation = 'register' | 'renew' | 'transfer' | 'restore';

export interface Price {
  tld: string;
  operation: PriceOperation;
  years: number;
  amount: Money;
}

export type RenewalOutcome = 'confirmed' | 'pending';

export interface RenewalResult {
  domain: string;
  outcome: RenewalOutcome;
  /** The new expiry, when the registrar told us or we re-read it. */
  newExpiry?: IsoDateTime;
  /** What the registrar charged, when it said. */
  charged?: Money;
  /** Registrar's order/transaction/task identifiers, to resume or reconcile later. */
  ref: DomainRef;
}

export type TransferState =
  | 'none'
  | 'pending'
  | 'approved'
  | 'completed'
  | 'rejected'
  | 'cancelled'
  | 'unknown';

export interface TransferStatus {
  domain: string;
  state: TransferState;
  /** The registrar's own words. */
  rawStatus?: string;
  updatedAt?: IsoDateTime;
}

/**
 * What the gateway renews: an item is (account, kind, id). Domains are one kind; the services two
 * registrar documents describe (35.com's hosting and mail, MrDomain's hosting and SSL
 * certificates) are the others. The engine renews every kind the same way (core/items.ts).
 */
export const ITEM_KINDS = ['domain', 'hosting', 'mail', 'certificate'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const SERVICE_KINDS = ['hosting', 'mail', 'certificate'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** One service at one account: its kind and the registrar's own id of it. */
export interface ServiceRef {
  kind: ServiceKind;
  /** 35.com: the host name (`vhostname`) or the mail domain; MrDomain: the service name or the certificate id. */
  id: string;
}

export type ServiceStatus =
  | 'active'
  | 'expired'
  | 'renewing'
  | 'pending'
  | 'suspended'
  | 'cancelled'
  | 'unknown';

/**
 * The currency code of 35.com's exclusive-sale points (`selltype=E`, answered as `points`): points
 * are prepaid units, not money, so they never add up with or compare against a balance in money.
 */
export const POINTS_CURRENCY = 'POINTS';

export interface ServiceInfo extends ServiceRef {
  /** What a person calls it: the host name, the mail domain, the certificate's common name. */
  name: string;
  /** Absent while a certificate is being issued (MrDomain answers an empty `tsExpir`). */
  expiresAt?: IsoDateTime;
  status: ServiceStatus;
  /** The registrar's own status word, untouched, for operators. */
  rawStatus: string;
  /** Whether the registrar says the service may be renewed now, where it says. */
  renewable?: boolean;
  /** The registrar's product: 35.com flag and typeID, MrDomain's product key or product id. */
  product?: string;
  /**
   * True while a renewal the registrar accepted is still being carried out (a certificate being
   * reissued): proof for reconciliation that a renewal was placed, though the expiry has not moved.
   */
  renewalInProgress?: boolean;
  ref: DomainRef;
}
