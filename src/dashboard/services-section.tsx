/**
 * The portfolio's services beside its domains: hosting, mail and certificates from the service
 * inventory (core/services.ts), soonest expiry first, with each one's quoted 1-year renewal price
 * and, for a key with `renew`, its own Renew form. Hosting and mail renew from here (years, then a
 * confirmation); a certificate needs a CSR, which the dashboard does not take: the API does.
 */
import type { InventoryService } from '../core/services';
import { Pager } from './fields';
import type { Translate } from './i18n';
import { daysLeft, priceText } from './item-format';
import { CSRF_FIELD, type DashboardSession } from './session';

export interface ServicesView {
  items: InventoryService[];
  nextCursor?: string;
  /** Links of the services' own pager (the domains' page stays where it is). */
  firstHref?: string;
  nextHref?: string;
  now: Date;
}

/** Where the confirmation of one service's renewal is asked for. */
export const SERVICE_CONFIRM_PATH = '/app/services/renew/confirm';

function expiryText(s: InventoryService, t: Translate): string {
  if (s.expiresAt) return s.expiresAt.slice(0, 10);
  // MrDomain answers no expiry while a certificate is being issued.
  return s.kind === 'certificate' ? t('beingIssued') : t('unknown');
}

function RenewCell({ s, session, t }: { s: InventoryService; session: DashboardSession; t: Translate }) {
  if (s.kind === 'certificate') return <td class="hint">{t('certificateViaApi')}</td>;
  const label = `${t('years')}: ${s.kind} ${s.id} (${s.account})`;
  return (
    <td>
      <form method="post" action={SERVICE_CONFIRM_PATH} class="inline-renew">
        <input type="hidden" name={CSRF_FIELD} value={session.csrfToken} />
        <input type="hidden" name="account" value={s.account} />
        <input type="hidden" name="kind" value={s.kind} />
        <input type="hidden" name="id" value={s.id} />
        {/* No default: a renewal spends money, so the years are always typed. */}
        <input type="number" name="years" min="1" max="10" required aria-label={label} />
        <button type="submit">{t('renewService')}</button>
      </form>
    </td>
  );
}

function ServiceRow({
  s,
  now,
  t,
  session,
}: {
  s: InventoryService;
  now: Date;
  t: Translate;
  session?: DashboardSession;
}) {
  const left = daysLeft(s.expiresAt, now);
  return (
    <tr data-service={`${s.account}/${s.kind}/${s.id}`}>
      <td>{s.kind}</td>
      {/* Not a bare <th scope="row">: those name the domains' rows. */}
      <th scope="row" class="service-id">
        {s.id}
        {s.name !== s.id && <span class="hint"> ({s.name})</span>}
      </th>
      <td>{s.account}</td>
      <td>{s.provider}</td>
      <td>{expiryText(s, t)}</td>
      <td class={left !== undefined && left < 30 ? 'num soon' : 'num'}>{left ?? ''}</td>
      <td>
        {s.status}
        {/* The registrar's own word, for operators, on its own line to keep the table narrow. */}
        {s.rawStatus && s.rawStatus !== s.status && (
          <>
            <br />
            <span class="hint">{s.rawStatus}</span>
          </>
        )}
      </td>
      <td class="num" data-price="">
        {s.renewalPrice ? priceText(s.renewalPrice, t) : t('priceUnknown')}
      </td>
      {session && <RenewCell s={s} session={session} t={t} />}
    </tr>
  );
}

/** `session` is given only when the key may renew: it shows the Renew column. */
export function ServicesSection({
  view,
  t,
  session,
}: {
  view: ServicesView;
  t: Translate;
  session?: DashboardSession;
}) {
  return (
    <section aria-labelledby="services-heading">
      <h2 id="services-heading">{t('services')}</h2>
      {view.items.length === 0 ? (
        <p>{t('noServices')}</p>
      ) : (
        <div class="table-wrap">
          <table id="services-table">
            <caption>
              {t('pageOf')} {view.items.length}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('service')}</th>
                <th scope="col">{t('account')}</th>
                <th scope="col">{t('registrar')}</th>
                <th scope="col">{t('expiry')}</th>
                <th scope="col">{t('daysLeft')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('renewalPrice1y')}</th>
                {session && <th scope="col">{t('renew')}</th>}
              </tr>
            </thead>
            <tbody>
              {view.items.map((s) => (
                <ServiceRow s={s} now={view.now} t={t} session={session} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label={t('services')}
        first={view.firstHref}
        next={view.nextHref}
        firstLabel={t('firstPage')}
        nextLabel={t('nextPage')}
      />
    </section>
  );
}
