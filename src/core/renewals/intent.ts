/**
 * The request side of the engine: turn a front door's request into one renewal intent, exactly
 * once, and hand it to the queue. Nothing here spends money; `executor.ts` does, from the queue.
 */

import { configFor } from '../../env';
import type { Provider, ServiceRenewRequest } from '../../providers/types';
import { ACCOUNT_NAME, ACCOUNT_NAME_RULE } from '../account-names';
import { sha256Hex } from '../digest';
import { GatewayError, invalidRequest } from '../errors';
import { resolveHolder } from '../holding-account';
import { checkItemRef, type ItemRef, itemKey, itemLabel, renewableItem } from '../items';
import {
  admissionGuard,
  duplicateAuditStatement,
  findMappedKey,
  findRecentlyConfirmed,
  findUnsettled,
  getRow,
  insertIntent,
  keyMappings,
  listRows,
  type RenewalRow,
  type RequestKeys,
  rowFromBatch,
  rowRead,
  toRenewal,
  transition,
} from './store';
import { subscribeStatement } from './subscribers';
import {
  type EngineContext,
  FINAL_STATES,
  RENEWAL_SOURCES,
  type Renewal,
  type RenewalFilter,
  type RenewalJob,
  type RenewalRequest,
  type RenewalSource,
} from './types';

/** `YYYY-MM-DD` (UTC) of a date or timestamp a caller gave; invalid input is a 400 naming the field. */
export function expiryDay(value: string, field = 'expectedExpiry'): string {
  const text = value.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = dateOnly
    ? Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]))
    : /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? Date.parse(text)
      : Number.NaN;
  const day = Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
  if (!day || (dateOnly && day !== text)) {
    throw new GatewayError('invalid_request', {
      message: `${field} must be a date (YYYY-MM-DD) or an ISO-8601 timestamp with a zone`,
      fields: [{ field, reason: 'not a date' }],
    });
  }
  return day;
}

function newRenewalId(): string {
  return `rnw_${crypto.randomUUID().replace(/-/g, '')}`;
}

/**
 * The rules of what a renewal asks for — the item (a domain name, or a service kind and id),
 * 1 to 10 whole years, an account name (required for a service: an item is (account, kind, id)) —
 * in one place for every door: `requestRenewal` applies them, and a door that asks a person to
 * confirm first (the bot) applies them before asking. Errors name the field (`domain`, `kind`,
 * `id`, `years`, `account`) and say what is wrong with it.
 */
export function checkRenewalAsk(ask: { kind?: string; domain: string; years: number; account?: string }): {
  /** The normalized domain name, or the service's id. */
  domain: string;
  item: ItemRef;
  years: number;
  account?: string;
} {
  const item = checkItemRef(
    ask.kind ?? 'domain',
    ask.domain,
    ask.kind && ask.kind !== 'domain' ? 'id' : 'domain',
  );
  if (item.kind !== 'domain' && ask.account === undefined) {
    throw invalidRequest(`account is required to renew a ${item.kind} service`, [
      { field: 'account', reason: 'required for a service' },
    ]);
  }
  if (!Number.isInteger(ask.years) || ask.years < 1 || ask.years > 10) {
    throw invalidRequest('years must be a whole number from 1 to 10', [
      { field: 'years', reason: 'must be a whole number from 1 to 10' },
    ]);
  }
  if (ask.account !== undefined && !ACCOUNT_NAME.test(ask.account)) {
    throw invalidRequest(`account: ${ACCOUNT_NAME_RULE}`, [{ field: 'account', reason: ACCOUNT_NAME_RULE }]);
  }
  return {
    domain: item.id,
    item,
    years: ask.years,
    ...(ask.account !== undefined ? { account: ask.account } : {}),
  };
}

/** A PEM certificate signing request, as MrDomain's `ssl/renew` takes it (`csrData`). */
const CSR_PEM =
  /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

/** A certificate renewal's CSR and contact: required for certificates, refused for anything else. */
function checkCertificateInput(
  item: ItemRef,
  input: RenewalRequest['certificate'],
): RenewalRequest['certificate'] {
  if (item.kind !== 'certificate') {
    if (input !== undefined) {
      throw invalidRequest('certificate is only for renewing a certificate', [
        { field: 'certificate', reason: `not used to renew a ${item.kind}` },
      ]);
    }
    return undefined;
  }
  const csr = input?.csr?.trim();
  if (!csr || !CSR_PEM.test(csr) || csr.length > 16_384) {
    throw invalidRequest('a certificate renewal needs certificate.csr: a PEM certificate request', [
      { field: 'certificate.csr', reason: 'must be a PEM "CERTIFICATE REQUEST"' },
    ]);
  }
  const contact = input?.adminContactId?.trim();
  if (contact !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(contact)) {
    throw invalidRequest('certificate.adminContactId must be a registrar contact id such as ABC-12312', [
      { field: 'certificate.adminContactId', reason: 'letters, digits and -' },
    ]);
  }
  return { csr, ...(contact ? { adminContactId: contact } : {}) };
}

function validate(req: RenewalRequest): {
  domain: string;
  item: ItemRef;
  certificate?: RenewalRequest['certificate'];
  expectedDay?: string;
} {
  const { item } = checkRenewalAsk(req);
  const certificate = checkCertificateInput(item, req.certificate);
  if (!RENEWAL_SOURCES.includes(req.source))
    throw invalidRequest('unknown source', [{ field: 'source', reason: 'invalid' }]);
  if (!req.actor) throw invalidRequest('actor is required', [{ field: 'actor', reason: 'invalid' }]);
  for (const key of [req.idempotencyKey, ...(req.aliasKeys ?? [])]) {
    if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw invalidRequest('the idempotency key must be 1-255 visible ASCII characters', [
        { field: 'idempotencyKey', reason: 'invalid' },
      ]);
    }
  }
  if (req.force !== undefined && typeof req.force !== 'boolean')
    throw invalidRequest('force must be true or false', [{ field: 'force', reason: 'invalid' }]);
  return {
    domain: itemKey(item),
    item,
    ...(certificate ? { certificate } : {}),
    expectedDay: req.expectedExpiry ? expiryDay(req.expectedExpiry) : undefined,
  };
}

/**
 * The account that holds the item: for a domain, the one resolution every door shares; a service
 * is always named with its account, which must serve the kind.
 */
async function holderOf(ctx: EngineContext, item: ItemRef, account: string | undefined): Promise<Provider> {
  if (item.kind === 'domain') return resolveHolder(ctx, item.id, account);
  const provider = ctx.accounts.get(account as string);
  if (!renewableItem(provider, item).supported) {
    throw new GatewayError('unsupported', {
      message: `account ${provider.account} (${provider.key}) has no ${item.kind} services to renew`,
      provider: provider.key,
      operation: 'renewService',
    });
  }
  return provider;
}

/**
 * Record a renewal intent, or answer with the renewal it duplicates, or refuse it leaving nothing.
 *
 * The unit a customer pays for is a domain's next period, so besides the intent key (domain,
 * expected current expiry day, years) and the caller's idempotency keys, two rules decide — each
 * inside the statement that records the intent (store.ts `admissionGuard`), so they hold across
 * isolates and concurrent requests:
 * - **one unsettled renewal per (account, domain)**: a request that asks for the same thing (same
 *   years; the same expected expiry, or none) gets that renewal back (`created: false`); any other
 *   is refused `conflict` (`renewal_in_progress`, or `renewal_needs_attention` while an operator
 *   must settle it), naming it;
 * - **no silent second renewal**: a request that does not pin `expectedExpiry`, within the cooldown
 *   after a confirmed renewal of the domain, is refused `conflict` (`recently_renewed`) unless it
 *   says `force`.
 * The same key with a different body is a `conflict` (`idempotency_key_reused`). A refused request
 * records nothing: no row, no key. A new request for an intent that `failed` — which proves nothing
 * was spent — starts a new attempt on the same renewal (`created: true`), under the same rules.
 * Nothing is spent here: the executor does it, from the queue.
 */
export async function requestRenewal(
  ctx: EngineContext,
  req: RenewalRequest,
): Promise<{ renewal: Renewal; created: boolean }> {
  const { domain, item, certificate, expectedDay } = validate(req);
  const force = req.force === true;
  // `force` and a certificate's input join the hash only when set, so the hashes of keys recorded
  // before they existed still match.
  const requestHash = await sha256Hex(
    JSON.stringify([
      domain,
      req.years,
      expectedDay ?? null,
      req.account ?? null,
      ...(force ? [true] : []),
      ...(certificate ? [certificate] : []),
    ]),
  );
  const keys = requestKeys(req);
  const now = new Date().toISOString();
  const db = ctx.env.DB;

  // A key seen before answers before any registrar call: a retry must not depend on upstreams.
  if (keys) {
    const mapped = await findMappedKey(db, keys);
    if (mapped) return replay(ctx, mapped, requestHash, req, now);
  }

  const provider = await holderOf(ctx, item, req.account);
  const { cooldownHours } = configFor(ctx.env).renewals;
  const pinned = expectedDay !== undefined && req.expectedExpiryReadByDoor !== true;
  const cooldown =
    !pinned && !force && cooldownHours > 0
      ? { since: new Date(Date.now() - cooldownHours * 3_600_000).toISOString(), hours: cooldownHours }
      : undefined;
  const asked: Asked = { req, expectedDay, keys, requestHash, cooldown, now };

  // What the database would refuse anyway is answered before any registrar read.
  const early = await joinOrRefuse(ctx, provider.account, domain, asked);
  if (early) return early;

  const renewable = renewableItem(provider, item);
  let expected = expectedDay;
  if (!expected) {
    const reading = await renewable.read();
    if (!reading.expiresAt) {
      throw new GatewayError('conflict', {
        code: 'no_expiry',
        message: `${itemLabel(item)} has no expiry at the registrar yet (it is being issued); nothing was recorded`,
      });
    }
    expected = expiryDay(reading.expiresAt, 'expiresAt');
  }
  if (renewable.quote) {
    // The registrar's price query checks the request without spending (35.com `GetPrice=1`): a
    // renewal it would refuse — past the ten-year ceiling, a wrong current expiry — is refused here,
    // with its own words, before anything is recorded.
    await renewable.quote(serviceRenewRequest(req.years, expected, certificate));
  }
  const id = newRenewalId();
  const outcome = await insertIntent(
    db,
    {
      id,
      domain,
      account: provider.account,
      provider: provider.key,
      expectedExpiry: expected,
      years: req.years,
      requestHash,
      source: req.source,
      actor: req.actor,
      keys,
      cooldownSince: cooldown?.since,
      detail: force ? { force: true } : undefined,
      ...(certificate ? { params: JSON.stringify({ certificate }) } : {}),
      now,
    },
    // The door's subscriber is written by the batch that creates the row, or not at all.
    req.subscriber ? [subscribeStatement(db, id, req.subscriber, now)] : [],
  );
  switch (outcome.kind) {
    case 'created': {
      const renewal = toRenewal(outcome.row);
      await enqueue(ctx, { type: 'renewal.execute', id: renewal.id });
      ctx.logger.info('renewal requested', { renewal: renewal.id, item: domain, account: renewal.account });
      return { renewal, created: true };
    }
    case 'key_conflict':
      throw keyConflict(outcome.renewalId);
    case 'unsettled':
      return joinUnsettled(ctx, outcome.row, asked);
    case 'recently_renewed':
      throw recentlyRenewed(outcome.row, cooldownHours);
    case 'existing':
      if (outcome.row.state === 'failed') {
        const retried = await retryFailed(ctx, outcome.row, asked);
        if (retried) return retried;
      }
      return answerExisting(ctx, outcome.row, asked);
  }
}

/** What the registrar's renew (or quote) of a service is given: a day as the expected expiry. */
export function serviceRenewRequest(
  years: number,
  expectedDay: string,
  certificate: RenewalRequest['certificate'],
): ServiceRenewRequest {
  return {
    years,
    expectedExpiry: `${expectedDay}T00:00:00.000Z`,
    ...(certificate ? { certificate } : {}),
  };
}

/** What one request asked for, as `requestRenewal` normalized it. */
interface Asked {
  req: RenewalRequest;
  expectedDay?: string;
  keys?: RequestKeys;
  requestHash: string;
  /** Set when the cooldown applies to this request: refuse after a renewal confirmed since `since`. */
  cooldown?: { since: string; hours: number };
  now: string;
}

/**
 * The two rules, read: the domain's unsettled renewal (joined when it is the same request, else a
 * refusal), then the cooldown. Undefined when neither stands in the way. Only a read: the insert
 * or re-opening that follows evaluates the same rules atomically (`admissionGuard`).
 */
async function joinOrRefuse(
  ctx: EngineContext,
  account: string,
  domain: string,
  asked: Asked,
): Promise<{ renewal: Renewal; created: boolean } | undefined> {
  const unsettled = await findUnsettled(ctx.env.DB, account, domain);
  if (unsettled) return joinUnsettled(ctx, unsettled, asked);
  if (asked.cooldown) {
    const recent = await findRecentlyConfirmed(ctx.env.DB, domain, asked.cooldown.since);
    if (recent) throw recentlyRenewed(recent, asked.cooldown.hours);
  }
  return undefined;
}

/** Idempotency keys are scoped by the door they came through: a webhook key never meets an API key. */
function requestKeys(req: RenewalRequest): RequestKeys | undefined {
  const values = [...new Set([req.idempotencyKey, ...(req.aliasKeys ?? [])].filter((k): k is string => !!k))];
  return values.length > 0 ? { scope: req.source, values } : undefined;
}

/**
 * A request meets the domain's unsettled renewal: the same request (same years; the same expected
 * expiry, or none given) joins it; anything else is refused, naming it.
 */
async function joinUnsettled(
  ctx: EngineContext,
  row: RenewalRow,
  asked: Asked,
): Promise<{ renewal: Renewal; created: boolean }> {
  const same =
    row.years === asked.req.years && (!asked.expectedDay || asked.expectedDay === row.expected_expiry);
  if (same) return answerExisting(ctx, row, asked);
  ctx.logger.info('renewal refused: the domain has an unsettled renewal', {
    renewal: row.id,
    domain: row.domain,
    source: asked.req.source,
  });
  if (row.state === 'needs_attention') {
    throw new GatewayError('conflict', {
      code: 'renewal_needs_attention',
      renewalId: row.id,
      message:
        `${row.domain} has a renewal whose outcome is not proven (${row.id}, needs_attention): an operator ` +
        'must check the registrar and settle it before another renewal is asked for; nothing was recorded',
    });
  }
  throw new GatewayError('conflict', {
    code: 'renewal_in_progress',
    renewalId: row.id,
    message:
      `${row.domain} already has a renewal in progress (${row.id}: ${row.years} year(s) from ` +
      `${row.expected_expiry}, ${row.state}); a different request must wait until it settles; nothing was recorded`,
  });
}

function recentlyRenewed(row: RenewalRow, cooldownHours: number): GatewayError {
  return new GatewayError('conflict', {
    code: 'recently_renewed',
    renewalId: row.id,
    message:
      `${row.domain} was renewed at ${row.updated_at} (${row.id}${row.new_expiry ? `, expiry now ${row.new_expiry}` : ''}); ` +
      `a second renewal within ${cooldownHours} h needs force, or the current expiry as expectedExpiry; nothing was recorded`,
  });
}

/**
 * `failed` proves nothing was spent: a new request for the same intent (not a replay of the key
 * that failed: that answered earlier) re-opens it, under the same admission rule as a creation.
 */
async function retryFailed(
  ctx: EngineContext,
  row: RenewalRow,
  asked: Asked,
): Promise<{ renewal: Renewal; created: boolean } | undefined> {
  const { req, now } = asked;
  const retried = await transition(ctx.env.DB, {
    from: row,
    to: 'requested',
    action: 'retry_requested',
    patch: {
      reason: null,
      lease_until: null,
      submitted_at: null,
      reconcile_mode: null,
      checks: 0,
      unchanged_reads: 0,
    },
    guard: admissionGuard({ account: row.account, domain: row.domain, cooldownSince: asked.cooldown?.since }),
    actor: req.actor,
    source: req.source,
    detail: {
      previousReason: row.reason,
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      ...(req.force ? { force: true } : {}),
    },
    now,
  });
  if (retried) {
    const db = ctx.env.DB;
    // Re-opened, the row is `requested` until the job enqueued below runs: nothing can be final yet.
    const writes = [
      ...(asked.keys ? keyMappings(db, asked.keys, retried.id, asked.requestHash, now) : []),
      ...(req.subscriber ? [subscribeStatement(db, retried.id, req.subscriber, now)] : []),
    ];
    if (writes.length > 0) await db.batch(writes);
    await enqueue(ctx, { type: 'renewal.execute', id: retried.id });
    ctx.logger.info('failed renewal requested again', { renewal: retried.id, domain: row.domain });
    return { renewal: toRenewal(retried), created: true };
  }
  // Refused by the guard (or another request re-opened it first): say why, from a fresh read.
  return joinOrRefuse(ctx, row.account, row.domain, asked);
}

/** Answer with an existing renewal: map the request's keys to it, audit the duplicate, subscribe. */
async function answerExisting(
  ctx: EngineContext,
  row: RenewalRow,
  asked: Asked,
): Promise<{ renewal: Renewal; created: boolean }> {
  const { req, keys, requestHash, now } = asked;
  if (keys) {
    await ctx.env.DB.batch(keyMappings(ctx.env.DB, keys, row.id, requestHash, now));
    const mapped = await findMappedKey(ctx.env.DB, keys);
    if (mapped && mapped.request_hash !== requestHash) throw keyConflict(mapped.renewal_id);
  }
  const detail = req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : undefined;
  return { renewal: toRenewal(await join(ctx, row.id, req, now, detail)), created: false };
}

async function replay(
  ctx: EngineContext,
  mapped: { renewal_id: string; request_hash: string },
  requestHash: string,
  req: RenewalRequest,
  now: string,
): Promise<{ renewal: Renewal; created: boolean }> {
  if (mapped.request_hash !== requestHash) throw keyConflict(mapped.renewal_id);
  const joined = await join(ctx, mapped.renewal_id, req, now, { idempotencyKey: req.idempotencyKey });
  return { renewal: toRenewal(joined), created: false };
}

/**
 * A request answered by an existing renewal: its audit line, its subscriber and a read of the row,
 * in one batch. The read sees the row after the subscriber was written: when it is already final,
 * the engine's own notification may have run before this subscriber existed, so the notification
 * of this subscriber is queued here (claimed once, whoever else races for it).
 */
async function join(
  ctx: EngineContext,
  id: string,
  req: RenewalRequest,
  now: string,
  detail: Record<string, unknown> | undefined,
): Promise<RenewalRow> {
  const db = ctx.env.DB;
  const results = await db.batch([
    duplicateAuditStatement(db, {
      id,
      action: 'duplicate_request',
      actor: req.actor,
      source: req.source,
      detail,
      now,
    }),
    ...(req.subscriber ? [subscribeStatement(db, id, req.subscriber, now)] : []),
    rowRead(db, id),
  ]);
  const row = rowFromBatch(results.at(-1));
  if (!row) throw new GatewayError('not_found', { message: `the renewal ${id} is gone` });
  if (req.subscriber && FINAL_STATES.has(row.state)) {
    const { channel, key } = req.subscriber;
    // The sweep re-sends lost renewal jobs, not a joiner's notice: when it cannot be queued the
    // request fails (retryable), and the caller's retry joins again and queues it again.
    if (!(await enqueue(ctx, { type: 'renewal.notify', id, channel, key }))) {
      throw new GatewayError('upstream_unavailable', {
        message: `the renewal ${id} is already ${row.state}, but its notification could not be queued; try again`,
        renewalId: id,
      });
    }
  }
  return row;
}

function keyConflict(renewalId: string): GatewayError {
  return new GatewayError('conflict', {
    code: 'idempotency_key_reused',
    renewalId,
    message: `this idempotency key was already used for a different renewal request (${renewalId})`,
    fields: [{ field: 'Idempotency-Key', reason: 'reused with a different body' }],
  });
}

/** Send a job; a failed send is logged, never fatal: the hourly sweep re-sends what was lost. */
export async function enqueue(ctx: EngineContext, job: RenewalJob, delaySeconds = 0): Promise<boolean> {
  try {
    await ctx.env.RENEWALS.send(job, delaySeconds > 0 ? { delaySeconds } : undefined);
    return true;
  } catch (error) {
    ctx.logger.error('could not enqueue a renewal job; the sweep will retry', {
      job: job.type,
      renewal: job.id,
      error: String(error),
    });
    return false;
  }
}

export async function getRenewal(db: D1Database, id: string): Promise<Renewal | undefined> {
  const row = await getRow(db, id);
  return row ? toRenewal(row) : undefined;
}

export async function listRenewals(
  db: D1Database,
  filter: RenewalFilter,
): Promise<{ items: Renewal[]; nextCursor?: string }> {
  const { rows, nextCursor } = await listRows(db, filter);
  return { items: rows.map(toRenewal), ...(nextCursor ? { nextCursor } : {}) };
}

/**
 * A person settles a renewal the engine could not prove (`needs_attention`), after checking the
 * registrar: `confirmed` (it did renew) or `failed` (it did not; a new request may then try again).
 * Only `needs_attention` can be resolved; the decision is audited with who made it and why.
 */
export async function resolveRenewal(
  ctx: EngineContext,
  id: string,
  decision: {
    outcome: 'confirmed' | 'failed';
    note: string;
    newExpiry?: string;
    actor: string;
    source: RenewalSource;
  },
): Promise<Renewal> {
  const row = await getRow(ctx.env.DB, id);
  if (!row) throw new GatewayError('not_found', { message: `no renewal ${id}` });
  if (row.state !== 'needs_attention') {
    throw new GatewayError('conflict', {
      message: `only a renewal in needs_attention can be resolved; ${id} is ${row.state}`,
    });
  }
  const moved = await transition(ctx.env.DB, {
    from: row,
    to: decision.outcome,
    action: 'resolved_by_operator',
    patch: {
      reason: `resolved by ${decision.actor}: ${decision.note}`,
      ...(decision.newExpiry ? { new_expiry: decision.newExpiry } : {}),
    },
    actor: decision.actor,
    source: decision.source,
    detail: { note: decision.note, previousReason: row.reason },
    now: new Date().toISOString(),
  });
  if (!moved)
    throw new GatewayError('conflict', { message: `${id} changed meanwhile; read it and try again` });
  await enqueue(ctx, { type: 'renewal.finalized', id });
  return toRenewal(moved);
}
