/**
 * The renewal engine's vocabulary, shared by the API, the billing webhooks and the bot.
 *
 * State machine (docs/renewals.md has the diagram and the guarantees):
 *
 *   requested → submitting → confirmed | failed | outcome_unknown | pending
 *   outcome_unknown → reconciling → confirmed | failed | needs_attention (or submitting again,
 *                                    only when the registrar's guard makes a resubmission safe)
 *   pending (async registrar task) → confirmed | failed | needs_attention
 */

import type { Env } from '../../env';
import type { Accounts } from '../accounts';
import type { AuditLine } from '../audit';
import type { ItemRenewalInput } from '../items';
import type { Logger } from '../log';
import type { ItemKind, Money } from '../model';

export const RENEWAL_STATES = [
  'requested',
  'submitting',
  'pending',
  'outcome_unknown',
  'reconciling',
  'confirmed',
  'failed',
  'needs_attention',
] as const;

export type RenewalState = (typeof RENEWAL_STATES)[number];

/** States no worker will move again: notifications fire once a renewal reaches one of them. */
export const FINAL_STATES: ReadonlySet<RenewalState> = new Set(['confirmed', 'failed', 'needs_attention']);

/**
 * States whose outcome is proven: the renewal happened, or nothing was spent. Every other state —
 * `needs_attention` included, whose outcome nobody knows yet — is unsettled, and a domain has at
 * most one unsettled renewal per account (migration 0006 enforces it with a unique index whose
 * `WHERE state NOT IN ('confirmed', 'failed')` spells this same list).
 */
export const SETTLED_STATES = ['confirmed', 'failed'] as const satisfies readonly RenewalState[];

export const RENEWAL_SOURCES = ['api', 'webhook', 'telegram', 'dashboard', 'system'] as const;
export type RenewalSource = (typeof RENEWAL_SOURCES)[number];

/** What a front door asks for. `actor` names who asked (API key name, Telegram user, webhook id). */
export interface RenewalRequest {
  /** What to renew: `domain` (the default) or a service kind (core/items.ts). */
  kind?: ItemKind;
  /** The domain name; for a service, the service's id at the account (`account` is then required). */
  domain: string;
  /** A certificate's renewal needs its CSR (and an admin contact where the account has no default). */
  certificate?: ItemRenewalInput['certificate'];
  years: number;
  /** The expiry the caller believes is current (ISO date or timestamp); read from the registrar when omitted. */
  expectedExpiry?: string;
  /**
   * True when the door read `expectedExpiry` from the registrar itself (the bot's summary) instead
   * of the caller stating it: it still guards against a stale expiry, but it is not the caller's
   * explicit pin, so the cooldown after a confirmed renewal applies as if it were omitted.
   */
  expectedExpiryReadByDoor?: boolean;
  /** Registrar account; picked from the inventory (or the only account holding the domain) when omitted. */
  account?: string;
  /** Caller's key, scoped by `source`: the same key always answers with the same renewal. */
  idempotencyKey?: string;
  /**
   * Other keys (same scope) the same request is known by — one Stripe payment seen as a checkout
   * session, an invoice and a payment intent. If any of them was used, its renewal answers; a new
   * renewal is mapped under all of them, so every event of one payment lands on one renewal.
   */
  aliasKeys?: readonly string[];
  /**
   * Renew even within the cooldown after a confirmed renewal of this domain (`recently_renewed`).
   * Never overrides an unsettled renewal of the domain.
   */
  force?: boolean;
  /**
   * Who to tell when the renewal is final. Stored with the intent in the batch that creates or
   * joins it (a replay or a second door subscribes too); told at once if the renewal already is.
   */
  subscriber?: RenewalSubscriber;
  source: RenewalSource;
  actor: string;
}

/**
 * One party waiting for a renewal's outcome. `channel` names the channel that knows how to tell it
 * (registered at the composition root), `key` is that channel's own id of it (a billing source, a
 * bot confirmation token), unique per renewal; `detail` is what the channel needs besides the key.
 */
export interface RenewalSubscriber {
  channel: string;
  key: string;
  detail?: Record<string, string>;
}

export interface Renewal {
  id: string;
  /**
   * The renewed item's key (core/items.ts): the domain's name, or `<kind>:<id>` for a service,
   * so a message or a log line that names it is never ambiguous.
   */
  domain: string;
  kind: ItemKind;
  /** The item's id at the account: the domain name, the host name, the certificate number. */
  item: string;
  account: string;
  provider: string;
  years: number;
  /**
   * The intent's expected current expiry as a UTC calendar day (`YYYY-MM-DD`): registrars disagree
   * about the hour, so the intent key and the pre-check compare days.
   */
  expectedExpiry: string;
  state: RenewalState;
  /** Why the renewal failed or needs attention, or what reconciliation is waiting for. */
  reason?: string;
  newExpiry?: string;
  charged?: Money;
  source: RenewalSource;
  actor: string;
  idempotencyKey?: string;
  /** Registrar order/task ids (Alibaba task number, LogicBoxes order…). */
  upstreamRef?: Record<string, string>;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** One line of a renewal's audit trail. */
export type RenewalEvent = AuditLine;

/** What the engine needs from its caller: the worker env, live providers, a logger. */
export interface EngineContext {
  env: Env;
  accounts: Accounts;
  logger: Logger;
}

export interface RenewalFilter {
  state?: RenewalState;
  /** An item key: a domain name, or `<kind>:<id>`. */
  domain?: string;
  kind?: ItemKind;
  source?: RenewalSource;
  actor?: string;
  account?: string;
  cursor?: string;
  /** 1..100, default 50. */
  limit?: number;
}

/** Queue messages of the engine (on the RENEWALS queue). */
export type RenewalJob =
  | { type: 'renewal.execute'; id: string }
  | { type: 'renewal.reconcile'; id: string }
  | { type: 'renewal.finalized'; id: string }
  /** Tell one subscriber that joined a renewal already final. */
  | { type: 'renewal.notify'; id: string; channel: string; key: string };
