/**
 * Alibaba Cloud Domain provider: the domain model mapped onto the RPC actions of the Alibaba Cloud Domain "API Reference (New)", issue 20190517
 * (§ = its sections).
 *
 * Notes about this registrar's API:
 * - Domains are addressed by an `InstanceId` that only `QueryDomainList` reveals (§5.12, §5.11);
 *   there is no look-up by name in this document, so `QueryDomainList(DomainName=…)` is
 *   post-filtered for the exact name (its filter semantics are unspecified).
 * - Only `QueryDomainList` has epoch-ms dates (`ExpirationDateLong`, §5.12): it is our source of
 *   expiry and of the renewal guard `CurrentExpirationDate` (ms, §5.33
 *   SaveSingleTaskForCreatingOrderRenew).
 * - Every write is an asynchronous task (§5.33, §5.24, §5.37): the submit answers a `TaskNo`, the
 *   result is read from `QueryTaskDetailList` (detail codes 0/1/2/3, §5.14).
 *   `renew` polls a bounded number of times and answers `pending` with the task number when the
 *   task is still running; `resumeRenewal` continues from that number.
 * - `TaskIsBeingProcessed` (§5.33): another task runs for the domain; nothing was submitted.
 * - No balance, price or auto-renew action exists in the document (§1 API Overview lists them
 *   all): those capabilities are left out and answer `unsupported`.
 * - Endpoint and API version are one setting: `domain-intl.aliyuncs.com` (§3.3 Request structure,
 *   every example) pairs with `Version=2017-12-18` (every example, §3.2, §3.5); the parameter
 *   table's "current version 2018-01-29" (§3.2) is the China-site `domain.aliyuncs.com` version. See
 *   docs/decisions.md.
 */
import { addYears, fromIso, sameDay } from '../../core/dates';
import { requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest } from '../../core/errors';
import type {
  Availability,
  DomainInfo,
  DomainRef,
  DomainStatus,
  DomainSummary,
  RenewalResult,
  TransferState,
  TransferStatus,
} from '../../core/model';
import { defineProvider, defineProviderDefinition } from '../define';
import { OPERATIONS, type Operation, query } from '../operation';
import type { CallOptions, Provider, ProviderDeps } from '../types';
import { type AlibabaClient, createAlibabaClient } from './client';
import {
  ALIBABA_OFFSET_MINUTES,
  type DomainDetail,
  type DomainListItem,
  type TaskDetail,
  TRANSFER_OUT_STATUS,
} from './codec';
import { type AlibabaConfig, alibabaConfig } from './config';
import { taskFailureKind } from './errors';

const PAGE_SIZE = 100;

function sleeper(deps: ProviderDeps): (ms: number) => Promise<void> {
  return deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
}

/** Normalized statuses and the registrar's own words, for `DomainInfo` and `DomainSummary`. */
function statusesOf(
  item: Pick<DomainListItem, 'domainStatus' | 'expiresAt'>,
  detail: DomainDetail | undefined,
  nowMs: number,
): { status: DomainStatus[]; rawStatus: string[] } {
  const status: DomainStatus[] = [];
  const rawStatus: string[] = [];
  const expired = item.expiresAt !== undefined && Date.parse(item.expiresAt) < nowMs;
  if (item.domainStatus !== undefined) rawStatus.push(`DomainStatus=${item.domainStatus}`);
  if (item.domainStatus === '2') status.push('redemption');
  else status.push(expired ? 'expired' : 'active');
  if (detail?.emailVerificationClientHold) {
    status.push('hold');
    rawStatus.push('EmailVerificationClientHold');
  }
  if (detail?.transferProhibitionLock)
    rawStatus.push(`TransferProhibitionLock=${detail.transferProhibitionLock}`);
  if (detail?.updateProhibitionLock) rawStatus.push(`UpdateProhibitionLock=${detail.updateProhibitionLock}`);
  if (detail?.transferProhibitionLock === 'OPEN') status.push('locked');
  return { status, rawStatus };
}

function transferStateOf(status: string | undefined, resultCode: string | undefined): TransferState {
  if (status === undefined) return 'none';
  if (['1', '2', '3', '4'].includes(status)) return 'pending';
  if (status === '5') return 'completed';
  if (status === '8') return /cancel/i.test(resultCode ?? '') ? 'cancelled' : 'rejected';
  return 'unknown';
}

function checkYears(years: number): void {
  if (!Number.isInteger(years) || years < 1 || years > 10) {
    throw invalidRequest('years must be a whole number from 1 to 10', [
      { field: 'years', reason: 'out_of_range' },
    ]);
  }
}

/** Nameservers as the DNS-modify task wants them: 2 to 13 lower-case host names. */
function checkNameservers(nameservers: string[]): string[] {
  const names = nameservers.map((ns) => requireDomainName(ns, 'nameservers'));
  if (names.length < 2 || names.length > 13) {
    throw invalidRequest('give between 2 and 13 name servers', [{ field: 'nameservers', reason: 'count' }]);
  }
  return names;
}

export function createAlibabaProvider(account: string, config: AlibabaConfig, deps: ProviderDeps): Provider {
  const client: AlibabaClient = createAlibabaClient(
    {
      accessKeyId: config.ACCESS_KEY_ID,
      accessKeySecret: config.ACCESS_KEY_SECRET,
      endpoint: config.ENDPOINT,
      version: config.API_VERSION,
    },
    deps,
  );
  const now = deps.now ?? Date.now;
  const sleep = sleeper(deps);
  const log = deps.logger.child({ provider: 'alibaba' });
  const pollIntervalMs = config.TASK_POLL_INTERVAL_MS;
  const pollAttempts = config.TASK_POLL_ATTEMPTS;

  /** The account's entry for one exact name (QueryDomainList filters loosely: a decision, docs/decisions.md). */
  async function findDomain(name: string, opts: CallOptions, operation: Operation): Promise<DomainListItem> {
    for (let pageNum = 1; ; pageNum++) {
      const page = await client.queryDomainList(
        { pageNum, pageSize: PAGE_SIZE, domainName: name },
        { operation, signal: opts.signal },
      );
      const hit = page.items.find((i) => i.domainName === name);
      if (hit) return hit;
      const more = page.nextPage ?? (page.totalPages !== undefined && pageNum < page.totalPages);
      if (!more || page.items.length === 0) break;
    }
    throw new GatewayError('not_found', {
      message: `${name} is not in this Alibaba account`,
      provider: 'alibaba',
      operation: operation.name,
    });
  }

  type TaskOutcome = { state: 'success'; detail: TaskDetail } | { state: 'running'; lastError?: unknown };

  /**
   * Poll one task's detail for one domain until it succeeds, fails (throws), or the bounded poll
   * runs out. Poll errors are not fatal: the task was submitted, its number is kept.
   */
  async function watchTask(
    taskNo: string,
    name: string,
    operation: string,
    opts: CallOptions,
  ): Promise<TaskOutcome> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= pollAttempts; attempt++) {
      if (opts.signal?.aborted) break;
      await sleep(pollIntervalMs);
      let details: TaskDetail[];
      try {
        details = await client.queryTaskDetailList(
          { taskNo, domainName: name },
          { operation: query('queryTaskDetail'), signal: opts.signal },
        );
      } catch (error) {
        // Every poll error is transient here: the task exists and its number must not be lost.
        lastError = error;
        log.warn('task poll failed', { taskNo, attempt, error: String(error) });
        continue;
      }
      const detail = details.find((d) => d.domainName === name) ?? details[0];
      if (!detail) continue;
      if (detail.state === 'success') return { state: 'success', detail };
      if (detail.state === 'failure') {
        throw new GatewayError(taskFailureKind(detail.errorMsg), {
          message: `alibaba ${operation} task ${taskNo} failed${detail.errorMsg ? `: ${detail.errorMsg}` : ''}`,
          provider: 'alibaba',
          operation,
          upstreamCode: detail.rawStatus || 'EXECUTE_FAILURE',
          upstreamMessage: detail.errorMsg,
          retryable: false,
        });
      }
    }
    return { state: 'running', lastError };
  }

  async function watchRenewal(name: string, ref: DomainRef, opts: CallOptions): Promise<RenewalResult> {
    const taskNo = ref.taskNo as string;
    const outcome = await watchTask(taskNo, name, 'renew', opts);
    if (outcome.state === 'running') {
      log.info('renewal task still running', { domain: name, taskNo });
      return { domain: name, outcome: 'pending', ref };
    }
    const previous = ref.previousExpiry;
    const years = ref.years ? Number(ref.years) : undefined;
    let newExpiry: string | undefined;
    try {
      const after = await findDomain(name, opts, OPERATIONS.getDomain);
      if (after.expiresAt && (!previous || Date.parse(after.expiresAt) > Date.parse(previous))) {
        newExpiry = after.expiresAt;
      }
    } catch (error) {
      log.warn('could not re-read the domain after renewal', { domain: name, error: String(error) });
    }
    if (!newExpiry && previous && years) newExpiry = addYears(previous, years);
    return { domain: name, outcome: 'confirmed', newExpiry, ref };
  }

  async function runTask(
    submit: () => Promise<string>,
    name: string,
    operation: string,
    opts: CallOptions,
  ): Promise<void> {
    const taskNo = await submit();
    const outcome = await watchTask(taskNo, name, operation, opts);
    if (outcome.state === 'running') {
      // Accepted by the registrar, which applies it on its own; the task number is in the log.
      log.warn('task accepted but still running after the poll budget', { domain: name, operation, taskNo });
    }
  }

  return defineProvider(
    {
      key: 'alibaba',
      account,
      limits: { availabilityBatch: 1, concurrency: 4 },
      async ping(opts) {
        await client.queryDomainList(
          { pageNum: 1, pageSize: 1 },
          { operation: query('ping'), signal: opts.signal },
        );
      },
      async resumeRenewal(domain, ref, opts) {
        const name = requireDomainName(domain);
        if (!ref.taskNo) throw invalidRequest('ref.taskNo is required to resume an Alibaba renewal');
        return watchRenewal(name, ref, opts);
      },
    },
    {
      async checkAvailability(domains, opts): Promise<Availability[]> {
        const names = domains.map((d) => requireDomainName(d));
        const results: Availability[] = new Array(names.length);
        let next = 0;
        const worker = async () => {
          while (next < names.length) {
            const i = next++;
            const name = names[i] as string;
            const reply = await client.checkDomain(name, {
              operation: OPERATIONS.checkAvailability,
              signal: opts.signal,
            });
            results[i] = {
              domain: name,
              available: reply.available,
              premium: reply.premium,
              reason: reply.reason,
            };
          }
        };
        await Promise.all(Array.from({ length: Math.min(4, names.length) }, worker));
        return results;
      },

      async getDomain(domain, opts): Promise<DomainInfo> {
        const name = requireDomainName(domain);
        const item = await findDomain(name, opts, OPERATIONS.getDomain);
        const detail = await client.queryDomainByInstanceId(item.instanceId, {
          operation: OPERATIONS.getDomain,
          signal: opts.signal,
        });
        const expiresAt = item.expiresAt ?? detail.expiresAt;
        if (!expiresAt) {
          throw new GatewayError('protocol', {
            message: `alibaba gave no expiration date for ${name}`,
            provider: 'alibaba',
            operation: 'getDomain',
          });
        }
        return {
          domain: name,
          expiresAt,
          createdAt: item.registeredAt ?? detail.registeredAt,
          ...statusesOf({ ...item, expiresAt }, detail, now()),
          locked: detail.transferProhibitionLock ? detail.transferProhibitionLock === 'OPEN' : undefined,
          nameservers: detail.nameservers,
          ref: { id: item.instanceId, instanceId: item.instanceId },
        };
      },

      listDomains(opts): AsyncIterable<DomainSummary> {
        return {
          async *[Symbol.asyncIterator]() {
            for (let pageNum = 1; ; pageNum++) {
              const page = await client.queryDomainList(
                { pageNum, pageSize: PAGE_SIZE },
                { operation: OPERATIONS.listDomains, signal: opts.signal },
              );
              for (const item of page.items) {
                yield {
                  domain: item.domainName,
                  expiresAt: item.expiresAt,
                  status: statusesOf(item, undefined, now()).status,
                  ref: { id: item.instanceId, instanceId: item.instanceId },
                };
              }
              const more = page.nextPage ?? (page.totalPages !== undefined && pageNum < page.totalPages);
              if (!more || page.items.length === 0) return;
            }
          },
        };
      },

      async renew(domain, req, opts): Promise<RenewalResult> {
        const name = requireDomainName(domain);
        checkYears(req.years);
        let expected: string;
        try {
          expected = fromIso(req.expectedExpiry);
        } catch {
          throw invalidRequest('expectedExpiry must be an ISO-8601 timestamp', [
            { field: 'expectedExpiry', reason: 'format' },
          ]);
        }
        // A read, not the money call: a lost reply here is a plain transport error.
        const item = await findDomain(name, opts, OPERATIONS.getDomain);
        if (item.domainStatus === '2') {
          throw new GatewayError('conflict', {
            message: `${name} is in redemption at Alibaba: it can no longer be renewed, only redeemed`,
            provider: 'alibaba',
            operation: 'renew',
            upstreamCode: 'DomainStatus=2',
          });
        }
        const currentMs = item.expirationMs ?? (item.expiresAt ? Date.parse(item.expiresAt) : undefined);
        if (currentMs === undefined) {
          throw new GatewayError('protocol', {
            message: `alibaba gave no expiration date for ${name}`,
            provider: 'alibaba',
            operation: 'renew',
          });
        }
        const current = new Date(currentMs).toISOString();
        // Same calendar day in UTC or in China time: callers may keep expiry at day precision in either.
        if (!sameDay(expected, current) && !sameDay(expected, current, ALIBABA_OFFSET_MINUTES)) {
          throw new GatewayError('conflict', {
            message: `${name} expires ${current}, not ${expected}: it was renewed or changed since`,
            provider: 'alibaba',
            operation: 'renew',
            retryable: false,
          });
        }
        // The guard is the registrar's own ms value: a repeat after success carries a stale date.
        const taskNo = await client.saveSingleTaskForCreatingOrderRenew(
          { domainName: name, currentExpirationMs: currentMs, years: req.years },
          { operation: OPERATIONS.renew, signal: opts.signal },
        );
        log.info('renewal task submitted', { domain: name, taskNo, years: req.years });
        return watchRenewal(
          name,
          {
            id: item.instanceId,
            instanceId: item.instanceId,
            taskNo,
            previousExpiry: current,
            years: String(req.years),
          },
          // The task is submitted: a caller's abort must not hide its number, so polling ignores it.
          { idempotencyKey: opts.idempotencyKey },
        );
      },

      async getNameservers(domain, opts): Promise<string[]> {
        const name = requireDomainName(domain);
        const item = await findDomain(name, opts, OPERATIONS.getNameservers);
        const detail = await client.queryDomainByInstanceId(item.instanceId, {
          operation: OPERATIONS.getNameservers,
          signal: opts.signal,
        });
        return detail.nameservers;
      },

      async setNameservers(domain, nameservers, opts): Promise<void> {
        const name = requireDomainName(domain);
        const names = checkNameservers(nameservers);
        await runTask(
          () =>
            client.saveBatchTaskForModifyingDomainDns(
              { domainNames: [name], nameservers: names },
              { operation: OPERATIONS.setNameservers, signal: opts.signal },
            ),
          name,
          'setNameservers',
          opts,
        );
      },

      async setLock(domain, locked, opts): Promise<void> {
        const name = requireDomainName(domain);
        await runTask(
          () =>
            client.saveSingleTaskForTransferProhibitionLock(
              { domainName: name, status: locked },
              { operation: OPERATIONS.setLock, signal: opts.signal },
            ),
          name,
          'setLock',
          opts,
        );
      },

      async getTransferStatus(domain, opts): Promise<TransferStatus> {
        const name = requireDomainName(domain);
        const info = await client.queryTransferOutInfo(name, {
          operation: OPERATIONS.getTransferStatus,
          signal: opts.signal,
        });
        const words = info.status ? TRANSFER_OUT_STATUS[info.status] : undefined;
        return {
          domain: name,
          state: transferStateOf(info.status, info.resultCode),
          rawStatus: info.status
            ? [`Status=${info.status}`, words, info.resultCode, info.resultMsg].filter(Boolean).join(' ')
            : undefined,
          updatedAt: info.pendingRequestDate,
        };
      },
    },
  );
}

export const alibaba = defineProviderDefinition<AlibabaConfig>({
  key: 'alibaba',
  displayName: 'Alibaba Cloud Domain',
  config: alibabaConfig,
  // No concurrency, pacing or session rule in the registrar's document (docs/decisions.md, "The
  // account gate admits only where a registrar has a rule"): its calls skip the gate, and 4 is
  // one request's fan-out (`limits.concurrency`), not a limit across requests.
  gate: () => ({ concurrency: 4, admission: 'none' }),
  create: (account, config, deps) => createAlibabaProvider(account, config, deps),
});
