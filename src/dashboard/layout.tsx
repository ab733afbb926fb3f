/**
 * The frame of every dashboard page: a skip link first in the focus order, a banner with the
 * main navigation, the language switch and the session's identity, then the page's <main>.
 * Styles and the little client code are static assets under /app/assets (public/app/assets).
 */
import type { Child } from 'hono/jsx';
import { HTML_LANG, type Language, type Translate } from './i18n';
import { CSRF_FIELD, type DashboardSession } from './session';

export const ASSET_BASE = '/app/assets';

export interface Frame {
  t: Translate;
  language: Language;
  session: DashboardSession | undefined;
  /** Where the language switch comes back to (a path under /app). */
  here: string;
}

function scopeList(session: DashboardSession): string {
  return [...session.principal.scopes].sort().join(', ');
}

function LanguageSwitch({ frame }: { frame: Frame }) {
  const other: Language = frame.language === 'en' ? 'zh' : 'en';
  return (
    <form method="post" action="/app/language" class="inline">
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="back" value={frame.here} />
      {frame.session && <input type="hidden" name={CSRF_FIELD} value={frame.session.csrfToken} />}
      <button
        type="submit"
        lang={HTML_LANG[other]}
        aria-label={`${frame.t('switchLanguage')}: ${frame.t('switchTo')}`}
      >
        {frame.t('switchTo')}
      </button>
    </form>
  );
}

/** A link of the main navigation, marked as the current page on its own path and its views. */
function NavLink({ frame, href, label }: { frame: Frame; href: string; label: string }) {
  const current = frame.here === href || frame.here.startsWith(`${href}?`);
  return (
    <li>
      <a href={href} aria-current={current ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

export function Page({ frame, title, children }: { frame: Frame; title: string; children: Child }) {
  const { t, session } = frame;
  return (
    <html lang={HTML_LANG[frame.language]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('appName')}`}</title>
        <link rel="stylesheet" href={`${ASSET_BASE}/dashboard.css`} />
        <script src={`${ASSET_BASE}/dashboard.js`} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <header class="banner">
          <p class="brand">{t('appName')}</p>
          {session && (
            <nav aria-label={t('mainNav')}>
              <ul>
                <li>
                  <a
                    href="/app"
                    aria-current={
                      frame.here.startsWith('/app?') || frame.here === '/app' ? 'page' : undefined
                    }
                  >
                    {t('navPortfolio')}
                  </a>
                </li>
                <NavLink frame={frame} href="/app/renewals" label={t('navRenewals')} />
                <NavLink frame={frame} href="/app/timeline" label={t('navTimeline')} />
                <NavLink frame={frame} href="/app/money" label={t('navMoney')} />
              </ul>
            </nav>
          )}
          <div class="tools">
            <LanguageSwitch frame={frame} />
            {session && (
              <>
                <p class="identity">
                  {t('signedInAs')} <strong>{session.principal.name}</strong> ({t('scopes')}:{' '}
                  {scopeList(session)})
                </p>
                <form method="post" action="/app/sign-out" class="inline">
                  <input type="hidden" name={CSRF_FIELD} value={session.csrfToken} />
                  <button type="submit">{t('signOut')}</button>
                </form>
              </>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
