/**
 * The Hono app: request id, per-request config/logger/accounts, one log line per request, the one
 * error mapper, and the routes of each front door mounted from their own modules.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { createAccounts } from '../core/accounts';
import { type ErrorKind, GatewayError, isGatewayError } from '../core/errors';
import { createLogger, createRedactor, isRequestId, type Logger, REQUEST_ID_HEADER } from '../core/log';
import { dashboardRoutes } from '../dashboard/routes';
import { configFor } from '../env';
import type { AppBindings } from './context';
import { docsRoutes } from './docs';
import { healthRoutes } from './health';
import { problemFromError, problemResponse } from './problem';
import { telegramRoutes } from './telegram';
import { v1Routes } from './v1/routes';
import { issueFields } from './validation';
import { billingWebhookRoutes } from './webhooks/billing';

export function createApp() {
  const app = new OpenAPIHono<AppBindings>({
    // Validation failures of any route become one problem+json naming each field.
    defaultHook: (result) => {
      if (!result.success) throw result.error;
    },
  });

  app.use('*', async (c, next) => {
    const started = Date.now();
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const requestId = isRequestId(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('providerCalls', []);
    c.header('x-request-id', requestId);
    // A logger without the config's secrets only for when the config cannot be read.
    let logger: Logger | undefined;
    try {
      const config = configFor(c.env);
      logger = createLogger({ secrets: config.secrets, level: config.logLevel, base: { requestId } });
      c.set('config', config);
      c.set('redact', createRedactor(config.secrets));
      c.set('logger', logger);
      const calls = c.get('providerCalls');
      c.set(
        'accounts',
        createAccounts(c.env, config, logger, { requestId, onUpstreamCall: (call) => calls.push(call) }),
      );
      await next();
    } finally {
      (logger ?? createLogger({ base: { requestId } })).info('request', {
        method: c.req.method,
        route: c.req.routePath,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        durationMs: Date.now() - started,
        providerCalls: c.get('providerCalls'),
      });
    }
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId');
    if (error instanceof HTTPException && error.res) {
      // A middleware built the whole answer (bearer-auth's 401 problem with its challenge).
      const response = error.getResponse();
      response.headers.set('x-request-id', requestId);
      return response;
    }
    const problem = problemFromError(toGatewayShape(error, c.req.header('content-type')), requestId);
    if (problem.status >= 500 && !isGatewayError(error)) {
      c.get('logger')?.error('unhandled error', {
        error: error instanceof Error ? error.stack : String(error),
      });
    }
    const response = problemResponse(problem, c.get('redact'));
    const retryAfter = isGatewayError(error) ? error.retryAfter : undefined;
    if (retryAfter !== undefined) response.headers.set('retry-after', String(retryAfter));
    response.headers.set('x-request-id', requestId);
    return response;
  });

  app.notFound((c) =>
    problemResponse(
      problemFromError(
        new GatewayError('not_found', {
          message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`,
        }),
        c.get('requestId'),
      ),
      // The detail echoes the path, where a caller may have pasted a key.
      c.get('redact'),
    ),
  );

  app.route('/', healthRoutes());
  app.route('/', docsRoutes());
  app.route('/v1', v1Routes());
  app.route('/', billingWebhookRoutes());
  app.route('/', telegramRoutes());
  // The operator dashboard: HTML pages over the same core functions (src/dashboard).
  app.route('/app', dashboardRoutes());

  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'Registrar gateway',
      version: c.get('config')?.version ?? '0',
      description: 'One API in front of 35.com, Dynadot, LogicBoxes, Alibaba Cloud Domain and MrDomain.',
    },
  }));

  return app;
}

export type App = ReturnType<typeof createApp>;

/** Hono's own HTTP refusals (its middleware and @hono/zod-openapi's media-type gate) as kinds. */
const BY_HTTP_STATUS: Readonly<Record<number, { kind: ErrorKind; code?: string }>> = {
  401: { kind: 'authentication' },
  403: { kind: 'permission' },
  404: { kind: 'not_found' },
  415: { kind: 'invalid_request', code: 'unsupported_media_type' },
  429: { kind: 'rate_limited' },
};

/**
 * zod, JSON-body and Hono's own HTTP errors become GatewayErrors, so one mapper handles all.
 * `contentType` is the request's, named in the 415 of a route that reads JSON.
 */
function toGatewayShape(error: unknown, contentType: string | undefined): unknown {
  if (error instanceof ZodError) {
    const fields = issueFields(error.issues);
    return new GatewayError('invalid_request', {
      message: fields.map((f) => `${f.field}: ${f.reason}`).join('; '),
      fields,
    });
  }
  if (error instanceof HTTPException) {
    const { kind, code } = BY_HTTP_STATUS[error.status] ?? { kind: 'invalid_request' };
    if (code !== 'unsupported_media_type')
      return new GatewayError(kind, { code, message: error.message || `HTTP ${error.status}` });
    const sent = contentType ? JSON.stringify(contentType.slice(0, 100)) : 'a body without a content type';
    return new GatewayError(kind, {
      code,
      message: `this route reads a JSON body (content-type: application/json), not ${sent}`,
    });
  }
  if (error instanceof SyntaxError) {
    return new GatewayError('invalid_request', { message: `the body is not valid JSON: ${error.message}` });
  }
  return error;
}
