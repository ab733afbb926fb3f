/**
 * The bridge's HTTP face (Hono on @hono/node-server): the worker's only way to 35.com.
 *
 *   POST /v1/com35/command  signed JSON {category, action, params} → {code, msg, value, data, cltrid, svtrid}
 *   GET  /health            sessions up, queue depth (no secrets)
 *   GET  /metrics           Prometheus text
 *
 * Every failure is a JSON `{error: {kind, message, retryable, …}}` in the gateway's error
 * vocabulary, so the worker can rebuild the same GatewayError (`outcome_unknown` survives the hop).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type ErrorKind, GatewayError } from '../core/errors';
import { createLogger, type Logger } from '../core/log';
import {
  type BridgeErrorBody,
  type BridgeReply,
  bridgeCommandSchema,
  COMMAND_PATH,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyBridgeRequest,
} from '../providers/com35/bridge-protocol';
import { BridgeMetrics } from './metrics';
import { type IdlePolicy, type PoolConfig, SessionPool } from './pool';

export interface BridgeConfig {
  com35: { host: string; port: number; clid: string; password: string };
  secret: string;
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
  logger?: Logger;
}

export const BRIDGE_DEFAULTS = {
  poolSize: 2,
  queueMax: 1000,
  queueTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  readTimeoutMs: 60_000,
  maxMessageBytes: 1024 * 1024,
  // 150 per session (L229), whether Login/Logout count is unsaid: 148 + Login + Logout ≤ 150.
  sessionCommandBudget: 148,
  idlePolicy: 'keepalive' as IdlePolicy,
  idleMs: 60_000,
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
};

export interface RunningBridge {
  url: string;
  pool: SessionPool;
  metrics: BridgeMetrics;
  /** Refuse new work, Logout every session, stop listening. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

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

export async function startBridge(config: BridgeConfig): Promise<RunningBridge> {
  const logger =
    config.logger ??
    createLogger({
      level: 'info',
      secrets: [config.secret, config.com35.password],
      base: { app: 'com35-bridge' },
    });
  const d = BRIDGE_DEFAULTS;
  const poolConfig: PoolConfig = {
    ...config.com35,
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
  const metrics = new BridgeMetrics();
  const pool = new SessionPool(poolConfig, metrics);
  pool.start();

  const app = new Hono();
  app.get('/health', (c) => {
    const s = pool.status();
    return c.json({ status: s.sessionsUp > 0 ? 'ok' : 'degraded', ...s }, s.sessionsUp > 0 ? 200 : 503);
  });
  app.get('/metrics', (c) => {
    const s = pool.status();
    return c.text(
      metrics.render({ sessionsUp: s.sessionsUp, queueDepth: s.queueDepth, inFlight: s.inFlight }),
      200,
      {
        'content-type': 'text/plain; version=0.0.4',
      },
    );
  });
  app.post(COMMAND_PATH, async (c) => {
    // A command is a few hundred bytes; refuse anything huge before reading or hashing it.
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) {
      return c.json(
        errorBody(new GatewayError('invalid_request', { message: 'bridge: the body is too large' })),
        413,
      );
    }
    const body = await c.req.text();
    if (body.length > MAX_BODY_BYTES) {
      return c.json(
        errorBody(new GatewayError('invalid_request', { message: 'bridge: the body is too large' })),
        413,
      );
    }
    const refused = await verifyBridgeRequest(
      config.secret,
      { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) },
      body,
      Math.floor(Date.now() / 1000),
    );
    if (refused) {
      logger.warn('refused an unsigned or badly signed request', { reason: refused });
      return c.json(
        errorBody(new GatewayError('authentication', { message: `bridge: ${refused}`, retryable: false })),
        401,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return c.json(
        errorBody(new GatewayError('invalid_request', { message: 'bridge: the body is not JSON' })),
        400,
      );
    }
    const parsed = bridgeCommandSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json(
        errorBody(
          new GatewayError('invalid_request', {
            message: `bridge: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
          }),
        ),
        400,
      );
    }
    const started = Date.now();
    try {
      const r = await pool.submit(parsed.data);
      logger.info('35.com command', {
        action: parsed.data.action,
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
      logger.warn('35.com command failed', { action: parsed.data.action, kind: e.kind, error: e.message });
      const headers: Record<string, string> = {};
      if (e.kind === 'upstream_unavailable' || e.kind === 'rate_limited')
        headers['retry-after'] = String(e.retryAfter ?? 1);
      return c.json(errorBody(e), STATUS_BY_KIND[e.kind] as 400, headers);
    }
  });

  const listenHost = config.listen?.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.listen?.port ?? 0, hostname: listenHost }, () =>
      resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost}:${port}`;
  logger.info('35.com bridge listening', {
    url,
    poolSize: poolConfig.poolSize,
    target: `${config.com35.host}:${config.com35.port}`,
  });
  let closed = false;
  return {
    url,
    pool,
    metrics,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.close();
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      logger.info('35.com bridge stopped');
    },
  };
}
