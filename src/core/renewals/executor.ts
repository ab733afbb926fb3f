/**
 * The money side of the engine, run by the RENEWALS queue consumer.
 *
 * Exactly once rests on three things:
 * 1. One row per intent (store.ts) and compare-and-set on its version: only the worker whose
 *    `requested → submitting` update applied may call the registrar, and it marks `submitted_at`
 *    (again by CAS) just before the renew request leaves.
 * 2. A lost reply is never a failure: it is `outcome_unknown`, resolved by re-reading the expiry.
 *    The renewal is resubmitted only when the expiry is seen unchanged several times AND the
 *    registrar's own guard would refuse a second renewal (policy.ts `GUARDED_REGISTRARS`).
 * 3. Every registrar call passes through the account's AccountGate, so even two workers of two
 *    isolates never overlap where the registrar forbids it.
 */

import type { Env } from '../../env';
import { configFor } from '../../env';
import type { Provider } from '../../providers/types';
import { createAccounts } from '../accounts';
import { tldOf } from '../domain-name';
import { recordRenewedExpiry } from '../domains';
import { type GatewayError, isGatewayError } from '../errors';
import { type ItemReading, itemOfKey, type RenewableItem, renewableItem } from '../items';
import { type JobBatch, newJobBatch } from '../job-batch';
import type { Logger } from '../log';
import type { Money, RenewalResult } from '../model';
import { compareAmounts } from '../money';
import type { Notifier } from '../notifications';
import { recordServiceRenewed } from '../services';
import { type RenewalConfig, reconcileDelay } from './config';
import { describeError } from './describe';
import { enqueue, serviceRenewRequest } from './intent';
import { isRefusal, judgeExpiry, renewalPrice, resubmissionIsSafe, sameCurrency } from './policy';
import { getRow, overdueRows, type RenewalRow, type RowPatch, toRenewal, transition } from './store';
import { findSubscriber } from './subscribers';
import { type EngineContext, FINAL_STATES, type RenewalJob, type RenewalState } from './types';

/** Who the engine's own steps are attributed to in the audit trail (the requester is on the row). */
const ENGINE_ACTOR = 'engine';
const ENGINE_SOURCE = 'system';

interface Run {
  ctx: EngineContext;
  cfg: RenewalConfig;
  now: () => string;
  /** The consumer invocation's shared reads (the balance pre-check's price list). */
  batch: JobBatch;
}

const describe = describeError;

function plusSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

async function move(
  run: Run,
  row: RenewalRow,
  to: RenewalState,
  action: string,
  patch: RowPatch = {},
  detail?: Record<string, unknown>,
): Promise<RenewalRow | undefined> {
  const next = await transition(run.ctx.env.DB, {
    from: row,
    to,
    action,
    patch,
    actor: ENGINE_ACTOR,
    source: ENGINE_SOURCE,
    detail: { requestedBy: `${row.source}:${row.actor}`, ...detail },
    now: run.now(),
  });
  if (!next) {
    run.ctx.logger.info('renewal changed under us; this worker stops', {
      renewal: row.id,
      state: row.state,
      to,
    });
    return undefined;
  }
  if (FINAL_STATES.has(to)) {
    run.ctx.logger.info('renewal finalized', {
      renewal: row.id,
      state: to,
      reason: next.reason ?? undefined,
    });
    await enqueue(run.ctx, { type: 'renewal.finalized', id: row.id });
  }
  return next;
}

const finalPatch = (reason: string | null): RowPatch => ({
  reason,
  lease_until: null,
  next_check_at: null,
});

function fail(run: Run, row: RenewalRow, reason: string, detail?: Record<string, unknown>) {
  return move(run, row, 'failed', 'fail', finalPatch(reason), detail);
}

function needsAttention(run: Run, row: RenewalRow, reason: string, detail?: Record<string, unknown>) {
  return move(run, row, 'needs_attention', 'needs_attention', finalPatch(reason), detail);
}

async function confirm(run: Run, row: RenewalRow, reading: ItemReading): Promise<void> {
  // A certificate whose renewal is being issued has no new expiry yet: none is recorded.
  const moved = reading.expiresAt !== undefined && judgeReading(reading, row) === 'renewed';
  const newExpiry = moved ? reading.expiresAt : undefined;
  const done = await move(run, row, 'confirmed', 'confirm', {
    ...finalPatch(null),
    ...(newExpiry ? { new_expiry: newExpiry } : {}),
  });
  if (!done || !newExpiry) return;
  // Keep the inventory truthful at once, so reminders stop before the next sync.
  const item = itemOfKey(row.domain);
  if (item.kind === 'domain') {
    await recordRenewedExpiry(run.ctx.env.DB, row.domain, row.account, newExpiry, run.now());
  } else {
    await recordServiceRenewed(run.ctx.env.DB, row.account, item.kind, item.id, newExpiry, run.now());
  }
}

/**
 * What a reading says about the row's renewal: the registrar's "renewal in progress" (a
 * certificate being reissued) proves it was placed; otherwise the expiry tells (policy.ts).
 */
function judgeReading(reading: ItemReading, row: RenewalRow): 'renewed' | 'unchanged' | 'other' {
  if (reading.renewalInProgress) return 'renewed';
  if (!reading.expiresAt) return 'other';
  return judgeExpiry(reading.expiresAt, row.expected_expiry, row.years);
}

/** The row's item at its account, with what its renewal was asked with. */
function itemOf(provider: Provider, row: RenewalRow): RenewableItem {
  return renewableItem(provider, itemOfKey(row.domain));
}

function renewInput(row: RenewalRow, expectedExpiry: string) {
  const params = row.params
    ? (JSON.parse(row.params) as { certificate?: { csr: string; adminContactId?: string } })
    : {};
  return { ...serviceRenewRequest(row.years, row.expected_expiry, params.certificate), expectedExpiry };
}

/** Wait `delay` then check again, or give up into needs_attention once the checks are spent. */
async function scheduleCheck(run: Run, row: RenewalRow, reason: string, patch: RowPatch = {}): Promise<void> {
  const checks = patch.checks ?? row.checks;
  if (checks >= run.cfg.maxChecks) {
    await needsAttention(run, row, `${reason}; gave up after ${checks} checks`);
    return;
  }
  const delay = reconcileDelay(run.cfg, checks);
  const next = await move(run, row, row.state, 'check', {
    ...patch,
    reason,
    next_check_at: plusSeconds(delay),
  });
  if (next) await enqueue(run.ctx, { type: 'renewal.reconcile', id: row.id }, delay);
}

function providerOf(run: Run, row: RenewalRow): Provider | undefined {
  try {
    return run.ctx.accounts.get(row.account);
  } catch {
    return undefined;
  }
}

/** `renewal.execute`: claim a requested renewal, pre-check it and submit it once. */
export async function executeRenewal(run: Run, id: string): Promise<void> {
  const row = await getRow(run.ctx.env.DB, id);
  if (!row) {
    run.ctx.logger.warn('renewal job for an unknown renewal', { renewal: id });
    return;
  }
  if (row.state === 'submitting') {
    if (row.lease_until && row.lease_until > run.now()) {
      // Another worker owns it. Look again when its lease ends, in case that worker died.
      const wait = Math.ceil((Date.parse(row.lease_until) - Date.now()) / 1000) + 1;
      await enqueue(run.ctx, { type: 'renewal.execute', id }, wait);
      return;
    }
    if (row.submitted_at) {
      const unknown = await move(run, row, 'outcome_unknown', 'worker_lost', {
        reason: 'the worker stopped after the renew request left',
        reconcile_mode: 'unknown',
        lease_until: null,
        unchanged_reads: 0,
      });
      if (unknown) await reconcile(run, unknown);
      return;
    }
  } else if (row.state !== 'requested') {
    return; // a duplicate or late message: the row has moved on
  }
  const claimed = await move(run, row, 'submitting', 'claim', {
    attempts: row.attempts + 1,
    lease_until: plusSeconds(run.cfg.leaseSeconds),
    submitted_at: null,
  });
  if (claimed) await submit(run, claimed);
}

/** Pre-checks then the one renew call. The row is `submitting` and this worker holds its lease. */
async function submit(run: Run, row: RenewalRow): Promise<void> {
  const provider = providerOf(run, row);
  if (!provider) {
    await fail(run, row, `account ${row.account} is not configured any more`);
    return;
  }
  const item = itemOf(provider, row);
  if (!item.supported) {
    await fail(run, row, `${provider.key} cannot renew this ${item.ref.kind} through this gateway`);
    return;
  }

  // After a lost reply, a resubmission that cannot go ahead does not prove nothing was spent.
  const resubmission = row.reconcile_mode === 'unknown';
  const giveUp = (reason: string, detail?: Record<string, unknown>) =>
    resubmission
      ? needsAttention(run, row, `resubmission stopped: ${reason}`, detail)
      : fail(run, row, reason, detail);

  let info: ItemReading;
  try {
    info = await item.read();
  } catch (error) {
    if (isGatewayError(error) && isRefusal(error.kind)) {
      const why =
        error.kind === 'not_found' ? `${row.domain} is not held by account ${row.account}` : describe(error);
      await giveUp(why, { precheck: item.ref.kind === 'domain' ? 'getDomain' : 'getService' });
      return;
    }
    await retryUnspent(run, row, error);
    return;
  }
  const verdict = judgeReading(info, row);
  if (verdict !== 'unchanged' || !info.expiresAt) {
    if (resubmission && verdict === 'renewed') {
      // The earlier submission applied after all.
      await confirm(run, row, info);
      return;
    }
    await giveUp(
      info.renewalInProgress
        ? `the registrar is already carrying out a renewal of ${row.domain}`
        : `stale expected expiry: expected ${row.expected_expiry}, the registrar says ${info.expiresAt?.slice(0, 10) ?? 'none'}`,
      { precheck: 'expiry', ...(info.expiresAt ? { registrarExpiry: info.expiresAt } : {}) },
    );
    return;
  }
  if (info.renewable === false) {
    await giveUp(`the registrar says ${row.domain} cannot be renewed now`, { precheck: 'renewable' });
    return;
  }
  const shortfall = await balanceShortfall(run, provider, item, row, info.expiresAt);
  if (shortfall) {
    await giveUp(shortfall, { precheck: 'balance' });
    return;
  }

  const submitted = await move(run, row, 'submitting', 'submit', {
    submitted_at: run.now(),
    guard_expiry: info.expiresAt,
    lease_until: plusSeconds(run.cfg.leaseSeconds),
  });
  if (!submitted) return;

  let result: RenewalResult;
  try {
    result = await item.renew(renewInput(row, info.expiresAt), row.id);
  } catch (error) {
    if (isGatewayError(error) && error.notSent) {
      // The account gate withdrew the call before it left (or the bridge refused it unsent):
      // nothing can have been spent, so this is a retry, not an unknown outcome.
      await retryUnspent(run, submitted, error, 'not_sent');
      return;
    }
    const kind = isGatewayError(error) ? error.kind : undefined;
    if (isRefusal(kind) && !(kind === 'conflict' && resubmission)) {
      const reason = `the registrar refused: ${describe(error)}`;
      const detail = { upstreamCode: (error as GatewayError).upstreamCode };
      if (resubmission) await needsAttention(run, submitted, reason, detail);
      else await fail(run, submitted, reason, detail);
      return;
    }
    // The request left and the answer is lost or unreadable (or a resubmission's guard refused,
    // which means the first one may have applied): only the registrar's expiry can tell.
    const unknown = await move(run, submitted, 'outcome_unknown', 'outcome_unknown', {
      reason: describe(error),
      reconcile_mode: 'unknown',
      lease_until: null,
      unchanged_reads: 0,
    });
    if (unknown) await reconcile(run, unknown);
    return;
  }

  const charged = result.charged
    ? { charged_amount: result.charged.amount, charged_currency: result.charged.currency }
    : {};
  if (result.outcome === 'pending') {
    const pending = await move(
      run,
      submitted,
      'pending',
      'pending',
      {
        ...charged,
        upstream_ref: JSON.stringify(result.ref),
        reconcile_mode: 'pending',
        lease_until: null,
        reason: 'the registrar is processing the renewal',
      },
      { ref: result.ref },
    );
    if (pending) await scheduleCheck(run, pending, 'waiting for the registrar to finish');
    return;
  }
  const verifying = await move(
    run,
    submitted,
    'reconciling',
    'registrar_confirmed',
    {
      ...charged,
      upstream_ref: JSON.stringify(result.ref),
      reconcile_mode: 'verify',
      lease_until: null,
      reason: 'the registrar confirmed; verifying the new expiry',
    },
    { ref: result.ref, registrarNewExpiry: result.newExpiry },
  );
  if (verifying) await reconcile(run, verifying);
}

/**
 * Nothing was spent — a pre-check could not reach the registrar, or the renew call provably never
 * left (`not_sent`) — so release the lease and try again later, a bounded number of times.
 */
async function retryUnspent(
  run: Run,
  row: RenewalRow,
  error: unknown,
  step: 'precheck_unavailable' | 'not_sent' = 'precheck_unavailable',
): Promise<void> {
  const what = step === 'not_sent' ? 'the renew call could not be sent' : 'the pre-check failed';
  if (row.attempts >= run.cfg.maxPrecheckAttempts) {
    const reason =
      step === 'not_sent'
        ? `the renew call could not be sent after ${row.attempts} attempts: ${describe(error)}`
        : `the registrar could not be reached for the pre-checks: ${describe(error)}`;
    // Nothing was spent by THIS attempt; after a lost reply an earlier submission may still land,
    // so only a first submission can be called failed.
    if (row.reconcile_mode === 'unknown') await needsAttention(run, row, `resubmission stopped: ${reason}`);
    else await fail(run, row, `${reason} (nothing was spent)`);
    return;
  }
  const delay = reconcileDelay(run.cfg, row.attempts - 1);
  const released = await move(run, row, 'submitting', step, {
    lease_until: plusSeconds(delay),
    submitted_at: null,
    reason: `${what}, retrying: ${describe(error)}`,
  });
  if (released) await enqueue(run.ctx, { type: 'renewal.execute', id: row.id }, delay);
}

/**
 * Balance ≥ price, where the registrar exposes both. A pre-check that cannot run is skipped (the
 * registrar's own refusal still protects the account); only a proven shortfall fails the renewal.
 */
async function balanceShortfall(
  run: Run,
  provider: Provider,
  item: RenewableItem,
  row: RenewalRow,
  expiresAt: string,
): Promise<string | undefined> {
  if (!provider.capabilities.has('getBalance')) return undefined;
  try {
    const price = await priceOf(run.batch, provider, item, row, expiresAt);
    if (!price) return undefined;
    const balance = await provider.getBalance({});
    // Points of an exclusive-sale account never compare with a money balance (POINTS ≠ any ISO code).
    if (!sameCurrency(price, balance.available)) return undefined;
    if (compareAmounts(balance.available.amount, price.amount) < 0) {
      return `insufficient balance: ${balance.available.amount} ${balance.available.currency} available, the renewal costs ${price.amount} ${price.currency}`;
    }
  } catch (error) {
    run.ctx.logger.warn('balance pre-check skipped', { renewal: row.id, error: describe(error) });
  }
  return undefined;
}

/**
 * The renewal's price: the domain's TLD price list, or the registrar's quote for a service. The
 * price list is read once per consumer batch for each account, TLD and term, and shared by the
 * batch's renewals (docs/decisions.md, "The balance pre-check reads the price list once per
 * batch"); a service's quote names the item, so it is asked per renewal.
 */
async function priceOf(
  batch: JobBatch,
  provider: Provider,
  item: RenewableItem,
  row: RenewalRow,
  expiresAt: string,
): Promise<Money | undefined> {
  if (item.ref.kind !== 'domain') return item.quote ? item.quote(renewInput(row, expiresAt)) : undefined;
  if (!provider.capabilities.has('getPrices')) return undefined;
  const tld = tldOf(row.domain);
  const prices = await batch.shared(`renew-prices|${provider.account}|${tld}|${row.years}`, () =>
    provider.getPrices({ tld, operation: 'renew', years: row.years }, {}),
  );
  return renewalPrice(prices, tld, row.years);
}

/**
 * `renewal.reconcile`: find out what happened by re-reading the expiry (and polling the async task
 * where the registrar has one), then confirm, fail, resubmit (guarded registrars only), wait, or
 * hand the renewal to a human.
 */
export async function reconcile(run: Run, start: RenewalRow): Promise<void> {
  let row = start;
  if (row.state === 'outcome_unknown') {
    const next = await move(run, row, 'reconciling', 'reconcile', {
      reconcile_mode: row.reconcile_mode ?? 'unknown',
    });
    if (!next) return;
    row = next;
  }
  if (row.state !== 'reconciling' && row.state !== 'pending') return;
  const provider = providerOf(run, row);
  if (!provider) {
    await needsAttention(
      run,
      row,
      `account ${row.account} is not configured any more; the outcome is unknown`,
    );
    return;
  }
  const checks = row.checks + 1;

  /** The registrar said the task failed: only the expiry tells whether an earlier one renewed. */
  let taskRefusal: string | undefined;
  if (row.reconcile_mode === 'pending' && provider.resumeRenewal) {
    let result: RenewalResult | undefined;
    try {
      const ref = JSON.parse(row.upstream_ref || '{}') as Record<string, string>;
      result = await provider.resumeRenewal(row.domain, ref, {});
    } catch (error) {
      if (isGatewayError(error) && isRefusal(error.kind) && error.kind !== 'not_found') {
        taskRefusal = `the registrar's task failed: ${describe(error)}`;
      } else {
        await scheduleCheck(run, row, `could not poll the registrar's task: ${describe(error)}`, { checks });
        return;
      }
    }
    if (result?.outcome === 'pending') {
      await scheduleCheck(run, row, 'the registrar is still processing the renewal', { checks });
      return;
    }
    if (result) {
      const verifying = await move(run, row, 'reconciling', 'registrar_confirmed', {
        reconcile_mode: 'verify',
        ...(result.charged
          ? { charged_amount: result.charged.amount, charged_currency: result.charged.currency }
          : {}),
      });
      if (!verifying) return;
      row = verifying;
    }
  }

  let info: ItemReading;
  try {
    info = await itemOf(provider, row).read();
  } catch (error) {
    if (isGatewayError(error) && error.kind === 'not_found') {
      await needsAttention(run, row, `${row.domain} is no longer visible in account ${row.account}`);
      return;
    }
    await scheduleCheck(run, row, `could not read the expiry: ${describe(error)}`, { checks });
    return;
  }

  const verdict = judgeReading(info, row);
  if (verdict === 'renewed') {
    await confirm(run, row, info);
    return;
  }
  if (verdict === 'other') {
    await needsAttention(
      run,
      row,
      `the expiry is ${info.expiresAt?.slice(0, 10) ?? 'unknown'}: neither the expected ${row.expected_expiry} nor ${row.years} year(s) later`,
    );
    return;
  }
  // Unchanged.
  if (taskRefusal) {
    // A first submission's failed task spent nothing; after a lost reply, an earlier task may
    // still be queued, so only a person can close it.
    if (row.attempts <= 1) await fail(run, row, taskRefusal);
    else await needsAttention(run, row, `${taskRefusal}; an earlier submission's outcome is unknown`);
    return;
  }
  const unchangedReads = row.unchanged_reads + 1;
  if (row.reconcile_mode !== 'unknown') {
    await scheduleCheck(run, row, 'the registrar accepted the renewal; the expiry has not moved yet', {
      checks,
      unchanged_reads: unchangedReads,
    });
    return;
  }
  const sinceSubmission = row.submitted_at ? (Date.now() - Date.parse(row.submitted_at)) / 1000 : Infinity;
  if (unchangedReads < run.cfg.unchangedReadsBeforeResubmit || sinceSubmission < run.cfg.decideAfterSeconds) {
    await scheduleCheck(run, row, 'the outcome is unknown; the expiry has not moved so far', {
      checks,
      unchanged_reads: unchangedReads,
    });
    return;
  }
  if (!resubmissionIsSafe(row.provider, itemOfKey(row.domain).kind)) {
    await needsAttention(
      run,
      row,
      `the reply was lost and the expiry stayed ${row.expected_expiry} over ${unchangedReads} reads; ${row.provider} has no expiry guard for this kind, so only a person may resubmit`,
    );
    return;
  }
  if (row.attempts >= run.cfg.maxSubmissions) {
    await needsAttention(run, row, `the expiry is unchanged after ${row.attempts} submissions`);
    return;
  }
  const again = await move(
    run,
    row,
    'submitting',
    'resubmit',
    {
      attempts: row.attempts + 1,
      checks,
      unchanged_reads: 0,
      submitted_at: null,
      next_check_at: null,
      lease_until: plusSeconds(run.cfg.leaseSeconds),
      reason: `the expiry is provably unchanged and ${row.provider}'s guard makes a resubmission safe`,
    },
    { guard: row.guard_expiry },
  );
  if (again) await submit(run, again);
}

/** `renewal.reconcile` job: dispatch on the row's current state. */
async function reconcileJob(run: Run, id: string): Promise<void> {
  const row = await getRow(run.ctx.env.DB, id);
  if (!row) return;
  if (row.state === 'submitting' || row.state === 'requested') {
    await executeRenewal(run, id);
    return;
  }
  if (row.state === 'outcome_unknown' || row.state === 'reconciling' || row.state === 'pending') {
    // A duplicate message long before the planned check: the planned one will come.
    if (row.next_check_at && row.next_check_at > plusSeconds(30)) return;
    await reconcile(run, row);
  }
}

function runFor(env: Env, logger: Logger, batch: JobBatch = newJobBatch()): Run {
  const config = configFor(env);
  return {
    ctx: { env, accounts: createAccounts(env, config, logger), logger },
    cfg: config.renewals,
    now: () => new Date().toISOString(),
    batch,
  };
}

type EngineJobHandler = (
  body: { type: string; id?: unknown; channel?: unknown; key?: unknown },
  env: Env,
  logger: Logger,
  notifier: Notifier,
  batch?: JobBatch,
) => Promise<void>;

/** Queue handlers of the engine, registered in core/jobs.ts. */
export const RENEWAL_JOB_HANDLERS = {
  'renewal.execute': async (body, env, logger, _notifier, batch) => {
    if (typeof body.id === 'string') await executeRenewal(runFor(env, logger, batch), body.id);
  },
  'renewal.reconcile': async (body, env, logger, _notifier, batch) => {
    if (typeof body.id === 'string') await reconcileJob(runFor(env, logger, batch), body.id);
  },
  'renewal.finalized': async (body, env, logger, notifier) => {
    if (typeof body.id !== 'string') return;
    const row = await getRow(env.DB, body.id);
    if (row && FINAL_STATES.has(row.state)) await notifier.renewalFinal(env, toRenewal(row), logger);
  },
  // A subscriber that joined a renewal already final (see `requestRenewal`).
  'renewal.notify': async (body, env, logger, notifier) => {
    const { id, channel, key } = body;
    if (typeof id !== 'string' || typeof channel !== 'string' || typeof key !== 'string') return;
    const row = await getRow(env.DB, id);
    if (!row || !FINAL_STATES.has(row.state)) return;
    const subscriber = await findSubscriber(env.DB, id, channel, key);
    if (subscriber) await notifier.tellSubscriber(env, toRenewal(row), subscriber, logger);
  },
} satisfies Record<RenewalJob['type'], EngineJobHandler>;

/**
 * Hourly sweep: re-send what a crash or a lost queue message left behind (a `requested` row never
 * executed, a `submitting` row whose worker's lease ran out, an overdue check). Never spends money
 * itself; it only re-enqueues, and the handlers re-check every row's state.
 */
export async function sweepRenewals(env: Env, logger: Logger): Promise<number> {
  const run = runFor(env, logger);
  const staleBefore = new Date(Date.now() - run.cfg.sweepAfterSeconds * 1000).toISOString();
  const rows = await overdueRows(env.DB, run.now(), staleBefore);
  for (const row of rows) {
    const type =
      row.state === 'requested' || row.state === 'submitting' ? 'renewal.execute' : 'renewal.reconcile';
    await enqueue(run.ctx, { type, id: row.id });
  }
  if (rows.length > 0) logger.info('renewal sweep re-enqueued rows', { count: rows.length });
  return rows.length;
}
