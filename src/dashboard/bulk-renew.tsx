/**
 * Bulk renew from the portfolio: the picked domains → a confirmation (account, years, price, the
 * total per currency) → one renewal intent per domain through `requestRenewal`, the engine every
 * door uses. The confirmation carries a one-time id; each domain's idempotency key is derived from
 * (that id, the domain), so a double submit, a reload or a replayed form joins the renewals the
 * first submit recorded and renews nothing twice.
 */
import { sha256Hex } from '../core/digest';
import { tldOf } from '../core/domain-name';
import { GatewayError, isGatewayError } from '../core/errors';
import type { Money } from '../core/model';
import { addAmounts } from '../core/money';
import type { ProviderLookup } from '../core/provider-lookup';
import {
  type EngineContext,
  FINAL_STATES,
  type Renewal,
  type RenewalState,
  requestRenewal,
} from '../core/renewals';
import { renewalPrice } from '../core/renewals/policy';
import { HeaderRow } from './fields';
import { type Frame, Page } from './layout';
import { CSRF_FIELD } from './session';

/** One confirmation at most this many domains: one screen page of the portfolio. */
export const BULK_LIMIT = 50;
const PICK = /^([a-z0-9-]{1,32})\/([^/\s]{1,253})$/;
const BATCH = /^[a-f0-9]{32}$/;

export interface BulkItem {
  account: string;
  domain: string;
  years: number;
}

export interface PricedItem extends BulkItem {
  price?: Money;
}

/** A checkbox's value: `account/domain` (neither holds a slash). */
export function pickValue(account: string, domain: string): string {
  return `${account}/${domain}`;
}

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

function wholeYears(text: string | undefined): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 1;
}

/**
 * The items of a posted form: `pick` (repeated) with, on the confirmation form, `years` beside
 * each. With `allYears` set (the "Apply to all" button) every row takes that many years.
 */
export function bulkItemsOf(body: Record<string, unknown>): BulkItem[] {
  const picks = list(body.pick);
  const years = list(body.years);
  const all = body.action === 'all' && typeof body.allYears === 'string' ? body.allYears : undefined;
  const seen = new Set<string>();
  const items: BulkItem[] = [];
  picks.forEach((pick, i) => {
    const match = PICK.exec(pick);
    if (!match)
      throw new GatewayError('invalid_request', { message: `not a domain of this portfolio: ${pick}` });
    if (seen.has(pick)) return;
    seen.add(pick);
    items.push({ account: match[1]!, domain: match[2]!, years: wholeYears(all ?? years[i]) });
  });
  if (items.length > BULK_LIMIT) {
    throw new GatewayError('invalid_request', { message: `at most ${BULK_LIMIT} domains at a time` });
  }
  return items;
}

/** The confirmation's one-time id: kept from the form it came from, else a new one. */
export function batchOf(body: Record<string, unknown>): string {
  const given = body.batch;
  return typeof given === 'string' && BATCH.test(given) ? given : crypto.randomUUID().replace(/-/g, '');
}

export function requireBatch(body: Record<string, unknown>): string {
  if (typeof body.batch !== 'string' || !BATCH.test(body.batch)) {
    throw new GatewayError('invalid_request', { message: 'the confirmation id is missing or malformed' });
  }
  return body.batch;
}

/** The idempotency key of one domain of one confirmation (scoped to the `dashboard` door by the engine). */
export async function bulkKey(batch: string, domain: string): Promise<string> {
  return `bulk-${batch}-${(await sha256Hex(domain)).slice(0, 32)}`;
}

/** Each row's renewal price from its account's price list (as the bot's summary reads it), or none. */
export async function priceItems(accounts: ProviderLookup, items: BulkItem[]): Promise<PricedItem[]> {
  const lists = new Map<string, Promise<Money | undefined>>();
  const priceOf = (item: BulkItem) => {
    const tld = tldOf(item.domain);
    const key = `${item.account} ${tld} ${item.years}`;
    let price = lists.get(key);
    if (!price) {
      price = (async () => {
        const provider = accounts.get(item.account);
        if (!provider.capabilities.has('getPrices')) return undefined;
        try {
          return renewalPrice(
            await provider.getPrices({ tld, operation: 'renew', years: item.years }, {}),
            tld,
            item.years,
          );
        } catch (error) {
          // An unreadable price list is "price unknown" on the page, not an error page.
          if (isGatewayError(error)) return undefined;
          throw error;
        }
      })();
      lists.set(key, price);
    }
    return price;
  };
  return Promise.all(items.map(async (item) => ({ ...item, price: await priceOf(item) })));
}

/** Sums per currency, in first-seen order, and how many rows have no price. */
export function totalsOf(items: PricedItem[]): { totals: Money[]; unknown: number } {
  const sums = new Map<string, string>();
  let unknown = 0;
  for (const { price } of items) {
    if (!price) unknown++;
    else sums.set(price.currency, addAmounts(sums.get(price.currency) ?? '0', price.amount));
  }
  return { totals: [...sums].map(([currency, amount]) => ({ amount, currency })), unknown };
}

const moneyText = (m: Money) => `${m.amount} ${m.currency}`;

export function ConfirmPage({ frame, batch, items }: { frame: Frame; batch: string; items: PricedItem[] }) {
  const { t, session } = frame;
  const { totals, unknown } = totalsOf(items);
  return (
    <Page frame={frame} title={t('confirmTitle')}>
      <h1>{t('confirmTitle')}</h1>
      {items.length === 0 ? (
        <p role="alert">{t('nothingSelected')}</p>
      ) : (
        <form method="post" action="/app/renewals/confirm">
          <input type="hidden" name={CSRF_FIELD} value={session?.csrfToken ?? ''} />
          <input type="hidden" name="batch" value={batch} />
          <p>{t('confirmHelp')}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <HeaderRow labels={[t('domain'), t('account'), t('years'), t('price')]} />
              </thead>
              <tbody>
                {items.map((item, i) => (
                  <tr>
                    <th scope="row">
                      {item.domain}
                      <input type="hidden" name="pick" value={pickValue(item.account, item.domain)} />
                    </th>
                    <td>{item.account}</td>
                    <td>
                      <input
                        type="number"
                        name="years"
                        min="1"
                        max="10"
                        value={String(item.years)}
                        aria-label={`${t('years')}: ${item.domain}`}
                        id={`years-${i}`}
                      />
                    </td>
                    <td class="num">{item.price ? moneyText(item.price) : t('priceUnknown')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" name="action" value="update">
            {t('updateTotals')}
          </button>
          <h2>{t('totalPerCurrency')}</h2>
          <ul class="totals">
            {totals.map((m) => (
              <li>{moneyText(m)}</li>
            ))}
            {unknown > 0 && (
              <li>
                {t('unknownPrices')}: {unknown}
              </li>
            )}
          </ul>
          <div class="field">
            <label for="all-years">{t('yearsForAll')}</label>
            <input id="all-years" type="number" name="allYears" min="1" max="10" value="1" />
          </div>
          <button type="submit" name="action" value="all">
            {t('applyToAll')}
          </button>
          <p>
            <button type="submit" class="primary" formaction="/app/renewals/submit">
              {t('confirmRenewal')}
            </button>
          </p>
        </form>
      )}
    </Page>
  );
}

/** What one row of a submitted confirmation became: a renewal, or the engine's refusal. */
export type BulkOutcome = BulkItem & ({ renewal: Renewal } | { refusal: string; renewalId?: string });

/** Records each item as one intent, in order; a refusal (conflict, unknown domain) stays on its row. */
export async function submitBulk(
  ctx: EngineContext,
  actor: string,
  batch: string,
  items: BulkItem[],
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const item of items) {
    try {
      const { renewal } = await requestRenewal(ctx, {
        domain: item.domain,
        account: item.account,
        years: item.years,
        idempotencyKey: await bulkKey(batch, item.domain),
        source: 'dashboard',
        actor,
      });
      outcomes.push({ ...item, renewal });
    } catch (error) {
      // requestRenewal records nothing when it throws: the row says why, the others go on.
      if (!isGatewayError(error)) throw error;
      outcomes.push({ ...item, refusal: error.message, renewalId: error.renewalId });
    }
  }
  return outcomes;
}

/** The progress table: each renewal's state, kept current by dashboard.js polling status.json. */
export function ProgressPage({ frame, outcomes }: { frame: Frame; outcomes: BulkOutcome[] }) {
  const { t } = frame;
  const ids = outcomes.flatMap((o) => ('renewal' in o ? [o.renewal.id] : []));
  const finals = outcomes.filter((o) => 'renewal' in o && isFinalState(o.renewal.state)).length;
  const done = finals === ids.length;
  const search = new URLSearchParams(ids.map((id): [string, string] => ['id', id])).toString();
  return (
    <Page frame={frame} title={t('progressTitle')}>
      <h1>{t('progressTitle')}</h1>
      <p
        role="status"
        id="progress-summary"
        data-status-url={done ? undefined : `/app/renewals/status.json?${search}`}
        data-all-final={t('allFinal')}
      >
        <span data-final-count>{finals}</span> {t('finalOf')} {ids.length}.{' '}
        <span data-progress-note>{done ? t('allFinal') : t('stillRunning')}</span>
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <HeaderRow labels={[t('domain'), t('account'), t('years'), t('state')]} />
          </thead>
          <tbody>
            {outcomes.map((o) => (
              <tr>
                <th scope="row">
                  {'renewal' in o ? <a href={`/app/renewals/${o.renewal.id}`}>{o.domain}</a> : o.domain}
                </th>
                <td>{o.account}</td>
                <td class="num">{o.years}</td>
                {'renewal' in o ? (
                  <td data-renewal={o.renewal.id}>
                    <span class={`state state-${o.renewal.state}`}>{o.renewal.state}</span>
                  </td>
                ) : (
                  <td>
                    {t('refused')}: {o.refusal}
                    {o.renewalId && (
                      <>
                        {' '}
                        (<a href={`/app/renewals/${o.renewalId}`}>{o.renewalId}</a>)
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!done && (
        <p>
          <a href={`/app/renewals/progress?${search}`}>{t('refresh')}</a>
        </p>
      )}
    </Page>
  );
}

export function isFinalState(state: RenewalState): boolean {
  return FINAL_STATES.has(state);
}
