/**
 * The dashboard door, mounted at /app: it parses forms and query strings, authenticates with the
 * session cookie, calls core (the same functions the REST API calls) and renders HTML. Its errors
 * are mapped once, here, to an HTML page with the status the API would give the same error.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { languageDetector } from 'hono/language';
import { secureHeaders } from 'hono/secure-headers';
import { normalizeTld } from '../core/domain-name';
import { inventoryAccounts, listInventory } from '../core/domains';
import { GatewayError, isGatewayError } from '../core/errors';
import { comparePrices } from '../core/prices';
import { listServices } from '../core/services';
import { hasScope, principalForToken } from '../handlers/auth';
import { problemFromError } from '../handlers/problem';
import { ErrorPage } from './error-page';
import { calendarRoutes, portfolioCsv } from './exports';
import {
  baseLanguage,
  isLanguage,
  LANGUAGE_COOKIE,
  LANGUAGES,
  type Language,
  type MessageKey,
  translator,
} from './i18n';
import type { Frame } from './layout';
import { accountsMoney } from './money';
import { MoneyPage } from './money-page';
import { PortfolioPage } from './portfolio-page';
import {
  inventoryFilter,
  parsePortfolioQuery,
  SCREEN_PAGE_SIZE,
  serviceFilter,
  showsDomains,
  showsServices,
  viewSearch,
} from './portfolio-query';
import { registerRenewalPages } from './renewal-routes';
import { registerServiceRenewal } from './service-renew';
import {
  type DashboardBindings,
  dashboardCookieOptions,
  endSession,
  loadSession,
  requireFormToken,
  requireSession,
  startSession,
} from './session';
import { SignInPage } from './sign-in-page';
import { buildTimeline, TIMELINE_DAYS } from './timeline';
import { TimelinePage } from './timeline-page';
import { calendarToken } from './tokens';
import { upcomingRenewals } from './upcoming';

const ONE_YEAR = 365 * 24 * 60 * 60;

function frameOf(c: Context<DashboardBindings>): Frame {
  const detected = c.get('language');
  const language: Language = isLanguage(detected) ? detected : 'en';
  const url = new URL(c.req.url);
  return {
    t: translator(language),
    language,
    session: c.get('session'),
    here: `${url.pathname}${url.search}`,
  };
}

/** Only a path of this dashboard: the language switch must not become an open redirect. */
function backPath(value: unknown): string {
  return typeof value === 'string' && /^\/app(?:[/?]|$)/.test(value) && !value.startsWith('//')
    ? value
    : '/app';
}

/** The HTML answer to an error: the status the REST API would give it, a message from the catalogue. */
function errorResponse(c: Context<DashboardBindings>, error: unknown) {
  const frame = frameOf(c);
  if (error instanceof HTTPException) {
    // hono's csrf middleware: a form posted from another origin.
    const message: MessageKey = error.status === 403 ? 'csrfRefused' : 'badRequest';
    return c.html(<ErrorPage frame={frame} message={message} />, error.status);
  }
  const problem = problemFromError(error, c.get('requestId'));
  if (problem.status >= 500 && !isGatewayError(error)) {
    c.get('logger')?.error('unhandled error', {
      error: error instanceof Error ? error.stack : String(error),
    });
  }
  const status = problem.status as 400 | 401 | 403 | 404 | 409 | 500 | 501;
  const csrfRefusal = isGatewayError(error) && error.code === 'csrf';
  const message: MessageKey = csrfRefusal
    ? 'csrfRefused'
    : status === 403
      ? 'forbidden'
      : status === 404
        ? 'notFound'
        : status === 400
          ? 'badRequest'
          : status === 409
            ? 'renewalRefused'
            : 'errorTitle';
  // A bad request, a refusal (409: in progress, recently renewed) and an unsupported item (501)
  // say why in the API's words.
  const explained = status === 400 || status === 409 || status === 501;
  const details = explained ? [c.get('redact')(problem.detail)] : undefined;
  return c.html(<ErrorPage frame={frame} message={message} details={details} />, status);
}

export function dashboardRoutes() {
  const app = new Hono<DashboardBindings>();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    // Pages show a portfolio and carry a CSRF token: never kept by a shared cache.
    c.header('cache-control', 'no-store');
  });
  app.use(
    '*',
    languageDetector({
      supportedLanguages: [...LANGUAGES],
      fallbackLanguage: 'en',
      order: ['cookie', 'header'],
      lookupCookie: LANGUAGE_COOKIE,
      caches: false,
      convertDetectedLanguage: baseLanguage,
    }),
  );
  // Every state-changing form: its Origin must be this origin (hono's csrf), then the session's token.
  app.use('*', csrf());
  app.use('*', loadSession());
  app.onError((error, c) => errorResponse(c, error));

  app.get('/sign-in', (c) => {
    const notice: MessageKey | undefined = !c.get('sessionKey')
      ? 'notConfigured'
      : c.req.query('ended') || c.get('sessionEnded')
        ? 'sessionEnded'
        : undefined;
    if (c.get('session')) return c.redirect('/app', 303);
    return c.html(<SignInPage frame={frameOf(c)} notice={notice} />);
  });

  app.post('/sign-in', async (c) => {
    const key = c.get('sessionKey');
    if (!key) return c.html(<SignInPage frame={frameOf(c)} notice="notConfigured" />, 503);
    const body = await c.req.parseBody();
    const token = typeof body.key === 'string' ? body.key.trim() : '';
    const principal = token
      ? await principalForToken(token, c.get('config').adminApiKey, c.env.DB)
      : undefined;
    if (!principal) return c.html(<SignInPage frame={frameOf(c)} notice="badKey" />, 401);
    if (!hasScope(principal, 'read'))
      return c.html(<SignInPage frame={frameOf(c)} notice="noReadScope" />, 403);
    await startSession(c, key, principal);
    return c.redirect('/app', 303);
  });

  app.post('/sign-out', requireFormToken(), (c) => {
    const viaAccess = c.get('session')?.viaAccess;
    endSession(c);
    // Access would sign the next request in again: its own logout ends the Access session.
    return c.redirect(viaAccess ? '/cdn-cgi/access/logout' : '/app/sign-in', 303);
  });

  app.post('/language', requireFormToken(), async (c) => {
    const body = await c.req.parseBody();
    if (isLanguage(body.lang)) setCookie(c, LANGUAGE_COOKIE, body.lang, dashboardCookieOptions(c, ONE_YEAR));
    return c.redirect(backPath(body.back), 303);
  });

  app.get('/', requireSession('read'), async (c) => {
    const parsed = parsePortfolioQuery(c.req.query());
    if (!parsed.ok) {
      throw new GatewayError('invalid_request', { message: parsed.problems.join('; ') });
    }
    const session = c.get('session')!;
    const key = c.get('sessionKey')!;
    const { query } = parsed;
    const [domains, services, accounts, token] = await Promise.all([
      showsDomains(query) ? listInventory(c.env.DB, inventoryFilter(query, SCREEN_PAGE_SIZE)) : undefined,
      showsServices(query) ? listServices(c.env.DB, serviceFilter(query, SCREEN_PAGE_SIZE)) : undefined,
      inventoryAccounts(c.env.DB),
      // A calendar URL names an API key; an Access user has none, so no feed.
      session.viaAccess ? undefined : calendarToken(key, session.keyRef),
    ]);
    const origin = new URL(c.req.url).origin;
    const now = new Date();
    const view = {
      query,
      domains,
      services: services && {
        ...services,
        firstHref: query.scursor ? `/app${viewSearch(query, query.cursor, undefined)}` : undefined,
        nextHref: services.nextCursor
          ? `/app${viewSearch(query, query.cursor, services.nextCursor)}`
          : undefined,
        now,
      },
      accounts,
      calendarUrl: token && `${origin}/app/calendar/${token}.ics`,
      now,
    };
    return c.html(<PortfolioPage frame={frameOf(c)} view={view} />);
  });

  app.get('/portfolio.csv', requireSession('read'), portfolioCsv);

  app.get('/timeline', requireSession('read'), async (c) => {
    const now = Date.now();
    const upcoming = await upcomingRenewals(
      c.env.DB,
      c.get('accounts'),
      now,
      TIMELINE_DAYS,
      c.req.raw.signal,
    );
    const timeline = buildTimeline(upcoming, now);
    const redact = c.get('redact');
    timeline.problems = timeline.problems.map((p) => ({ ...p, message: redact(p.message) }));
    return c.html(<TimelinePage frame={frameOf(c)} timeline={timeline} />);
  });

  app.get('/money', requireSession('read'), async (c) => {
    const tld = c.req.query('tld')?.trim() ?? '';
    const normalized = tld ? normalizeTld(tld) : undefined;
    if (normalized && !normalized.ok) {
      throw new GatewayError('invalid_request', { message: `tld: not a TLD: ${normalized.reason}` });
    }
    const config = c.get('config');
    const signal = c.req.raw.signal;
    const [accounts, comparison] = await Promise.all([
      accountsMoney(c.env.DB, c.get('accounts'), config.renewals.lowBalanceThresholds, Date.now(), signal),
      normalized?.ok
        ? comparePrices(c.get('accounts'), {
            tld: normalized.name,
            operation: 'renew',
            years: 1,
            rates: config.prices,
            signal,
          })
        : undefined,
    ]);
    const redact = c.get('redact');
    const view = {
      tld,
      comparison: comparison && {
        ...comparison,
        unavailable: comparison.unavailable.map((u) => ({ ...u, message: redact(u.message) })),
      },
      accounts: accounts.map((a) => ({
        ...a,
        balanceProblem: a.balanceProblem && redact(a.balanceProblem),
        priceProblem: a.priceProblem && redact(a.priceProblem),
      })),
    };
    return c.html(<MoneyPage frame={frameOf(c)} view={view} />);
  });
  app.route('/calendar', calendarRoutes());
  registerRenewalPages(app, frameOf);
  registerServiceRenewal(app, frameOf);

  app.all('*', (c) => errorResponse(c, new GatewayError('not_found', { message: 'no such page' })));
  return app;
}
