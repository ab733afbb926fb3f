/**
 * The renewals pages: the list (newest first, filtered by a GET form, keyset-paged) under the
 * queue of `needs_attention` renewals an operator must settle, and one renewal with its audit
 * trail. What they show is what `GET /v1/renewals` and `GET /v1/renewals/{id}` answer.
 */

import { ITEM_KINDS } from '../core/model';
import type { Renewal, RenewalEvent } from '../core/renewals';
import { RENEWAL_SOURCES, RENEWAL_STATES } from '../core/renewals';
import { hasScope } from '../handlers/auth';
import { HeaderRow, Pager, SelectField } from './fields';
import type { Translate } from './i18n';
import { itemLabel } from './item-format';
import { type Frame, Page } from './layout';
import { shortInstant } from './portfolio-page';
import { type RenewalsQuery, renewalsSearch } from './renewals-query';
import { CSRF_FIELD, type DashboardSession } from './session';

/** A `needs_attention` renewal with the last lines of its trail: what the engine checked. */
export interface AttentionItem {
  renewal: Renewal;
  lastChecks: RenewalEvent[];
}

export interface RenewalsView {
  query: RenewalsQuery;
  items: Renewal[];
  nextCursor?: string;
  attention: AttentionItem[];
  accounts: string[];
}

export function costOf(r: Renewal): string {
  return r.charged ? `${r.charged.amount} ${r.charged.currency}` : '';
}

function Field({ label, children }: { label: string; children: unknown }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The operator's decision on a `needs_attention` renewal: the API's resolve route, as a form. */
function SettleForm({ renewal, session, t }: { renewal: Renewal; session: DashboardSession; t: Translate }) {
  const id = (name: string) => `${name}-${renewal.id}`;
  return (
    <form method="post" action={`/app/renewals/${renewal.id}/resolve`} class="settle">
      <input type="hidden" name={CSRF_FIELD} value={session.csrfToken} />
      <fieldset>
        <legend>
          {t('outcomeAtRegistrar')}: {itemLabel(renewal)}
        </legend>
        <label>
          <input type="radio" name="outcome" value="confirmed" required /> {t('settleRenewed')}
        </label>
        <label>
          <input type="radio" name="outcome" value="failed" required /> {t('settleNotRenewed')}
        </label>
      </fieldset>
      <div class="field">
        <label for={id('note')}>{t('settleNote')}</label>
        <input id={id('note')} name="note" type="text" required maxlength={500} />
      </div>
      <div class="field">
        <label for={id('expiry')}>{t('settleNewExpiry')}</label>
        <input id={id('expiry')} name="newExpiry" type="date" />
      </div>
      <button type="submit">{t('settle')}</button>
    </form>
  );
}

function AttentionQueue({ view, frame }: { view: RenewalsView; frame: Frame }) {
  const { t, session } = frame;
  const mayDecide = session !== undefined && hasScope(session.principal, 'admin');
  return (
    <section aria-labelledby="attention-heading" class="attention">
      <h2 id="attention-heading">
        {t('needsAttention')} ({view.attention.length})
      </h2>
      {view.attention.length === 0 ? (
        <p>{t('noneNeedAttention')}</p>
      ) : (
        <>
          <p>{t('needsAttentionHelp')}</p>
          {view.attention.map(({ renewal, lastChecks }) => (
            <article aria-labelledby={`att-${renewal.id}`} class="card">
              <h3 id={`att-${renewal.id}`}>
                <a href={`/app/renewals/${renewal.id}`}>{itemLabel(renewal)}</a> · {renewal.account}
              </h3>
              <dl>
                <Field label={t('reason')}>{renewal.reason ?? ''}</Field>
                <Field label={t('expectedExpiry')}>{renewal.expectedExpiry}</Field>
                <Field label={t('years')}>{renewal.years}</Field>
                <Field label={t('askedBy')}>{`${renewal.actor} (${renewal.source})`}</Field>
                <Field label={t('attempts')}>{renewal.attempts}</Field>
              </dl>
              <h4>{t('lastChecks')}</h4>
              <ul>
                {lastChecks.map((e) => (
                  <li>
                    {shortInstant(e.at)} · {e.action}
                    {e.to ? ` → ${e.to}` : ''}
                  </li>
                ))}
              </ul>
              {mayDecide && session && <SettleForm renewal={renewal} session={session} t={t} />}
            </article>
          ))}
        </>
      )}
    </section>
  );
}

function Filters({ view, t }: { view: RenewalsView; t: Translate }) {
  const { query } = view;
  return (
    <form method="get" action="/app/renewals" class="filters" aria-labelledby="rf-heading">
      <h2 id="rf-heading">{t('filters')}</h2>
      <div class="fields">
        <SelectField
          id="rf-state"
          name="state"
          label={t('state')}
          anyLabel={t('anyState')}
          options={RENEWAL_STATES}
          selected={query.state}
        />
        <SelectField
          id="rf-source"
          name="source"
          label={t('door')}
          anyLabel={t('anyDoor')}
          options={RENEWAL_SOURCES}
          selected={query.source}
        />
        <SelectField
          id="rf-account"
          name="account"
          label={t('account')}
          anyLabel={t('anyAccount')}
          options={view.accounts}
          selected={query.account}
        />
        <SelectField
          id="rf-kind"
          name="kind"
          label={t('kind')}
          anyLabel={t('anyKind')}
          options={ITEM_KINDS}
          selected={query.kind}
        />
      </div>
      <div class="actions">
        <button type="submit">{t('apply')}</button>
        <a href="/app/renewals">{t('reset')}</a>
      </div>
    </form>
  );
}

export function RenewalsPage({ frame, view }: { frame: Frame; view: RenewalsView }) {
  const { t } = frame;
  const { query } = view;
  return (
    <Page frame={frame} title={t('renewals')}>
      <h1>{t('renewals')}</h1>
      <AttentionQueue view={view} frame={frame} />
      <Filters view={view} t={t} />
      <section aria-labelledby="renewals-heading">
        <h2 id="renewals-heading">{t('renewals')}</h2>
        {view.items.length === 0 ? (
          <p>{t('noRenewals')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>
                {t('pageOf')} {view.items.length}
              </caption>
              <thead>
                <HeaderRow
                  labels={[
                    t('item'),
                    t('kind'),
                    t('account'),
                    t('state'),
                    t('years'),
                    t('door'),
                    t('askedBy'),
                    t('cost'),
                    t('requestedAt'),
                  ]}
                />
              </thead>
              <tbody>
                {view.items.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/app/renewals/${r.id}`}>{r.item}</a>
                    </th>
                    <td data-kind="">{r.kind}</td>
                    <td>{r.account}</td>
                    <td>
                      <span class={`state state-${r.state}`}>{r.state}</span>
                    </td>
                    <td class="num">{r.years}</td>
                    <td>{r.source}</td>
                    <td>{r.actor}</td>
                    <td class="num">{costOf(r)}</td>
                    <td>{shortInstant(r.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          label={t('renewals')}
          first={query.cursor ? `/app/renewals${renewalsSearch(query)}` : undefined}
          next={view.nextCursor ? `/app/renewals${renewalsSearch(query, view.nextCursor)}` : undefined}
          firstLabel={t('firstPage')}
          nextLabel={t('nextPage')}
        />
        <p>
          <a
            href={`/app/renewals.csv${renewalsSearch({ ...query, cursor: undefined })}`}
            download="renewals.csv"
          >
            {t('downloadCsv')}
          </a>
        </p>
      </section>
    </Page>
  );
}

/** One renewal: what it is, who asked through which door, what it cost, and its whole trail. */
export function RenewalPage({
  frame,
  renewal,
  history,
}: {
  frame: Frame;
  renewal: Renewal;
  history: RenewalEvent[];
}) {
  const { t, session } = frame;
  const r = renewal;
  return (
    <Page frame={frame} title={`${t('renewal')} ${itemLabel(r)}`}>
      <h1>
        {t('renewal')}: {itemLabel(r)}
      </h1>
      <dl class="facts">
        <Field label="ID">{r.id}</Field>
        <Field label={t('kind')}>{r.kind}</Field>
        <Field label={t('item')}>{r.item}</Field>
        <Field label={t('state')}>
          <span class={`state state-${r.state}`}>{r.state}</span>
        </Field>
        <Field label={t('account')}>{`${r.account} (${r.provider})`}</Field>
        <Field label={t('years')}>{r.years}</Field>
        <Field label={t('expectedExpiry')}>{r.expectedExpiry}</Field>
        <Field label={t('newExpiry')}>{r.newExpiry ?? ''}</Field>
        <Field label={t('cost')}>{costOf(r)}</Field>
        <Field label={t('askedBy')}>{r.actor}</Field>
        <Field label={t('door')}>{r.source}</Field>
        <Field label={t('reason')}>{r.reason ?? ''}</Field>
        <Field label={t('attempts')}>{r.attempts}</Field>
        <Field label={t('registrarRef')}>
          {r.upstreamRef
            ? Object.entries(r.upstreamRef)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')
            : ''}
        </Field>
        <Field label={t('requestedAt')}>{shortInstant(r.createdAt)}</Field>
        <Field label={t('updatedAt')}>{shortInstant(r.updatedAt)}</Field>
      </dl>
      {r.state === 'needs_attention' && session && hasScope(session.principal, 'admin') && (
        <section aria-labelledby="settle-heading">
          <h2 id="settle-heading">{t('settle')}</h2>
          <p>{t('needsAttentionHelp')}</p>
          <SettleForm renewal={r} session={session} t={t} />
        </section>
      )}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('history')}</h2>
        {/* Wide (each line's detail): scrollable, so reachable by keyboard too. */}
        <div class="table-wrap history" tabindex={0}>
          <table>
            <thead>
              <HeaderRow
                labels={[t('when'), t('action'), t('change'), t('askedBy'), t('door'), t('detail')]}
              />
            </thead>
            <tbody>
              {history.map((e) => (
                <tr>
                  <td>{shortInstant(e.at)}</td>
                  <td>{e.action}</td>
                  <td>{e.from || e.to ? `${e.from ?? ''} → ${e.to ?? ''}` : ''}</td>
                  <td>{e.actor}</td>
                  <td>{e.source}</td>
                  <td>
                    <code>{e.detail ? JSON.stringify(e.detail) : ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p>
        <a href="/app/renewals">{t('renewals')}</a>
      </p>
    </Page>
  );
}
