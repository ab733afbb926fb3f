/**
 * The bridge's HTTP face (Hono on @hono/node-server): the worker's only way to 35.com.
 *
 *   POST /v1/com35/command  signed JSON {account, category, action, params, cltrid?} → {code, msg, value, data, cltrid, svtrid}
 *   POST /v1/relay          signed JSON {account, method, url, headers, body?, deadlineMs} → the
 *                           upstream's reply, `x-relay-outcome` saying whether it was sent (relay.ts)
 *   GET  /health            sessions up, queue depth, per account (no secrets) } loopback, or signed
 *   GET  /metrics           Prometheus text, per account                         }
 *
 * Each 35.com account (BRIDGE_ACCOUNTS) has a session pool of its own; a command runs on the pool
 * of the account its signed body names (none named: `com35`), and an account the bridge does not
 * have is refused before anything is sent.
 *
 * What reaches 35.com is closed by construction: a body over the size cap is cut while it streams
 * (before any signature work); a request must be signed over method, path, nonce, timestamp and
 * body hash, inside 60 s, with a nonce never seen; only the commands of `BRIDGE_COMMANDS` are
 * forwarded; and a money-spending command's cltrid is written to 35.com at most once. Slow
 * clients are cut by Node's header and request timeouts, and connections are capped.
 *
 * Every failure is a JSON `{error: {kind, message, retryable, …}}` in the gateway's error
 * vocabulary, so the worker can rebuild the same GatewayError (`outcome_unknown` survives the hop).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type ErrorKind, GatewayError } from '../core/errors';
import { createLogger, isRequestId, type Logger, REQUEST_ID_HEADER } from '../core/log';
import {
  ALREADY_SENT,
  type BridgeErrorBody,
  type BridgeReply,
  bridgeCommandSchema,
  COMMAND_PATH,
  DEFAULT_BRIDGE_ACCOUNT,
  RELAY_OUTCOME_HEADER,
  RELAY_PATH,
  type RelayOutcome,
  UNKNOWN_ACCOUNT,
} from '../providers/com35/bridge-protocol';
import {
  type AccountPool,
  type Com35Account,
  healthOf,
  metricsViews,
  type PoolTuning,
  startAccountPools,
} from './account-pools';
import { admitCommand } from './admission';
import { bridgeSecretValues } from './config';
import { BRIDGE_DEFAULTS } from './defaults';
import { BridgeMetrics } from './metrics';
import type { IdlePolicy } from './pool';
import { Relay, relayEnvelopeBytes, relayRequestSchema } from './relay';
import { createRequestAuth, type Refusal, type SignedEnv } from './request-auth';
import { SentCltrids } from './sent-cltrids';

export interface BridgeConfig {
  /** The 35.com accounts by name (BRIDGE_ACCOUNTS; unset, the one account `com35`). */
  accounts: Readonly<Record<string, Com35Account>>;
  /** The shared secret, or two during a rotation: a request signed with either is accepted. */
  secret: string | readonly string[];
  listen?: { host?: string; port?: number };
  poolSize?: number;
  queueMax?: number;
  queueTimeoutMs?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  maxMessageBytes?: number;
  sessionCommandBudget?: number;
  idlePolicy?: IdlePolicy;
  idleMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Largest request body; a bigger one is cut with 413 while it streams. */
  maxBodyBytes?: number;
  /** Time a client has to send the request headers (Node's `headersTimeout`). */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request (Node's `requestTimeout`). */
  requestTimeoutMs?: number;
  /** Open connections at most; Node closes any further one at once. */
  maxConnections?: number;
  /** Nonces remembered at most (2 signature windows' worth of requests). */
  nonceCapacity?: number;
  /** How long, and how many, sent cltrids of money-spending commands are remembered. */
  sentCltridHorizonMs?: number;
  sentCltridCapacity?: number;
  /** Append-only file of sent cltrids, so a restart does not forget them; unset = memory only. */
  sentCltridsFile?: string;
  /** The relay's exact origins (BRIDGE_ALLOWED_ORIGINS); none = every relay request refused. */
  allowedOrigins?: readonly string[];
  /** Local address of the relay's outgoing connections; unset = the system's choice. */
  sourceAddress?: string;
  /** Longest relay, whatever the worker's deadline (less 500 ms) allows. */
  relayTimeoutMs?: number;
  /** Relays at once at most; beyond, 503 not sent. */
  relayMaxInFlight?: number;
  /** Largest relayed reply body; a bigger one is cut and the worker's connection closed. */
  relayMaxReplyBytes?: number;
  logger?: Logger;
}

export { BRIDGE_DEFAULTS } from './defaults';

export interface RunningBridge {
  url: string;
  /** Each account's session pool and its counters, by account name. */
  accounts: ReadonlyMap<string, AccountPool>;
  /** The refusals, counted before a request reaches any account. */
  metrics: BridgeMetrics;
  /** Refuse new work, Logout every session, stop listening. */
  close(): Promise<void>;
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  unsupported: 400,
  authentication: 502,
  permission: 502,
  not_found: 404,
  conflict: 409,
  insufficient_funds: 402,
  rate_limited: 503,
  upstream_unavailable: 503,
  transport: 502,
  protocol: 502,
  outcome_unknown: 502,
};

function errorBody(error: GatewayError): BridgeErrorBody {
  return {
    error: {
      kind: error.kind,
      message: error.message,
      retryable: error.retryable,
      upstreamCode: error.upstreamCode,
      retryAfter: error.retryAfter,
      ...(error.notSent ? { notSent: true } : {}),
    },
  };
}

/** The list of secrets in force, from one value or a rotation pair. */
function secretsOf(secret: BridgeConfig['secret']): readonly string[] {
  return typeof secret === 'string' ? [secret] : secret;
}

export async function startBridge(config: BridgeConfig): Promise<RunningBridge> {
  const secrets = secretsOf(config.secret);
  const accounts = Object.values(config.accounts);
  if (accounts.length === 0) throw new Error('the bridge needs at least one 35.com account');
  const logger =
    config.logger ??
    createLogger({
      level: 'info',
      secrets: bridgeSecretValues(secrets, accounts),
      base: { app: 'com35-bridge' },
    });
  const d = BRIDGE_DEFAULTS;
  const tuning: PoolTuning = {
    poolSize: config.poolSize ?? d.poolSize,
    queueMax: config.queueMax ?? d.queueMax,
    queueTimeoutMs: config.queueTimeoutMs ?? d.queueTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs ?? d.connectTimeoutMs,
    readTimeoutMs: config.readTimeoutMs ?? d.readTimeoutMs,
    maxMessageBytes: config.maxMessageBytes ?? d.maxMessageBytes,
    commandBudget: config.sessionCommandBudget ?? d.sessionCommandBudget,
    idlePolicy: config.idlePolicy ?? d.idlePolicy,
    idleMs: config.idleMs ?? d.idleMs,
    reconnectBaseMs: config.reconnectBaseMs ?? d.reconnectBaseMs,
    reconnectMaxMs: config.reconnectMaxMs ?? d.reconnectMaxMs,
  };
  const maxBodyBytes = config.maxBodyBytes ?? d.maxBodyBytes;
  const headersTimeout = config.headersTimeoutMs ?? d.headersTimeoutMs;
  const requestTimeout = Math.max(config.requestTimeoutMs ?? d.requestTimeoutMs, headersTimeout);
  // Read before anything listens: a file that cannot be read stops the start, never silently forgets.
  const sent = new SentCltrids({
    horizonMs: config.sentCltridHorizonMs ?? d.sentCltridHorizonMs,
    capacity: config.sentCltridCapacity ?? d.sentCltridCapacity,
    file: config.sentCltridsFile,
  });
  const metrics = new BridgeMetrics();
  const pools = startAccountPools(config.accounts, tuning);
  const auth = createRequestAuth({ secrets, nonceCapacity: config.nonceCapacity ?? d.nonceCapacity });
  const relay = new Relay({
    allowedOrigins: config.allowedOrigins ?? [],
    sourceAddress: config.sourceAddress,
    timeoutMs: config.relayTimeoutMs ?? d.relayTimeoutMs,
    maxInFlight: config.relayMaxInFlight ?? d.relayMaxInFlight,
    maxBodyBytes,
    maxReplyBytes: config.relayMaxReplyBytes ?? d.relayMaxReplyBytes,
  });
  /** The logger of one request: its lines carry the id of the worker request it serves, when sent. */
  const logOf = (c: Context) => {
    const requestId = c.req.header(REQUEST_ID_HEADER);
    return isRequestId(requestId) ? logger.child({ requestId }) : logger;
  };

  /** Every refusal of the bridge: counted under `reason` (when given), in the one error body. */
  const fail = (
    c: Context,
    error: GatewayError,
    opts: { reason?: string; status?: number; headers?: Record<string, string> } = {},
  ) => {
    if (opts.reason) metrics.refused(opts.reason);
    const headers: Record<string, string> = { ...opts.headers };
    if (error.kind === 'upstream_unavailable' || error.kind === 'rate_limited')
      headers['retry-after'] = String(error.retryAfter ?? 1);
    const status = opts.status ?? STATUS_BY_KIND[error.kind];
    // Refused before the relay read a signed target (size, signature, replay, unreadable): the
    // relay's own answer, with no origin to count it under.
    if (c.req.path === RELAY_PATH)
      return relayAnswer(c, { outcome: 'not-sent', origin: 'none', status, reason: error.message }, headers);
    return c.json(errorBody(error), status as 400, headers);
  };
  /** A relay answer the bridge writes itself (`not-sent`, `reply-lost`): `{reason}`, counted. */
  const relayAnswer = (
    c: Context,
    r: { outcome: RelayOutcome; origin: string; status: number; reason: string; retryAfter?: number },
    extra: Record<string, string> = {},
  ) => {
    metrics.relayCall(r.origin, r.outcome);
    const headers: Record<string, string> = { ...extra, [RELAY_OUTCOME_HEADER]: r.outcome };
    if (r.retryAfter !== undefined) headers['retry-after'] = String(r.retryAfter);
    return c.json({ reason: r.reason }, r.status as 400, headers);
  };
  const refuse = (c: Context, r: Refusal) => {
    logOf(c).warn('refused a request', { path: c.req.path, reason: r.reason, message: r.message });
    const error =
      r.status === 401
        ? new GatewayError('authentication', { message: r.message, retryable: false })
        : new GatewayError('upstream_unavailable', { message: r.message, notSent: true, retryAfter: 1 });
    return fail(c, error, { reason: r.reason, status: r.status });
  };

  const app = new Hono<SignedEnv>();
  // Reading the request is all that can throw outside the command handler's own catch (a client
  // that goes away mid-body, a request cut by requestTimeout): answer in kind, never a bare 500.
  app.onError((error, c) => {
    logOf(c).warn('could not read a request', { path: c.req.path, error: error.message });
    return fail(c, new GatewayError('invalid_request', { message: 'bridge: the request could not be read' }));
  });
  // Counted while the body streams, refused as soon as the cap is crossed (before any signature
  // work), and the connection is closed so the rest of the upload is never read.
  const limitBody = (maxSize: number): MiddlewareHandler => {
    const tooLarge = (c: Context) =>
      fail(
        c,
        new GatewayError('invalid_request', {
          message: `bridge: the body is larger than ${maxSize} bytes`,
        }),
        {
          reason: 'body_too_large',
          status: 413,
          headers: { connection: 'close' },
        },
      );
    const streamed = bodyLimit({ maxSize, onError: tooLarge });
    return (c, next) => {
      // A declared length is the whole body (Node's parser reads no byte past it), so it is judged
      // from the header alone. Hono's bodyLimit would first touch `c.req.raw.body`, which makes
      // @hono/node-server build a full web Request with its streams for every request: about
      // 20 KiB that each queued command then holds while it waits for a session
      // (docs/benchmark-methods.md, 35.com bridge). The body is then read straight from the socket.
      const length = c.req.header('content-length');
      if (length !== undefined && c.req.header('transfer-encoding') === undefined)
        return Number(length) > maxSize ? Promise.resolve(tooLarge(c)) : next();
      // Chunked (no length): counted while it streams, cut as soon as the cap is crossed.
      return streamed(c, next);
    };
  };
  const commandBodyLimit = limitBody(maxBodyBytes);
  // A relay request carries its body in base64 inside JSON; the decoded body is held to maxBodyBytes.
  const relayBodyLimit = limitBody(relayEnvelopeBytes(maxBodyBytes));
  app.use('*', (c, next) => (c.req.path === RELAY_PATH ? relayBodyLimit : commandBodyLimit)(c, next));
  app.use('/health', auth.localOrSigned(refuse));
  app.use('/metrics', auth.localOrSigned(refuse));
  app.get('/health', (c) => {
    const { ok, report } = healthOf(pools);
    return c.json(report, ok ? 200 : 503);
  });
  app.get('/metrics', (c) =>
    c.text(metrics.render(metricsViews(pools)), 200, { 'content-type': 'text/plain; version=0.0.4' }),
  );
  app.post(COMMAND_PATH, auth.signed(refuse), async (c) => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(c.var.body));
    } catch {
      return fail(c, new GatewayError('invalid_request', { message: 'bridge: the body is not JSON' }));
    }
    const parsed = bridgeCommandSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        c,
        new GatewayError('invalid_request', {
          message: `bridge: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
        }),
      );
    }
    const { account = DEFAULT_BRIDGE_ACCOUNT, ...request } = parsed.data;
    const target = pools.get(account);
    if (!target) {
      logOf(c).warn('refused a command for an account the bridge does not have', { account });
      // Not `not_found`: the worker reads that as "no such domain" (an inventory sync would mark
      // every domain gone). The worker's configuration names an account the bridge lacks: the
      // operator must fix one of the two lists, so the gateway's credentials count as refused.
      return fail(
        c,
        new GatewayError('authentication', {
          message: `bridge: no 35.com account "${account}" is configured on the bridge (BRIDGE_ACCOUNTS); not sent`,
          upstreamCode: UNKNOWN_ACCOUNT,
          retryable: false,
          notSent: true,
        }),
        { reason: 'unknown_account', status: 404 },
      );
    }
    const admitted = admitCommand(request);
    if (!admitted.ok) {
      const notAllowed = admitted.status === 403;
      if (notAllowed)
        logOf(c).warn('refused a command the gateway never sends', {
          account,
          category: request.category,
          action: request.action,
        });
      return fail(c, admitted.error, {
        status: admitted.status,
        reason: notAllowed ? 'not_allowed' : undefined,
      });
    }
    const { command, cltrid } = admitted;
    if (cltrid) {
      const reservation = sent.reserve(account, cltrid);
      if (reservation === 'already_sent') {
        logOf(c).warn('refused a second send of a money-spending command', {
          account,
          action: command.action,
          cltrid,
        });
        return fail(
          c,
          new GatewayError('conflict', {
            message: `bridge: ${command.action} with cltrid ${cltrid} was already sent to 35.com; this copy was not sent, and the first may have acted`,
            upstreamCode: ALREADY_SENT,
            retryable: false,
          }),
          { reason: 'already_sent' },
        );
      }
      if (reservation === 'full') {
        return fail(
          c,
          new GatewayError('upstream_unavailable', {
            message: 'bridge: too many money-spending commands to remember; not sent',
            notSent: true,
            retryAfter: 60,
          }),
          { reason: 'sent_memory_full' },
        );
      }
    }
    const started = Date.now();
    try {
      const r = await target.pool.submit(
        command,
        cltrid ? { cltrid, beforeWrite: () => sent.markSent(account, cltrid) } : {},
      );
      logOf(c).info('35.com command', {
        account,
        action: command.action,
        code: r.code,
        durationMs: Date.now() - started,
      });
      const reply: BridgeReply = {
        code: r.code,
        msg: r.msg,
        value: r.value,
        data: r.data,
        cltrid: r.cltrid ?? '',
        svtrid: r.svtrid ?? '',
      };
      return c.json(reply, 200);
    } catch (error) {
      const e =
        error instanceof GatewayError
          ? error
          : new GatewayError('transport', {
              message: 'bridge: unexpected failure',
              provider: 'com35',
              cause: error,
            });
      logOf(c).warn('35.com command failed', {
        account,
        action: command.action,
        kind: e.kind,
        error: e.message,
      });
      return fail(c, e);
    } finally {
      if (cltrid) sent.release(account, cltrid);
    }
  });

  app.post(RELAY_PATH, auth.signed(refuse), async (c) => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(c.var.body));
    } catch {
      return relayAnswer(c, {
        outcome: 'not-sent',
        origin: 'none',
        status: 400,
        reason: 'bridge: the body is not JSON; not sent',
      });
    }
    const parsed = relayRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return relayAnswer(c, {
        outcome: 'not-sent',
        origin: 'none',
        status: 400,
        reason: `bridge: ${issue?.path.join('.') || 'body'}: ${issue?.message}; not sent`,
      });
    }
    const request = parsed.data;
    const started = Date.now();
    const result = await relay.forward(request, (c.env as HttpBindings).outgoing);
    // The origin and the method only: a registrar's URL carries credentials in its query.
    const line = {
      account: request.account,
      method: request.method,
      origin: result.origin,
      outcome: result.outcome,
      status: result.status,
      durationMs: Date.now() - started,
      ...(result.reason ? { reason: result.reason } : {}),
    };
    if (result.outcome === 'relayed') logOf(c).info('relayed a call', line);
    else if (result.outcome === 'not-sent') logOf(c).warn('relay call not sent', line);
    else logOf(c).warn('relay call sent, reply lost', line);
    if (result.answered) {
      metrics.relayCall(result.origin, result.outcome);
      return RESPONSE_ALREADY_SENT;
    }
    return relayAnswer(c, { ...result, reason: result.reason ?? result.outcome });
  });

  const listenHost = config.listen?.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.listen?.port ?? 0,
        hostname: listenHost,
        serverOptions: {
          headersTimeout: headersTimeout,
          requestTimeout: requestTimeout,
          // Node checks both timeouts on this interval (default 30 s, far coarser than them).
          connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 2))),
        },
      },
      () => resolve(s as Server),
    );
  });
  server.maxConnections = config.maxConnections ?? d.maxConnections;
  const { port } = server.address() as AddressInfo;
  const url = `http://${listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost}:${port}`;
  logger.info('35.com bridge listening', {
    url,
    poolSize: tuning.poolSize,
    accounts: Object.entries(config.accounts).map(([name, a]) => `${name} → ${a.host}:${a.port}`),
    secrets: secrets.length,
    sentCltridsRemembered: sent.size,
  });
  let closed = false;
  return {
    url,
    accounts: pools,
    metrics,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      logger.info('35.com bridge stopped');
    },
  };
}
