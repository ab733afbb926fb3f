/**
 * The portfolio: one page of the inventory under the current filters (a GET form, so the view is
 * a URL), domains and then services (services-section.tsx), each with a link to its next page
 * (keyset cursor), the CSV of the whole view and the key's calendar feed. Rendered on the server
 * in the one response (no client-side fetching).
 */
import type { InventoryDomain } from '../core/domains';
import { ITEM_KINDS } from '../core/model';
import { hasScope } from '../handlers/auth';
import { DomainStatusSchema } from '../handlers/v1/common';
import { pickValue } from './bulk-renew';
import { Pager, SelectField } from './fields';
import type { Translate } from './i18n';
import { daysLeft } from './item-format';
import { type Frame, Page } from './layout';
import { type PortfolioQuery, viewSearch } from './portfolio-query';
import { ServicesSection, type ServicesView } from './services-section';
import { CSRF_FIELD } from './session';

export interface PortfolioView {
  query: PortfolioQuery;
  /** The domains' page; absent when the view is of one service kind. */
  domains?: { items: InventoryDomain[]; nextCursor?: string };
  /** The services' page; absent when the view is of domains only (see portfolio-query.ts). */
  services?: ServicesView;
  accounts: string[];
  /** Absolute URL of this key's iCal feed (none for a Cloudflare Access session: no key). */
  calendarUrl?: string;
  now: Date;
}

function yesNo(value: boolean | undefined, t: Translate): string {
  return value === undefined ? t('unknown') : value ? t('yes') : t('no');
}

/** `2027-03-01T10:00:00.000Z` → `2027-03-01 10:00 UTC`. */
export function shortInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function Filters({ view, t }: { view: PortfolioView; t: Translate }) {
  const { query } = view;
  return (
    <form method="get" action="/app" class="filters" aria-labelledby="filters-heading">
      <h2 id="filters-heading">{t('filters')}</h2>
      <div class="fields">
        <div class="field">
          <label for="f-q">{t('nameContains')}</label>
          <input id="f-q" name="q" type="search" value={query.q ?? ''} />
        </div>
        <SelectField
          id="f-account"
          name="account"
          label={t('account')}
          anyLabel={t('anyAccount')}
          options={view.accounts}
          selected={query.account}
        />
        <div class="field">
          <label for="f-tld">{t('tld')}</label>
          <input id="f-tld" name="tld" type="text" value={query.tld ?? ''} aria-describedby="f-tld-hint" />
          <span id="f-tld-hint" class="hint">
            {t('tldHint')}
          </span>
        </div>
        <div class="field">
          <label for="f-within">{t('expiringWithin')}</label>
          <input id="f-within" name="within" type="number" min="0" max="3650" value={query.within ?? ''} />
        </div>
        <div class="field">
          <label for="f-status">{t('status')}</label>
          <select id="f-status" name="status">
            <option value="">{t('anyStatus')}</option>
            {DomainStatusSchema.options.map((s) => (
              <option value={s} selected={s === query.status}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <SelectField
          id="f-kind"
          name="kind"
          label={t('kind')}
          anyLabel={t('anyKind')}
          options={ITEM_KINDS}
          selected={query.kind}
        />
        <div class="field">
          <label for="f-sort">{t('sortBy')}</label>
          <select id="f-sort" name="sort">
            <option value="name" selected={query.sort !== 'expiry'}>
              {t('sortName')}
            </option>
            <option value="expiry" selected={query.sort === 'expiry'}>
              {t('sortExpiry')}
            </option>
          </select>
        </div>
      </div>
      <div class="actions">
        <button type="submit">{t('apply')}</button>
        <a href="/app">{t('reset')}</a>
      </div>
    </form>
  );
}

function DomainRow({
  d,
  now,
  t,
  canRenew,
}: {
  d: InventoryDomain;
  now: Date;
  t: Translate;
  canRenew: boolean;
}) {
  const left = daysLeft(d.expiresAt, now);
  return (
    <tr>
      {canRenew && (
        <td>
          <input
            type="checkbox"
            name="pick"
            value={pickValue(d.account, d.domain)}
            data-days-left={left === undefined ? undefined : String(left)}
            aria-label={`${t('selectDomain')} ${d.domain} (${d.account})`}
          />
        </td>
      )}
      <th scope="row">{d.domain}</th>
      <td>{d.account}</td>
      <td>{d.provider}</td>
      <td>{d.expiresAt ? d.expiresAt.slice(0, 10) : t('unknown')}</td>
      <td class={left !== undefined && left < 30 ? 'num soon' : 'num'}>{left ?? ''}</td>
      <td>{yesNo(d.autoRenew, t)}</td>
      <td>{yesNo(d.locked, t)}</td>
      <td>{d.status.join(', ')}</td>
      <td>{shortInstant(d.lastSeen)}</td>
    </tr>
  );
}

export function PortfolioPage({ frame, view }: { frame: Frame; view: PortfolioView }) {
  const { t, session } = frame;
  const { query, domains } = view;
  // Bulk renew: the table is the form of the picks; keys without `renew` see no checkbox or button.
  const canRenew = session !== undefined && hasScope(session.principal, 'renew');
  return (
    <Page frame={frame} title={t('portfolio')}>
      <h1>{t('portfolio')}</h1>
      <Filters view={view} t={t} />
      {domains && (
        <section aria-labelledby="domains-heading">
          <h2 id="domains-heading">{t('domains')}</h2>
          {domains.items.length === 0 ? (
            <p>{t('noDomains')}</p>
          ) : (
            <form method="post" action="/app/renewals/confirm" id="bulk-renew">
              {canRenew && session && <input type="hidden" name={CSRF_FIELD} value={session.csrfToken} />}
              <div class="table-wrap">
                <table>
                  <caption>
                    {t('pageOf')} {domains.items.length}
                  </caption>
                  <thead>
                    <tr>
                      {canRenew && (
                        <th scope="col">
                          <span class="visually-hidden">{t('selectDomain')}</span>
                        </th>
                      )}
                      <th scope="col">{t('domain')}</th>
                      <th scope="col">{t('account')}</th>
                      <th scope="col">{t('registrar')}</th>
                      <th scope="col">{t('expiry')}</th>
                      <th scope="col">{t('daysLeft')}</th>
                      <th scope="col">{t('autoRenew')}</th>
                      <th scope="col">{t('lock')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('lastSync')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {domains.items.map((d) => (
                      <DomainRow d={d} now={view.now} t={t} canRenew={canRenew} />
                    ))}
                  </tbody>
                </table>
              </div>
              {canRenew && (
                <p class="bulk-actions" data-select-expiring={t('selectExpiring')}>
                  <button type="submit">{t('renewSelected')}</button>
                </p>
              )}
            </form>
          )}
          <Pager
            label={t('domains')}
            first={query.cursor ? `/app${viewSearch(query)}` : undefined}
            next={domains.nextCursor ? `/app${viewSearch(query, domains.nextCursor)}` : undefined}
            firstLabel={t('firstPage')}
            nextLabel={t('nextPage')}
          />
        </section>
      )}
      {view.services && (
        <ServicesSection view={view.services} t={t} session={canRenew ? session : undefined} />
      )}
      <section aria-labelledby="exports-heading">
        <h2 id="exports-heading">{t('exports')}</h2>
        <p>
          <a
            href={`/app/portfolio.csv${viewSearch({ ...query, cursor: undefined, scursor: undefined })}`}
            download="portfolio.csv"
          >
            {t('downloadCsv')}
          </a>
        </p>
        {view.calendarUrl && (
          <>
            <label for="calendar-url">{t('calendarFeed')}</label>
            <div class="copy-row">
              <input
                id="calendar-url"
                type="text"
                readonly
                value={view.calendarUrl}
                data-copy-label={t('copy')}
                data-copied-label={t('copied')}
                aria-describedby="calendar-help"
              />
            </div>
            <p id="calendar-help" class="hint">
              {t('calendarHelp')}
            </p>
          </>
        )}
      </section>
    </Page>
  );
}
