/**
 * Alibaba Cloud Domain simulator: the RPC gateway checks (common parameters, version, access key,
 * signature, timestamp window, nonce replay) and the domain actions the gateway uses, stateful,
 * with asynchronous tasks. Built from the Alibaba Cloud Domain "API Reference (New)", issue 20190517
 * (§ = its sections).
 *
 * Tasks run lazily against the clock: a detail is WAITING_EXECUTE (0) when submitted, EXECUTING (1)
 * after half the configured delay and done (2 success / 3 failure) after the delay, evaluated on
 * every request and every state read, so there are no timers to leak. A renewal is applied when
 * its task executes: the expiry guard must equal the stored `ExpirationDateLong` exactly and the
 * balance must cover it; otherwise the detail fails (both decisions: docs/decisions.md).
 *
 * A client address outside the AccessKey's allowed source IPs (`allowFrom`, `POST /__sim/allowlist`)
 * gets HTTP 403 `Forbidden.RAM` before any check (`refuseStranger`): what a RAM policy's source-IP
 * condition answers (the document does not cover it; docs/decisions.md › Alibaba Cloud Domain: a
 * caller outside the allow-list).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpSimulatorLogic, SimRequest, SimResponse } from '../shared/http-sim';
import { simInstance } from '../shared/instance';
import { serverSignature, serverStringToSign, signaturesMatch } from './signature';
import { type Format, render, renderError, requestId, type SimError, styleOne, styleTwo } from './wire';

export const SIM_ACCESS_KEY_ID = 'sim-alibaba-key-0001';
export const SIM_ACCESS_KEY_SECRET = 'sim-alibaba-secret-0001';

const VERSIONS = new Set(['2017-12-18', '2018-01-29']);
const REPLAY_WINDOW_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** Renewal price per year in US cents (the international site bills USD). */
const RENEW_PRICE_CENTS: Record<string, number> = { com: 1268, net: 1468, org: 1398, xyz: 1199, top: 899 };
const DEFAULT_PRICE_CENTS = 1999;
const SUPPORTED_TLDS = new Set(['com', 'net', 'org', 'xyz', 'top', 'info', 'biz', 'cn', 'shop', 'online']);

/** The gateway's refusal of a source IP the AccessKey's RAM policy does not allow. */
export const STRANGER_REFUSED: SimError = {
  status: 403,
  code: 'Forbidden.RAM',
  message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
};

/** Names CheckDomain reports as registered elsewhere (not in this account). */
const TAKEN = new Set(['google.com', 'alibaba.com', 'aliyun.com', 'example.com']);

/** Messages of the document's error codes (its per-action error tables), for injected errors. */
const SEED_MESSAGES: Record<string, string> = {
  NetworkIOError: 'Network IO Error.',
  Busy: 'Server is busy, please try again later.',
  Failed: 'Query failed.',
  QueryRegistryFailed: 'Query registry failed.',
  ParameterIllegal: 'Parameter illegal.',
  TaskIsBeingProcessed: 'An operation is being processed. Please try again later.',
  DomainNotExist: 'The domain name does not exist.',
};

export interface SimDomain {
  domain: string;
  instanceId: string;
  registeredMs: number;
  expiresMs: number;
  dns: string[];
  transferLock: 'NONE_SETTING' | 'OPEN' | 'CLOSE';
  updateLock: 'NONE_SETTING' | 'OPEN' | 'CLOSE';
  premium: boolean;
  clientHold: boolean;
  transferOut?: { status: number; resultCode?: string; resultMsg?: string; pendingMs?: number };
}

type DetailCode = 0 | 1 | 2 | 3;
const DETAIL_STATUS = ['WAITING_EXECUTE', 'EXECUTING', 'EXECUTE_SUCCESS', 'EXECUTE_FAILURE'] as const;

interface SimDetail {
  taskDetailNo: string;
  domain: string;
  instanceId: string;
  code: DetailCode;
  errorMsg: string;
  updatedMs: number;
  /** Runs when the task executes; returns a failure message or undefined on success. */
  apply: () => string | undefined;
}

interface SimTask {
  taskNo: string;
  taskType: string;
  createdMs: number;
  dueMs: number;
  clientIp: string;
  details: SimDetail[];
}

export interface AlibabaSimOptions {
  now?: () => number;
  /** The account this instance plays (sim/shared/instance.ts); none: the default account. */
  account?: string;
}

interface Params {
  get(name: string): string | undefined;
  list(name: string): string[];
  structs(name: string): Array<Record<string, string>>;
}

class Refusal extends Error {
  constructor(readonly error: SimError) {
    super(error.code);
  }
}

const refuse = (status: number, code: string, message: string) => new Refusal({ status, code, message });
const missing = (name: string) => refuse(400, `Missing${name}`, `${name} is mandatory for this action.`);
const illegal = (what?: string) =>
  refuse(400, 'ParameterIllegal', what ? `Parameter illegal: ${what}` : 'Parameter illegal.');

function makeParams(map: Map<string, string>): Params {
  return {
    get: (name) => {
      const v = map.get(name);
      return v === undefined || v === '' ? undefined : v;
    },
    list: (name) =>
      [...map.entries()]
        .map(([k, v]) => [new RegExp(`^${name}\\.(\\d+)$`).exec(k), v] as const)
        .filter(([m]) => m)
        .sort(([a], [b]) => Number(a?.[1]) - Number(b?.[1]))
        .map(([, v]) => v),
    structs: (name) => {
      const byIndex = new Map<number, Record<string, string>>();
      for (const [k, v] of map) {
        const m = new RegExp(`^${name}\\.(\\d+)\\.(\\w+)$`).exec(k);
        if (!m) continue;
        const i = Number(m[1]);
        byIndex.set(i, { ...byIndex.get(i), [m[2] as string]: v });
      }
      return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    },
  };
}

function tld(domain: string): string {
  return domain.slice(domain.lastIndexOf('.') + 1);
}

function addYearsMs(ms: number, years: number): number {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return d.getTime();
}

function hex32(): string {
  return randomBytes(16).toString('hex');
}

function instanceId(): string {
  return `S2026${randomBytes(6).toString('hex').toUpperCase()}`;
}

export function createAlibabaSimLogic(opts: AlibabaSimOptions = {}): HttpSimulatorLogic & {
  readonly seeded: ReadonlyArray<string>;
  /** This instance's AccessKey pair. */
  readonly accessKey: { id: string; secret: string };
} {
  const now = opts.now ?? Date.now;
  const instance = simInstance(opts.account);
  const accessKey = {
    id: instance.credential(SIM_ACCESS_KEY_ID),
    secret: instance.credential(SIM_ACCESS_KEY_SECRET),
  };
  const seeded = ['sim-soon.com', 'sim-later.net', 'sim-locked.org', 'sim-lapsed.com', 'sim-leaving.xyz'].map(
    instance.domain,
  );
  let domains = new Map<string, SimDomain>();
  let tasks: SimTask[] = [];
  let renewals: Array<{ domain: string; years: number; at: string; taskNo: string }> = [];
  let nonces = new Map<string, number>();
  let balanceCents = 0;
  let taskDelayMs = 300;
  let counts: Record<string, number> = {};
  let refusals: Record<string, number> = {};
  /** Seed error codes to answer for an action, before it acts (`POST /__sim/inject`). */
  let injected: Array<{ action: string; error: SimError; times: number }> = [];

  function seedDomain(d: Partial<SimDomain> & { domain: string; expiresMs: number }): SimDomain {
    const full: SimDomain = {
      instanceId: instanceId(),
      registeredMs: addYearsMs(d.expiresMs, -1),
      dns: ['dns1.hichina.com', 'dns2.hichina.com'],
      transferLock: 'CLOSE',
      updateLock: 'NONE_SETTING',
      premium: false,
      clientHold: false,
      ...d,
      domain: d.domain.toLowerCase(),
    };
    domains.set(full.domain, full);
    return full;
  }

  function reset(): void {
    const t = Math.floor(now() / 1000) * 1000;
    domains = new Map();
    tasks = [];
    renewals = [];
    nonces = new Map();
    balanceCents = Math.round(Number(instance.balance('200.00')) * 100);
    taskDelayMs = 300;
    counts = {};
    refusals = {};
    injected = [];
    const [soon = '', later = '', locked = '', lapsed = '', leaving = ''] = seeded;
    seedDomain({ domain: soon, expiresMs: t + 10 * DAY_MS });
    seedDomain({ domain: later, expiresMs: t + 200 * DAY_MS });
    seedDomain({ domain: locked, expiresMs: t + 400 * DAY_MS, transferLock: 'OPEN' });
    seedDomain({ domain: lapsed, expiresMs: t - 45 * DAY_MS });
    seedDomain({
      domain: leaving,
      expiresMs: t + 90 * DAY_MS,
      transferOut: { status: 4, pendingMs: t - 2 * DAY_MS },
    });
  }
  reset();

  /** `1` renewal urgently needed, `2` redemption, `3` normal (§5.12 QueryDomainList). */
  function domainStatus(d: SimDomain, at: number): string {
    if (at > d.expiresMs + 30 * DAY_MS) return '2';
    if (at > d.expiresMs - 30 * DAY_MS) return '1';
    return '3';
  }

  function advance(): void {
    const t = now();
    for (const task of tasks) {
      for (const detail of task.details) {
        if (detail.code >= 2) continue;
        if (t >= task.dueMs) {
          const failure = detail.apply();
          detail.code = failure ? 3 : 2;
          detail.errorMsg = failure ?? 'The operation is successful.';
          detail.updatedMs = t;
        } else if (detail.code === 0 && t >= task.createdMs + (task.dueMs - task.createdMs) / 2) {
          detail.code = 1;
          detail.updatedMs = t;
        }
      }
    }
  }

  function settle(): void {
    for (const task of tasks)
      if (task.details.some((d) => d.code < 2)) task.dueMs = Math.min(task.dueMs, now());
    advance();
  }

  function busy(domain: string): boolean {
    return tasks.some((task) => task.details.some((d) => d.domain === domain && d.code < 2));
  }

  function submit(
    taskType: string,
    clientIp: string,
    items: Array<{ domain: string; apply: (d: SimDomain | undefined) => string | undefined }>,
  ): string {
    const t = now();
    const task: SimTask = {
      taskNo: randomUUID(),
      taskType,
      createdMs: t,
      dueMs: t + taskDelayMs,
      clientIp,
      details: [],
    };
    for (const item of items) {
      const name = item.domain.toLowerCase();
      task.details.push({
        taskDetailNo: hex32(),
        domain: name,
        instanceId: domains.get(name)?.instanceId ?? '',
        code: 0,
        errorMsg: '',
        updatedMs: t,
        apply: () => item.apply(domains.get(name)),
      });
    }
    tasks.push(task);
    return task.taskNo;
  }

  function renewApply(taskNo: () => string, name: string, guard: number, years: number) {
    return (d: SimDomain | undefined): string | undefined => {
      if (!d) return 'The domain name does not exist.';
      const t = now();
      if (domainStatus(d, t) === '2')
        return 'The domain name is in the redemption period and cannot be renewed.';
      if (d.expiresMs !== guard) {
        return 'The current expiration date does not match the expiration date of the domain name.';
      }
      const newExpiry = addYearsMs(d.expiresMs, years);
      if (newExpiry > addYearsMs(t, 10))
        return 'The renewal exceeds the maximum registration period of 10 years.';
      const cost = (RENEW_PRICE_CENTS[tld(name)] ?? DEFAULT_PRICE_CENTS) * years;
      if (balanceCents < cost) return 'Insufficient account balance. Please top up and try again.';
      balanceCents -= cost;
      d.expiresMs = newExpiry;
      renewals.push({ domain: name, years, at: new Date(t).toISOString(), taskNo: taskNo() });
      return undefined;
    };
  }

  function requireInt(p: Params, name: string, min: number, max: number): number {
    const raw = p.get(name);
    if (raw === undefined) throw missing(name);
    if (!/^\d+$/.test(raw)) throw illegal(name);
    const n = Number(raw);
    if (n < min || n > max) throw illegal(name);
    return n;
  }

  function requireBool(p: Params, name: string): boolean {
    const raw = p.get(name);
    if (raw === undefined) throw missing(name);
    if (raw !== 'true' && raw !== 'false') throw illegal(name);
    return raw === 'true';
  }

  function requireStr(p: Params, name: string): string {
    const raw = p.get(name);
    if (raw === undefined) throw missing(name);
    return raw;
  }

  function page<T>(items: T[], pageNum: number, pageSize: number) {
    const totalPages = Math.max(1, Math.ceil(items.length / pageSize));
    return {
      slice: items.slice((pageNum - 1) * pageSize, pageNum * pageSize),
      paging: {
        TotalItemNum: items.length,
        CurrentPageNum: pageNum,
        TotalPageNum: totalPages,
        PageSize: pageSize,
        PrePage: pageNum > 1,
        NextPage: pageNum < totalPages,
      },
    };
  }

  function detailJson(task: SimTask, d: SimDetail) {
    return {
      TaskNo: task.taskNo,
      TaskDetailNo: d.taskDetailNo,
      TaskType: task.taskType,
      InstanceId: d.instanceId,
      DomainName: d.domain,
      TaskStatus: DETAIL_STATUS[d.code],
      TaskStatusCode: d.code,
      CreateTime: styleTwo(task.createdMs),
      UpdateTime: styleTwo(d.updatedMs),
      TryCount: 0,
      ErrorMsg: d.errorMsg,
      TaskTypeDescription: task.taskType,
      TaskResult: '',
    };
  }

  type Action = (p: Params, ctx: { clientIp: string }) => Record<string, unknown>;

  const actions: Record<string, Action> = {
    CheckDomain(p) {
      const name = requireStr(p, 'DomainName').toLowerCase();
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name) || !SUPPORTED_TLDS.has(tld(name))) {
        throw refuse(400, 'InvaieldParameter', 'The parameter is invaild.');
      }
      const label = name.split('.')[0] as string;
      let avail = 1;
      let premium = false;
      if (domains.has(name) || TAKEN.has(name)) avail = 0;
      else if (label.startsWith('taken-')) avail = -2;
      else if (label.startsWith('pending-')) avail = 2;
      else if (label.startsWith('abnormal-')) avail = -1;
      else if (label.startsWith('blacklist-')) avail = -3;
      else if (label.startsWith('premium-')) premium = true;
      else if (label.startsWith('busy-'))
        throw refuse(400, 'Busy', 'Server is busy, please try again later.');
      return { DomainName: name, Avail: avail, Premium: premium };
    },

    QueryDomainList(p) {
      const pageNum = requireInt(p, 'PageNum', 1, 1_000_000);
      const pageSize = requireInt(p, 'PageSize', 1, 1_000);
      const filter = p.get('DomainName')?.toLowerCase();
      const t = now();
      const all = [...domains.values()].filter((d) => !filter || d.domain.includes(filter));
      const { slice, paging } = page(all, pageNum, pageSize);
      return {
        ...paging,
        Data: {
          Domain: slice.map((d) => ({
            DomainName: d.domain,
            InstanceId: d.instanceId,
            RegistrationDate: styleOne(d.registeredMs),
            RegistrationDateLong: d.registeredMs,
            ExpirationDate: styleOne(d.expiresMs),
            ExpirationDateLong: d.expiresMs,
            DomainStatus: domainStatus(d, t),
            DomainType: 'gTLD',
            Premium: d.premium,
            ProductId: '2',
          })),
        },
      };
    },

    QueryDomainByInstanceId(p) {
      const id = requireStr(p, 'InstanceId');
      const d = [...domains.values()].find((x) => x.instanceId === id);
      if (!d) throw refuse(400, 'DomainNotExist', 'The domain name does not exist.');
      return {
        UserId: '1344371',
        DomainName: d.domain,
        InstanceId: d.instanceId,
        RegistrationDate: styleTwo(d.registeredMs),
        ExpirationDate: styleTwo(d.expiresMs),
        RegistrantOrganization: 'Sim Reseller Ltd',
        RegistrantName: 'Sim Owner',
        Email: 'owner@sim.example',
        EmailVerificationClientHold: d.clientHold,
        EmailVerificationStatus: 1,
        UpdateProhibitionLock: d.updateLock,
        TransferProhibitionLock: d.transferLock,
        DomainNameProxyService: false,
        Premium: d.premium,
        DnsList: { Dns: d.dns },
      };
    },

    SaveSingleTaskForCreatingOrderRenew(p, ctx) {
      const name = requireStr(p, 'DomainName').toLowerCase();
      const guardRaw = requireStr(p, 'CurrentExpirationDate');
      if (!/^\d+$/.test(guardRaw)) throw illegal('CurrentExpirationDate');
      const years = requireInt(p, 'SubscriptionDuration', 1, 10);
      if (busy(name)) {
        throw refuse(400, 'TaskIsBeingProcessed', 'An operation is being processed. Please try again later.');
      }
      let taskNo = '';
      taskNo = submit('ORDER_RENEW', ctx.clientIp, [
        { domain: name, apply: renewApply(() => taskNo, name, Number(guardRaw), years) },
      ]);
      return { TaskNo: taskNo };
    },

    SaveBatchTaskForCreatingOrderRenew(p, ctx) {
      const items = p.structs('OrderRenewParam');
      if (items.length === 0) throw missing('OrderRenewParam');
      const parsed = items.map((it) => {
        const name = it.DomainName?.toLowerCase();
        if (!name) throw missing('OrderRenewParam.DomainName');
        if (!it.CurrentExpirationDate || !/^\d+$/.test(it.CurrentExpirationDate))
          throw illegal('CurrentExpirationDate');
        const years = Number(it.SubscriptionDuration);
        if (!Number.isInteger(years) || years < 1 || years > 10) throw illegal('SubscriptionDuration');
        return { name, guard: Number(it.CurrentExpirationDate), years };
      });
      let taskNo = '';
      taskNo = submit(
        'ORDER_RENEW',
        ctx.clientIp,
        parsed.map((x) => ({ domain: x.name, apply: renewApply(() => taskNo, x.name, x.guard, x.years) })),
      );
      return { TaskNo: taskNo };
    },

    QueryTaskDetailList(p) {
      const pageNum = requireInt(p, 'PageNum', 1, 1_000_000);
      const pageSize = requireInt(p, 'PageSize', 1, 1_000);
      const taskNo = requireStr(p, 'TaskNo');
      const status = p.get('TaskStatus');
      if (status !== undefined && !/^[0-3]$/.test(status)) throw illegal('TaskStatus');
      const domain = p.get('DomainName')?.toLowerCase();
      const instance = p.get('InstanceId');
      const task = tasks.find((t) => t.taskNo === taskNo);
      const details = (task?.details ?? []).filter(
        (d) =>
          (status === undefined || d.code === Number(status)) &&
          (!domain || d.domain === domain) &&
          (!instance || d.instanceId === instance),
      );
      const { slice, paging } = page(details, pageNum, pageSize);
      return { ...paging, Data: { TaskDetail: task ? slice.map((d) => detailJson(task, d)) : [] } };
    },

    QueryTaskList(p) {
      const pageNum = requireInt(p, 'PageNum', 1, 1_000_000);
      const pageSize = requireInt(p, 'PageSize', 1, 1_000);
      const newest = [...tasks].reverse();
      const { slice, paging } = page(newest, pageNum, pageSize);
      return {
        ...paging,
        Data: {
          TaskInfo: slice.map((t) => {
            const done = t.details.every((d) => d.code >= 2);
            const waiting = t.details.every((d) => d.code === 0);
            return {
              TaskNo: t.taskNo,
              TaskType: t.taskType,
              TaskNum: t.details.length,
              TaskStatus: done ? 'COMPLETE' : waiting ? 'WAITING_EXECUTE' : 'EXECUTING',
              TaskStatusCode: done ? 3 : waiting ? 1 : 2,
              CreateTime: styleOne(t.createdMs),
              Clientip: t.clientIp,
              TaskTypeDescription: t.taskType,
            };
          }),
        },
      };
    },

    SaveBatchTaskForModifyingDomainDns(p, ctx) {
      const names = p.list('DomainName').map((n) => n.toLowerCase());
      if (names.length === 0) throw missing('DomainName');
      const aliyunDns = requireBool(p, 'AliyunDns');
      const servers = p.list('DomainNameServer').map((n) => n.toLowerCase());
      if (!aliyunDns && servers.length === 0) throw missing('DomainNameServer');
      if (!aliyunDns && (servers.length < 2 || servers.length > 13)) throw illegal('DomainNameServer');
      const target = aliyunDns ? ['dns1.hichina.com', 'dns2.hichina.com'] : servers;
      const taskNo = submit(
        'CHG_DNS',
        ctx.clientIp,
        names.map((domain) => ({
          domain,
          apply: (d) => {
            if (!d) return 'The domain name does not exist.';
            d.dns = [...target];
            return undefined;
          },
        })),
      );
      return { TaskNo: taskNo };
    },

    SaveSingleTaskForTransferProhibitionLock(p, ctx) {
      const name = requireStr(p, 'DomainName').toLowerCase();
      const on = requireBool(p, 'Status');
      const taskNo = submit('SET_TRANSFER_PROHIBITED', ctx.clientIp, [
        {
          domain: name,
          apply: (d) => {
            if (!d) return 'The domain name does not exist.';
            d.transferLock = on ? 'OPEN' : 'CLOSE';
            return undefined;
          },
        },
      ]);
      return { TaskNo: taskNo };
    },

    SaveSingleTaskForUpdateProhibitionLock(p, ctx) {
      const name = requireStr(p, 'DomainName').toLowerCase();
      const on = requireBool(p, 'Status');
      const taskNo = submit('SET_UPDATE_PROHIBITED', ctx.clientIp, [
        {
          domain: name,
          apply: (d) => {
            if (!d) return 'The domain name does not exist.';
            d.updateLock = on ? 'OPEN' : 'CLOSE';
            return undefined;
          },
        },
      ]);
      return { TaskNo: taskNo };
    },

    QueryTransferOutInfo(p) {
      const name = requireStr(p, 'DomainName').toLowerCase();
      const d = domains.get(name);
      if (!d) throw refuse(400, 'DomainNotExist', 'The domain name does not exist.');
      if (!d.transferOut) return {};
      return {
        Status: d.transferOut.status,
        Email: 'owner@sim.example',
        PendingRequestDate:
          d.transferOut.pendingMs === undefined ? undefined : styleTwo(d.transferOut.pendingMs),
        ResultCode: d.transferOut.resultCode,
        ResultMsg: d.transferOut.resultMsg,
      };
    },
  };

  /** Query string plus, for a form POST, the body (§3.3 Request structure; a decision, docs/decisions.md). */
  function paramsOf(req: SimRequest): Map<string, string> {
    const map = new Map<string, string>();
    for (const [k, v] of req.query) {
      if (map.has(k)) throw illegal(`${k} given twice`);
      map.set(k, v);
    }
    const type = String(req.headers['content-type'] ?? '');
    if (req.method === 'POST' && req.body && type.includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(req.body)) {
        if (map.has(k)) throw illegal(`${k} given twice`);
        map.set(k, v);
      }
    }
    return map;
  }

  function formatOf(map: Map<string, string>): Format {
    return map.get('Format')?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
  }

  /** The gateway's checks, in the order a POP gateway applies them. */
  function authenticate(req: SimRequest, map: Map<string, string>): void {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw refuse(400, 'UnsupportedHTTPMethod', 'This http method is not supported.');
    }
    const format = map.get('Format');
    if (format !== undefined && !/^(json|xml)$/i.test(format)) throw illegal('Format');
    for (const name of [
      'Action',
      'Version',
      'AccessKeyId',
      'Signature',
      'SignatureMethod',
      'SignatureVersion',
      'SignatureNonce',
      'Timestamp',
    ]) {
      if (!map.get(name)) throw missing(name);
    }
    if (!VERSIONS.has(map.get('Version') as string)) {
      throw refuse(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    }
    if (!actions[map.get('Action') as string]) {
      throw refuse(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    if (map.get('SignatureMethod') !== 'HMAC-SHA1') {
      throw refuse(400, 'UnsupportedSignatureMethod', 'Specified signature method is not supported.');
    }
    if (map.get('SignatureVersion') !== '1.0') {
      throw refuse(400, 'UnsupportedSignatureVersion', 'Specified signature version is not supported.');
    }
    const timestamp = map.get('Timestamp') as string;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      throw refuse(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp or date value is not well formatted.',
      );
    }
    const t = now();
    if (Math.abs(t - Date.parse(timestamp)) > REPLAY_WINDOW_MS) {
      throw refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    if (map.get('AccessKeyId') !== accessKey.id) {
      throw refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const sts = serverStringToSign(req.method, map);
    if (!signaturesMatch(map.get('Signature') as string, serverSignature(accessKey.secret, sts))) {
      throw refuse(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${sts}`,
      );
    }
    for (const [nonce, at] of nonces) if (t - at > REPLAY_WINDOW_MS) nonces.delete(nonce);
    const nonce = map.get('SignatureNonce') as string;
    if (nonces.has(nonce))
      throw refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.set(nonce, t);
  }

  function count(table: Record<string, number>, key: string) {
    table[key] = (table[key] ?? 0) + 1;
  }

  return {
    name: 'alibaba',
    seeded,
    accessKey,

    operationOf(req) {
      try {
        return paramsOf(req).get('Action') ?? '';
      } catch {
        return '';
      }
    },

    refuseStranger(req): SimResponse {
      let format: Format = 'XML';
      try {
        format = formatOf(paramsOf(req));
      } catch {}
      count(refusals, STRANGER_REFUSED.code);
      return renderError(format, String(req.headers.host ?? 'domain.aliyuncs.com'), STRANGER_REFUSED);
    },

    handle(req): SimResponse {
      advance();
      const hostId = String(req.headers.host ?? 'domain.aliyuncs.com');
      let map = new Map<string, string>();
      let format: Format = 'XML';
      try {
        map = paramsOf(req);
        format = formatOf(map);
        if (req.path !== '/')
          throw refuse(
            404,
            'InvalidAction.NotFound',
            'Specified api is not found, please check your url and method.',
          );
        authenticate(req, map);
        const action = map.get('Action') as string;
        count(counts, action);
        const rule = injected.find((r) => r.action === action && r.times > 0);
        if (rule) {
          rule.times--;
          throw new Refusal(rule.error);
        }
        const body = (actions[action] as Action)(makeParams(map), { clientIp: req.remoteAddress });
        return render(format, `${action}Response`, { RequestId: requestId(), ...body });
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        count(refusals, error.error.code);
        return renderError(format, hostId, error.error);
      }
    },

    state() {
      advance();
      return {
        balance: (balanceCents / 100).toFixed(2),
        currency: 'USD',
        taskDelayMs,
        domains: [...domains.values()].map((d) => ({
          domain: d.domain,
          instanceId: d.instanceId,
          expiresAt: new Date(d.expiresMs).toISOString(),
          expirationMs: d.expiresMs,
          nameservers: d.dns,
          transferLock: d.transferLock,
          updateLock: d.updateLock,
        })),
        tasks: tasks.map((t) => ({
          taskNo: t.taskNo,
          taskType: t.taskType,
          createdAt: new Date(t.createdMs).toISOString(),
          details: t.details.map((d) => ({
            domain: d.domain,
            taskDetailNo: d.taskDetailNo,
            status: DETAIL_STATUS[d.code],
            errorMsg: d.errorMsg,
          })),
        })),
        renewals,
        requests: counts,
        refusals,
      };
    },

    reset,

    control(name, body) {
      const b = (body ?? {}) as Record<string, unknown>;
      if (name === 'config') {
        if (b.taskDelayMs !== undefined) {
          const ms = Number(b.taskDelayMs);
          if (!Number.isInteger(ms) || ms < 0) throw new Error('taskDelayMs must be a non-negative integer');
          taskDelayMs = ms;
        }
        if (b.balance !== undefined) {
          const text = String(b.balance);
          if (!/^\d+(\.\d{1,2})?$/.test(text))
            throw new Error('balance must be a decimal string like "12.50"');
          const [whole, frac = ''] = text.split('.');
          balanceCents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
        }
        return { taskDelayMs, balance: (balanceCents / 100).toFixed(2) };
      }
      if (name === 'domains') {
        if (typeof b.domain !== 'string' || typeof b.expiresAt !== 'string') {
          throw new Error('give {domain, expiresAt} (expiresAt ISO-8601)');
        }
        const expiresMs = Date.parse(b.expiresAt);
        if (Number.isNaN(expiresMs)) throw new Error('expiresAt is not a date');
        const d = seedDomain({
          domain: b.domain,
          expiresMs,
          ...(Array.isArray(b.nameservers) ? { dns: b.nameservers.map(String) } : {}),
          ...(b.transferLock === 'OPEN' || b.transferLock === 'CLOSE'
            ? { transferLock: b.transferLock }
            : {}),
          ...(typeof b.clientHold === 'boolean' ? { clientHold: b.clientHold } : {}),
        });
        return { domain: d.domain, instanceId: d.instanceId, expirationMs: d.expiresMs };
      }
      if (name === 'inject') {
        if (typeof b.action !== 'string' || typeof b.code !== 'string') {
          throw new Error('give {action, code, message?, status?, times?}');
        }
        injected.push({
          action: b.action,
          error: {
            status: Number(b.status ?? 400),
            code: b.code,
            message: typeof b.message === 'string' ? b.message : (SEED_MESSAGES[b.code] ?? b.code),
          },
          times: Number(b.times ?? 1),
        });
        return { ok: true };
      }
      if (name === 'settle') {
        settle();
        return { ok: true };
      }
      throw new Error(`unknown control ${name}`);
    },
  };
}
