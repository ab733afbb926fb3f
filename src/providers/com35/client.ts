/**
 * The worker's 35.com client: one method per upstream command, each sent to the Node bridge
 * (`src/tcp-bridge/`) as a signed HTTP call through `callUpstream` (so it is gated and logged).
 * The bridge builds the XML, the cltrid and the checksums, and verifies the reply's checksum; only
 * a command declared a `spend` brings its own cltrid, derived from the caller's idempotency key, so
 * the bridge can send it at most once (`BRIDGE_COMMANDS` in bridge-protocol.ts declares each
 * command's kind; the kind, never the operation's name, decides what a failure means here).
 *
 * Notes about this registrar's API (the 35.com API user manual, "API 用户使用手册" 2.7.4; § = its sections):
 * - Every domain command needs `domaintype` (§7.2.2.1 支持域名类型表) and the name in the right
 *   script (§6.5 注意事项, item 2): both come from `toWireDomain` in codec.ts.
 * - Repeated params (`nameserver` ×2-6, UpdateDomainDNS example §7.2.2.9.6) are arrays in the
 *   bridge's JSON.
 * - Bridge failures come back as `{error: {kind, …}}` and are rebuilt here, so `outcome_unknown`
 *   (request sent, reply lost) survives the hop; for a `query` it becomes `transport`, because
 *   a lost read changed nothing and may simply be repeated.
 */
import { GatewayError, protocolError } from '../../core/errors';
import { REQUEST_ID_HEADER } from '../../core/log';
import { callUpstream, httpFailure } from '../http';
import type { Operation } from '../operation';
import type { CallOptions, ProviderDeps } from '../types';
import {
  allowedCommand,
  type BridgeCommandName,
  type BridgeErrorBody,
  type BridgeReply,
  COMMAND_PATH,
  kindOfSending,
  signedBridgeHeaders,
  spendingCltrid,
} from './bridge-protocol';
import type { Com35Params, WireDomain } from './codec';
import { com35Error } from './errors';
import {
  type Com35ServiceKind,
  infoParams,
  KIND_WIRE,
  type RenewalParams,
  renewalParams,
  type ServiceFlag,
} from './service-codec';

export interface Com35ClientConfig {
  /** The account the bridge runs every command with (one of its BRIDGE_ACCOUNTS). */
  account: string;
  bridgeUrl: string;
  /** The secret requests are signed with (during a rotation, the first of BRIDGE_SECRET's list). */
  bridgeSecret: string;
  /** Shorter than the bridge's queue wait plus its read timeout turns slow replies into unknowns. */
  timeoutMs?: number;
}

export interface Com35Reply extends BridgeReply {
  dataMap: Record<string, string[]>;
}

/** Above the bridge's default queue wait (30 s) plus its read timeout (60 s). */
export const DEFAULT_BRIDGE_TIMEOUT_MS = 100_000;
const LOCK = 'clientTransferProhibited';
const AUTO_RENEW = 'clientAutoRenew';

function isBridgeReply(v: unknown): v is BridgeReply {
  const r = v as BridgeReply;
  return (
    !!r &&
    typeof r.code === 'number' &&
    typeof r.msg === 'string' &&
    typeof r.value === 'string' &&
    Array.isArray(r.data) &&
    r.data.every((d) => d && typeof d.name === 'string' && typeof d.value === 'string')
  );
}

function isBridgeError(v: unknown): v is BridgeErrorBody {
  const e = (v as BridgeErrorBody)?.error;
  return !!e && typeof e.kind === 'string' && typeof e.message === 'string';
}

export function createCom35Client(
  config: Com35ClientConfig,
  deps: Pick<ProviderDeps, 'fetch' | 'logger' | 'requestId'>,
) {
  const url = `${config.bridgeUrl}${COMMAND_PATH}`;

  /**
   * Send one command. Resolves with the reply when its code is a success or listed in `accept`;
   * otherwise throws the mapped GatewayError.
   */
  async function command(
    name: string,
    commandName: BridgeCommandName,
    params: Com35Params,
    opts: CallOptions & { domain?: string; accept?: number[] } = {},
  ): Promise<Com35Reply> {
    const [category = '', action = ''] = commandName.split('/');
    const spec = allowedCommand(category, action)!;
    // A renewal sent as its price query (GetPrice=1) is a query: no spending cltrid, repeatable.
    const kind = kindOfSending(spec, params);
    if (kind === undefined)
      throw new GatewayError('invalid_request', {
        message: `35.com ${action}: ${spec.priceQuery} is 1 or absent`,
        provider: 'com35',
        operation: name,
      });
    const operation: Operation = { name, kind };
    // A spend carries a cltrid derived from the caller's idempotency key, so a second send of the
    // same intent is refused by the bridge. Without a key every call is its own intent.
    const cltrid =
      kind === 'spend' ? await spendingCltrid(opts.idempotencyKey ?? crypto.randomUUID()) : undefined;
    const body = JSON.stringify({
      account: config.account,
      category,
      action,
      params,
      ...(cltrid ? { cltrid } : {}),
    });
    const req = {
      provider: 'com35',
      operation,
      url,
      method: 'POST' as const,
      headers: {
        'content-type': 'application/json',
        // Not signed: it only labels the bridge's log lines (the bridge checks its shape).
        ...(deps.requestId ? { [REQUEST_ID_HEADER]: deps.requestId } : {}),
        ...(await signedBridgeHeaders(config.bridgeSecret, { method: 'POST', path: COMMAND_PATH, body })),
      },
      body,
      timeoutMs: config.timeoutMs ?? DEFAULT_BRIDGE_TIMEOUT_MS,
      signal: opts.signal,
    };
    const res = await callUpstream(deps, req);
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw httpFailure(req, res);
    }
    if (res.status !== 200) {
      if (!isBridgeError(json)) throw httpFailure(req, res);
      const e = json.error;
      const kind = e.kind === 'outcome_unknown' && operation.kind === 'query' ? 'transport' : e.kind;
      throw new GatewayError(kind, {
        message: e.message,
        provider: 'com35',
        operation: name,
        retryable: kind === 'transport' ? true : e.retryable,
        upstreamCode: e.upstreamCode,
        retryAfter: e.retryAfter ?? res.retryAfter,
        notSent: e.notSent === true,
      });
    }
    if (!isBridgeReply(json))
      throw protocolError('the 35.com bridge sent a reply we cannot read', {
        provider: 'com35',
        operation: name,
      });
    const dataMap: Record<string, string[]> = {};
    for (const { name, value } of json.data) {
      // Trimmed: the manual's own replies pad names (`amount `, ` points`).
      const key = name.trim();
      const list = dataMap[key] ?? [];
      list.push(value);
      dataMap[key] = list;
    }
    if (json.code >= 2000 && !opts.accept?.includes(json.code))
      throw com35Error(json, { operation: name, domain: opts.domain });
    return { ...json, dataMap };
  }

  const domainParams = (w: WireDomain): Com35Params => ({ domaintype: w.domaintype, domain: w.domain });

  return {
    command,
    checkDomain: (w: WireDomain, opts: CallOptions) =>
      command('checkAvailability', 'domain/CheckDomain', domainParams(w), {
        ...opts,
        domain: w.domain,
        accept: [2004, 2005, 2306],
      }),
    infoDomain: (w: WireDomain, operation: string, opts: CallOptions) =>
      command(operation, 'domain/InfoDomain', domainParams(w), { ...opts, domain: w.domain }),
    infoDomainExtra: (w: WireDomain, opts: CallOptions) =>
      command('getDomain', 'domain/InfoDomainExtra', domainParams(w), { ...opts, domain: w.domain }),
    renewDomain: (w: WireDomain, years: number, opts: CallOptions) =>
      command(
        'renew',
        'domain/RenewDomain',
        { ...domainParams(w), period: String(years) },
        { ...opts, domain: w.domain },
      ),
    updateDomainDns: (w: WireDomain, nameservers: string[], opts: CallOptions) =>
      command(
        'setNameservers',
        'domain/UpdateDomainDns',
        { ...domainParams(w), nameserver: nameservers },
        { ...opts, domain: w.domain },
      ),
    updateDomainStatus: (w: WireDomain, locked: boolean, opts: CallOptions) =>
      command(
        'setLock',
        'domain/UpdateDomainStatus',
        { ...domainParams(w), [locked ? 'addstatus' : 'remstatus']: LOCK },
        { ...opts, domain: w.domain },
      ),
    updateDomainExtra: (w: WireDomain, autoRenew: boolean, opts: CallOptions) =>
      command(
        'setAutoRenew',
        'domain/UpdateDomainExtra',
        { ...domainParams(w), [autoRenew ? 'addextra' : 'remextra']: AUTO_RENEW },
        { ...opts, domain: w.domain },
      ),
    queryRegTransfer: (w: WireDomain, opts: CallOptions) =>
      command('getTransferStatus', 'domain/QueryRegTransfer', domainParams(w), {
        ...opts,
        domain: w.domain,
        accept: [2303],
      }),
    queryCustTransfer: (w: WireDomain, opts: CallOptions) =>
      command(
        'getTransferStatus',
        'domain/QueryCustTransfer',
        { ...domainParams(w), op: 'In' },
        { ...opts, domain: w.domain, accept: [2303] },
      ),
    getAccountBalance: (operation: string, opts: CallOptions) =>
      command(operation, 'account/GetAccountBalance', {}, opts),
    /** GetInfo of a host or mail domain under one flag; 2303 (unknown under it) comes back, not thrown. */
    getServiceInfo: (kind: Com35ServiceKind, flag: ServiceFlag, id: string, opts: CallOptions) =>
      command('getService', KIND_WIRE[kind].infoCommand, infoParams(kind, flag, id), {
        ...opts,
        domain: id,
        accept: [2303],
      }),
    /** RenewVhost / RenewMail: a spend, with the cltrid of the caller's idempotency key. */
    renewService: (kind: Com35ServiceKind, p: RenewalParams, opts: CallOptions) =>
      command('renewService', KIND_WIRE[kind].renewCommand, renewalParams(kind, { ...p, priceOnly: false }), {
        ...opts,
        domain: p.id,
      }),
    /** The same command with GetPrice=1 (§7.7.1): a query, nothing renewed. */
    quoteServiceRenewal: (kind: Com35ServiceKind, p: RenewalParams, opts: CallOptions) =>
      command(
        'quoteServiceRenewal',
        KIND_WIRE[kind].renewCommand,
        renewalParams(kind, { ...p, priceOnly: true }),
        { ...opts, domain: p.id },
      ),
  };
}

export type Com35Client = ReturnType<typeof createCom35Client>;
