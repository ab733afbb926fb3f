/**
 * Alibaba Cloud Domain RPC client: one method per upstream action, each a signed call.
 *
 * Notes about this registrar's API (the Alibaba Cloud Domain "API Reference (New)", issue 20190517; § = its sections):
 * - One path (`/`), the action in `Action=`, common parameters on every call (§3.2 Public
 *   parameters).
 * - GET or POST (§3.3 Request structure). The document says POST parameters go "in HEAD", which reads as a
 *   mistranslation of "body": we POST them as an `application/x-www-form-urlencoded` body and sign
 *   the string with `POST`. That keeps the AccessKeyId and the signature out of URLs (and so out of
 *   every log line and proxy log).
 * - Errors are HTTP 4xx/5xx with a `Code` (§3.4 Returned results); see errors.ts.
 */
import { protocolError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { callUpstream, httpFailure, looksLikeHtml } from '../http';
import { type Operation, spends } from '../operation';
import {
  type CheckDomainReply,
  type DomainDetail,
  type DomainListPage,
  decodeCheckDomain,
  decodeDomainDetail,
  decodeDomainList,
  decodeErrorBody,
  decodeTaskDetails,
  decodeTaskNo,
  decodeTransferOutInfo,
  parseBody,
  type TaskDetail,
  type TransferOutInfo,
  type Wire,
} from './codec';
import { alibabaError } from './errors';
import { encodeSigned, flattenParams, newNonce, type ParamValue, rpcTimestamp, sign } from './signature';

export interface AlibabaClientConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** Origin only, e.g. `https://domain-intl.aliyuncs.com`. */
  endpoint: string;
  /** The `Version` parameter; it belongs to the endpoint (see docs/decisions.md). */
  version: string;
  timeoutMs?: number;
}

export interface AlibabaClientDeps {
  fetch: typeof fetch;
  logger: Logger;
  now?: () => number;
}

export interface CallContext {
  /** The gateway operation this call carries out: its kind decides the error taxonomy. */
  operation: Operation;
  signal?: AbortSignal;
}

export function createAlibabaClient(config: AlibabaClientConfig, deps: AlibabaClientDeps) {
  const now = deps.now ?? Date.now;

  async function call(action: string, params: Record<string, ParamValue>, ctx: CallContext): Promise<Wire> {
    const wire: Record<string, string> = {
      ...flattenParams(params),
      Action: action,
      Format: 'JSON',
      Version: config.version,
      AccessKeyId: config.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: newNonce(),
      Timestamp: rpcTimestamp(now()),
    };
    const signature = await sign('POST', wire, config.accessKeySecret);
    const req = { provider: 'alibaba', operation: ctx.operation };
    const res = await callUpstream(deps, {
      ...req,
      url: `${config.endpoint}/`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: encodeSigned(wire, signature),
      timeoutMs: config.timeoutMs,
      signal: ctx.signal,
    });
    if (res.status >= 400) {
      const body = decodeErrorBody(res.text);
      if (body)
        throw alibabaError(body, {
          status: res.status,
          operation: ctx.operation,
          retryAfter: res.retryAfter,
        });
      throw httpFailure(req, res);
    }
    if (res.status < 200 || res.status >= 300 || looksLikeHtml(res.text)) throw httpFailure(req, res);
    try {
      return parseBody(res.text).data;
    } catch (error) {
      // A money call that got an unreadable 2xx may still have acted: let the engine reconcile.
      if (spends(ctx.operation)) throw httpFailure(req, res);
      throw error;
    }
  }

  /** Wraps a decoder so a shape error names the action and keeps the gateway error kind. */
  function decode<T>(action: string, ctx: CallContext, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw protocolError(`alibaba ${action}: ${error instanceof Error ? error.message : String(error)}`, {
        provider: 'alibaba',
        operation: ctx.operation.name,
        cause: error,
      });
    }
  }

  return {
    /** The raw signed call, for actions without a method here. */
    call,

    async checkDomain(domainName: string, ctx: CallContext): Promise<CheckDomainReply> {
      const data = await call('CheckDomain', { DomainName: domainName }, ctx);
      return decode('CheckDomain', ctx, () => decodeCheckDomain(data));
    },

    async queryDomainList(
      q: { pageNum: number; pageSize: number; domainName?: string },
      ctx: CallContext,
    ): Promise<DomainListPage> {
      const data = await call(
        'QueryDomainList',
        { PageNum: q.pageNum, PageSize: q.pageSize, DomainName: q.domainName },
        ctx,
      );
      return decode('QueryDomainList', ctx, () => decodeDomainList(data));
    },

    async queryDomainByInstanceId(instanceId: string, ctx: CallContext): Promise<DomainDetail> {
      const data = await call('QueryDomainByInstanceId', { InstanceId: instanceId }, ctx);
      return decode('QueryDomainByInstanceId', ctx, () => decodeDomainDetail(data));
    },

    async saveSingleTaskForCreatingOrderRenew(
      p: { domainName: string; currentExpirationMs: number; years: number },
      ctx: CallContext,
    ): Promise<string> {
      const data = await call(
        'SaveSingleTaskForCreatingOrderRenew',
        {
          DomainName: p.domainName,
          CurrentExpirationDate: p.currentExpirationMs,
          SubscriptionDuration: p.years,
        },
        ctx,
      );
      return decode('SaveSingleTaskForCreatingOrderRenew', ctx, () =>
        decodeTaskNo(data, 'SaveSingleTaskForCreatingOrderRenew'),
      );
    },

    async queryTaskDetailList(
      q: { taskNo: string; pageNum?: number; pageSize?: number; domainName?: string },
      ctx: CallContext,
    ): Promise<TaskDetail[]> {
      const data = await call(
        'QueryTaskDetailList',
        { TaskNo: q.taskNo, PageNum: q.pageNum ?? 1, PageSize: q.pageSize ?? 10, DomainName: q.domainName },
        ctx,
      );
      return decode('QueryTaskDetailList', ctx, () => decodeTaskDetails(data));
    },

    async saveBatchTaskForModifyingDomainDns(
      p: { domainNames: string[]; nameservers: string[] },
      ctx: CallContext,
    ): Promise<string> {
      const data = await call(
        'SaveBatchTaskForModifyingDomainDns',
        { DomainName: p.domainNames, AliyunDns: false, DomainNameServer: p.nameservers },
        ctx,
      );
      return decode('SaveBatchTaskForModifyingDomainDns', ctx, () =>
        decodeTaskNo(data, 'SaveBatchTaskForModifyingDomainDns'),
      );
    },

    async saveSingleTaskForTransferProhibitionLock(
      p: { domainName: string; status: boolean },
      ctx: CallContext,
    ): Promise<string> {
      const data = await call(
        'SaveSingleTaskForTransferProhibitionLock',
        { DomainName: p.domainName, Status: p.status },
        ctx,
      );
      return decode('SaveSingleTaskForTransferProhibitionLock', ctx, () =>
        decodeTaskNo(data, 'SaveSingleTaskForTransferProhibitionLock'),
      );
    },

    async queryTransferOutInfo(domainName: string, ctx: CallContext): Promise<TransferOutInfo> {
      const data = await call('QueryTransferOutInfo', { DomainName: domainName }, ctx);
      return decode('QueryTransferOutInfo', ctx, () => decodeTransferOutInfo(data));
    },
  };
}

export type AlibabaClient = ReturnType<typeof createAlibabaClient>;
