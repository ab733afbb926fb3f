/**
 * The money page: balances against forecast renewal spend (money.ts), and a price comparison of
 * one TLD across accounts (comparePrices, as GET /v1/prices): a GET form, so a comparison is a URL.
 */
import type { PriceComparison } from '../core/prices';
import type { Translate } from './i18n';
import { type Frame, Page } from './layout';
import { type AccountMoney, moneyList, type SpendForecast } from './money';

export interface MoneyView {
  accounts: AccountMoney[];
  /** The TLD field as typed (shown back in the form). */
  tld: string;
  comparison?: PriceComparison;
}

function ForecastCell({ forecast, t }: { forecast: SpendForecast; t: Translate }) {
  return (
    <td data-forecast={forecast.days} class={forecast.short ? 'soon' : undefined}>
      <span data-cost="">{forecast.cost.length > 0 ? moneyList(forecast.cost) : '0'}</span>
      <br />
      <span class="hint">
        {forecast.items} {t('itemsCount')}
        {forecast.unpriced > 0 && `, ${forecast.unpriced} ${t('unpriced').toLowerCase()}`}
      </span>
      {forecast.points !== '0' && (
        <>
          <br />
          <span class="hint" data-points="">
            {`${forecast.points} ${t('pointsUnit')} ${t('pointsNotInTotal')}`}
          </span>
        </>
      )}
      {forecast.short && <strong> {t('belowForecast')}</strong>}
    </td>
  );
}

function BalancesTable({ accounts, t }: { accounts: AccountMoney[]; t: Translate }) {
  return (
    <section class="table-wrap" tabindex={0} aria-label={t('balancesCaption')}>
      <table id="balances-table">
        <caption>{t('balancesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('account')}</th>
            <th scope="col">{t('registrar')}</th>
            <th scope="col">{t('balance')}</th>
            <th scope="col">{t('threshold')}</th>
            <th scope="col">{t('forecast30')}</th>
            <th scope="col">{t('forecast90')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr data-account={a.account}>
              <th scope="row">{a.account}</th>
              <td>{a.provider}</td>
              <td data-balance="" class={a.belowThreshold ? 'soon' : undefined}>
                {a.balance
                  ? `${a.balance.amount} ${a.balance.currency}`
                  : a.balanceProblem === 'unsupported'
                    ? t('noBalance')
                    : `${t('balanceUnavailable')}: ${a.balanceProblem}`}
                {a.belowThreshold && <strong> {t('belowThreshold')}</strong>}
              </td>
              <td data-threshold="">{a.threshold ? `${a.threshold.amount} ${a.threshold.currency}` : '—'}</td>
              {a.forecasts.map((f) => (
                <ForecastCell forecast={f} t={t} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Comparison({ comparison, t }: { comparison: PriceComparison; t: Translate }) {
  return (
    <>
      {comparison.prices.length === 0 ? (
        <p>{t('noPrices')}</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-label={t('comparePrices')}>
          <table id="prices-table">
            <caption>
              {t('renewalPricesOf')} .{comparison.tld} (
              {comparison.comparable ? t('cheapestFirst') : t('byCurrency')})
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('account')}</th>
                <th scope="col">{t('registrar')}</th>
                <th scope="col">{t('oneYear')}</th>
                {comparison.baseCurrency && (
                  <th scope="col">
                    {t('converted')} ({comparison.baseCurrency})
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {comparison.prices.map((q) => (
                <tr data-account={q.account}>
                  <th scope="row">{q.account}</th>
                  <td>{q.provider}</td>
                  <td data-price="">{`${q.price.amount} ${q.price.currency}`}</td>
                  {comparison.baseCurrency && <td>{q.converted ? q.converted.amount : '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {comparison.unavailable.length > 0 && (
        <>
          <h3>{t('noQuote')}</h3>
          <ul id="prices-unavailable">
            {comparison.unavailable.map((u) => (
              <li data-account={u.account}>
                {u.account} ({u.provider}): {u.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function MoneyPage({ frame, view }: { frame: Frame; view: MoneyView }) {
  const { t } = frame;
  return (
    <Page frame={frame} title={t('money')}>
      <h1>{t('money')}</h1>
      <section aria-labelledby="balances-heading">
        <h2 id="balances-heading">{t('balances')}</h2>
        <p class="hint">{t('balancesHelp')}</p>
        <BalancesTable accounts={view.accounts} t={t} />
      </section>
      <section aria-labelledby="compare-heading">
        <h2 id="compare-heading">{t('comparePrices')}</h2>
        <form method="get" action="/app/money" class="filters">
          <div class="fields">
            <div class="field">
              <label for="p-tld">{t('tld')}</label>
              <input
                id="p-tld"
                name="tld"
                type="text"
                value={view.tld}
                required
                aria-describedby="p-tld-hint"
              />
              <span id="p-tld-hint" class="hint">
                {t('tldHint')}
              </span>
            </div>
          </div>
          <div class="actions">
            <button type="submit">{t('compare')}</button>
          </div>
        </form>
        {view.comparison && <Comparison comparison={view.comparison} t={t} />}
      </section>
    </Page>
  );
}
