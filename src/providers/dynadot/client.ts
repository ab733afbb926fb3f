/**
 * Dynadot API3 client: one method per upstream command, nothing else.
 *
 * Notes about this registrar's API:
 * - "Only one request can be processed at a time; wait for the current request to finish before
 *   sending another" (API3 document, introduction; bulk accounts get more "threads", see provider.ts).
 *   The client does not queue by itself: `deps.fetch` is the account's AccountGate with the
 *   account's concurrency (provider.ts), a Durable Object that is one instance per account worldwide,
 *   so the rule holds across every worker isolate. A per-isolate mutex here could not see the other
 *   isolates' calls.
 * - The key is a query parameter (API3 document, introduction; GET only), so every URL is a secret. The
 *   logger given to `callUpstream` is wrapped to redact the key even if the caller's logger was
 *   built without it; error messages never contain the URL.
 * - `system_busy` (another client on the key), 5xx and lost connections are retried for every
 *   command that is not a `spend` (each command's kind is declared in codec.ts `requests`), with
 *   the shared jittered backoff (core/retry.ts).
 * - A 200 reply is not proof of success (the code is in the body), and a 5xx/HTML page or a
 *   truncated body after `renew` may follow a renewal that happened: for a spend every
 *   unreadable reply is `outcome_unknown`, never `protocol` (the provider then reconciles).
 */
import { GatewayError, isGatewayError } from '../../core/errors';
import { createRedactor, type Logger } from '../../core/log';
import type { Money } from '../../core/model';
import { withRetry } from '../../core/retry';
import { callUpstream, httpFailure, looksLikeHtml, type UpstreamResponse } from '../http';
import { type Operation, spends } from '../operation';
import type { ProviderDeps } from '../types';
import {
  type AccountInfo,
  buildUrl,
  type DynadotDomain,
  type DynadotRequest,
  decodeAccountBalance,
  decodeAccountInfo,
  decodeAck,
  decodeDomainInfo,
  decodeGetNs,
  decodeIsProcessing,
  decodeListDomain,
  decodeOrderStatus,
  decodeRenew,
  decodeSearch,
  decodeTldPrice,
  decodeTransferStatus,
  type OrderStatus,
  PROVIDER,
  requests,
  type SearchResult,
  type TldPrice,
  type TransferEntry,
} from './codec';

export interface DynadotClientConfig {
  apiKey: string;
  baseUrl: string;
  timeoutMs?: number;
}

export interface DynadotClient {
  search(
    domains: string[],
    opts: { withPrices?: boolean; currency?: string },
    signal?: AbortSignal,
  ): Promise<SearchResult[]>;
  domainInfo(domain: string, signal?: AbortSignal): Promise<DynadotDomain>;
  listDomain(signal?: AbortSignal): Promise<Iterable<DynadotDomain>>;
  renew(
    domain: string,
    years: number,
    signal?: AbortSignal,
  ): Promise<{ expiresAt?: string; status?: string }>;
  getAccountBalance(signal?: AbortSignal): Promise<Money[]>;
  accountInfo(signal?: AbortSignal): Promise<AccountInfo>;
  tldPrice(
    currency?: string,
    signal?: AbortSignal,
  ): Promise<{ currency: string; priceLevel?: string; tlds: TldPrice[] }>;
  getNs(domain: string, signal?: AbortSignal): Promise<string[]>;
  setNs(domain: string, nameservers: string[], signal?: AbortSignal): Promise<void>;
  setRenewOption(domain: string, option: 'auto' | 'donot' | 'reset', signal?: AbortSignal): Promise<void>;
  lockDomain(domain: string, signal?: AbortSignal): Promise<void>;
  getTransferStatus(domain: string, type: 'in' | 'away', signal?: AbortSignal): Promise<TransferEntry[]>;
  isProcessing(signal?: AbortSignal): Promise<boolean>;
  orderStatus(orderId: string, signal?: AbortSignal): Promise<OrderStatus>;
}

/** A logger that removes the key from every line, whatever its parent was configured with. */
function redactingLogger(parent: Logger, secret: string): Logger {
  const redact = createRedactor([secret]);
  const scrub = (fields?: Record<string, unknown>) =>
    fields && (JSON.parse(redact(JSON.stringify(fields))) as Record<string, unknown>);
  const wrap = (l: Logger): Logger => ({
    debug: (m, f) => l.debug(redact(m), scrub(f)),
    info: (m, f) => l.info(redact(m), scrub(f)),
    warn: (m, f) => l.warn(redact(m), scrub(f)),
    error: (m, f) => l.error(redact(m), scrub(f)),
    child: (f) => wrap(l.child(scrub(f) ?? {})),
  });
  return wrap(parent);
}

export function createDynadotClient(config: DynadotClientConfig, deps: ProviderDeps): DynadotClient {
  const logger = redactingLogger(deps.logger, config.apiKey);
  const redact = createRedactor([config.apiKey]);

  async function send<T>(req: DynadotRequest, decode: (text: string) => T, signal?: AbortSignal): Promise<T> {
    try {
      // Queries and changes retry on transport/5xx/busy with jittered backoff (core/retry); a
      // spend (`renew`) never retries: a lost reply is reconciled instead.
      return await withRetry(() => exchange(req, decode, signal), { kind: req.kind, sleep: deps.sleep });
    } catch (error) {
      throw isGatewayError(error) ? withoutKey(error) : error;
    }
  }

  /** Belt and braces: a registrar that echoed the key in its error text must not leak it. */
  function withoutKey(error: GatewayError): GatewayError {
    const leaks = [error.message, error.upstreamMessage].some((t) => t?.includes(config.apiKey));
    if (!leaks) return error;
    return new GatewayError(error.kind, {
      message: redact(error.message),
      provider: error.provider,
      operation: error.operation,
      retryable: error.retryable,
      upstreamCode: error.upstreamCode,
      upstreamMessage: error.upstreamMessage && redact(error.upstreamMessage),
      retryAfter: error.retryAfter,
      notSent: error.notSent,
    });
  }

  async function exchange<T>(
    req: DynadotRequest,
    decode: (text: string) => T,
    signal?: AbortSignal,
  ): Promise<T> {
    const operation = req.command;
    const upstream = {
      provider: PROVIDER,
      operation: { name: operation, kind: req.kind } satisfies Operation,
    };
    const res: UpstreamResponse = await callUpstream(
      { fetch: deps.fetch, logger },
      {
        ...upstream,
        url: buildUrl(config.baseUrl, config.apiKey, req),
        method: 'GET',
        timeoutMs: config.timeoutMs,
        signal,
      },
    );
    const readable = res.status < 500 && res.status !== 429 && !looksLikeHtml(res.text);
    if (!readable) throw httpFailure(upstream, res);
    try {
      return decode(res.text);
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      if (error.kind === 'protocol') {
        if (spends(req)) {
          // The registrar may have renewed before the reply broke: only a re-read can tell.
          throw new GatewayError('outcome_unknown', {
            message: `dynadot ${operation}: the reply could not be read (${redact(error.message)}); the registrar may have acted`,
            provider: PROVIDER,
            operation,
            retryable: false,
          });
        }
        if (res.status !== 200) throw httpFailure(upstream, res);
      }
      throw error;
    }
  }

  return {
    search: (domains, opts, signal) => send(requests.search(domains, opts), decodeSearch, signal),
    domainInfo: (domain, signal) => send(requests.domainInfo(domain), decodeDomainInfo, signal),
    listDomain: (signal) => send(requests.listDomain(), decodeListDomain, signal),
    renew: (domain, years, signal) => send(requests.renew(domain, years), decodeRenew, signal),
    getAccountBalance: (signal) => send(requests.accountBalance(), decodeAccountBalance, signal),
    accountInfo: (signal) => send(requests.accountInfo(), decodeAccountInfo, signal),
    tldPrice: (currency, signal) => send(requests.tldPrice(currency), decodeTldPrice, signal),
    getNs: (domain, signal) => send(requests.getNs(domain), decodeGetNs, signal),
    setNs: (domain, ns, signal) => send(requests.setNs(domain, ns), (t) => decodeAck(t, 'set_ns'), signal),
    setRenewOption: (domain, option, signal) =>
      send(requests.setRenewOption(domain, option), (t) => decodeAck(t, 'set_renew_option'), signal),
    lockDomain: (domain, signal) =>
      send(requests.lockDomain(domain), (t) => decodeAck(t, 'lock_domain'), signal),
    getTransferStatus: (domain, type, signal) =>
      send(requests.getTransferStatus(domain, type), decodeTransferStatus, signal),
    isProcessing: (signal) => send(requests.isProcessing(), decodeIsProcessing, signal),
    orderStatus: (orderId, signal) => send(requests.orderStatus(orderId), decodeOrderStatus, signal),
  };
}
