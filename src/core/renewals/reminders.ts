/**
 * Daily reminders and alerts (cron `30 6 * * *`):
 * - every inventory domain expiring within a reminder window (default 30, 7, 1 days) gets one
 *   reminder per window and expiry: a domain renewed meanwhile has a new expiry, so a new cycle;
 * - every account whose balance is below its currency's threshold, or below the cost of the
 *   renewals due in the next `forecastDays`, gets one alert until the balance recovers.
 * "Once" is a row in `notifications_sent`, claimed before delivery and released if it failed.
 */
import type { Env } from '../../env';
import { configFor } from '../../env';
import { createAccounts } from '../accounts';
import { tldOf } from '../domain-name';
import { domainsExpiringBetween } from '../domains';
import { itemKey } from '../items';
import type { Logger } from '../log';
import type { Money } from '../model';
import { addAmounts, compareAmounts } from '../money';
import {
  claimNotification,
  type ExpiryReminder,
  type LowBalanceAlert,
  type Notifier,
  releaseNotification,
} from '../notifications';
import { servicesExpiringBetween } from '../services';
import { describeError } from './describe';
import { renewalPricesByTld } from './forecast';
import { reminderWindow, sameCurrency } from './policy';

const DAY_MS = 86_400_000;
/** Domains expired longer than this are past redemption: no more reminders. */
const EXPIRED_CUTOFF_DAYS = 45;

export interface ReminderRunResult {
  reminders: number;
  lowBalanceAlerts: number;
  failures: number;
}

export async function runReminders(
  env: Env,
  logger: Logger,
  notifier: Notifier,
  now = Date.now(),
): Promise<ReminderRunResult> {
  const config = configFor(env);
  const cfg = config.renewals;
  const result: ReminderRunResult = { reminders: 0, lowBalanceAlerts: 0, failures: 0 };
  const widest = Math.max(0, ...cfg.reminderWindowsDays);

  const from = new Date(now - EXPIRED_CUTOFF_DAYS * DAY_MS).toISOString();
  const to = new Date(now + widest * DAY_MS).toISOString();
  // Domains and services alike: a service's reminder names it by its key (`hosting:weipeng1`).
  const due: {
    domain: string;
    account: string;
    provider: string;
    expiresAt: string;
    kind?: ExpiryReminder['kind'];
    id?: string;
  }[] = [
    ...(await domainsExpiringBetween(env.DB, { from, to })),
    ...(await servicesExpiringBetween(env.DB, from, to)).flatMap((s) =>
      s.expiresAt
        ? [
            {
              domain: itemKey(s),
              account: s.account,
              provider: s.provider,
              expiresAt: s.expiresAt,
              kind: s.kind,
              id: s.id,
            },
          ]
        : [],
    ),
  ];

  for (const d of due) {
    const windowDays = reminderWindow(d.expiresAt, now, cfg.reminderWindowsDays);
    if (windowDays === undefined) continue;
    const subject = `${d.account}/${d.domain}`;
    const period = `${d.expiresAt.slice(0, 10)}/${windowDays}d`;
    const reminder: ExpiryReminder = {
      domain: d.domain,
      ...(d.kind ? { kind: d.kind, id: d.id } : {}),
      account: d.account,
      provider: d.provider,
      expiresAt: d.expiresAt,
      daysLeft: Math.floor((Date.parse(d.expiresAt) - now) / DAY_MS),
      windowDays,
    };
    if (!(await claimNotification(env.DB, 'expiry_reminder', subject, period, reminder))) continue;
    try {
      await notifier.reminder(env, reminder, logger);
      result.reminders++;
    } catch (error) {
      result.failures++;
      await releaseNotification(env.DB, 'expiry_reminder', subject, period);
      logger.warn('expiry reminder not delivered; will retry next run', {
        domain: d.domain,
        error: String(error),
      });
    }
  }

  const accounts = createAccounts(env, config, logger);
  for (const account of accounts.list()) {
    const provider = accounts.get(account.name);
    if (!provider.capabilities.has('getBalance')) continue;
    let alerts: LowBalanceAlert[];
    try {
      alerts = await lowBalanceAlerts(env, provider, cfg.lowBalanceThresholds, cfg.forecastDays, now);
    } catch (error) {
      logger.warn('balance check failed', { account: account.name, error: describeError(error) });
      continue;
    }
    for (const reason of ['below_threshold', 'below_upcoming_renewals'] as const) {
      const alert = alerts.find((a) => a.reason === reason);
      if (!alert) {
        // Recovered (or never low): the next drop alerts again.
        await releaseNotification(env.DB, 'low_balance', account.name, reason);
        continue;
      }
      if (!(await claimNotification(env.DB, 'low_balance', account.name, reason, alert))) continue;
      try {
        await notifier.lowBalance(env, alert, logger);
        result.lowBalanceAlerts++;
      } catch (error) {
        result.failures++;
        await releaseNotification(env.DB, 'low_balance', account.name, reason);
        logger.warn('low-balance alert not delivered; will retry next run', {
          account: account.name,
          error: String(error),
        });
      }
    }
  }
  logger.info('reminders run', { ...result });
  return result;
}

async function lowBalanceAlerts(
  env: Env,
  provider: ReturnType<ReturnType<typeof createAccounts>['get']>,
  thresholds: Record<string, string>,
  forecastDays: number,
  now: number,
): Promise<LowBalanceAlert[]> {
  const balance = await provider.getBalance({});
  const available = balance.available;
  const alerts: LowBalanceAlert[] = [];
  const base = { account: provider.account, provider: provider.key, available };

  const threshold = thresholds[available.currency.toUpperCase()];
  if (threshold !== undefined && compareAmounts(available.amount, threshold) < 0) {
    alerts.push({
      ...base,
      reason: 'below_threshold',
      threshold: { amount: threshold, currency: available.currency },
    });
  }

  const from = new Date(now).toISOString();
  const to = new Date(now + forecastDays * DAY_MS).toISOString();
  const upcoming = await domainsExpiringBetween(env.DB, { from, to, account: provider.account });
  // A service is priced by the 1-year quote its last sync kept (35.com GetPrice); points never count.
  const services = (await servicesExpiringBetween(env.DB, from, to)).filter(
    (s) => s.account === provider.account,
  );
  const due: Money[] = services.flatMap((s) => (s.renewalPrice ? [s.renewalPrice] : []));
  if (upcoming.length > 0 && provider.capabilities.has('getPrices')) {
    const prices = await renewalPricesByTld(provider, upcoming);
    for (const { domain } of upcoming) {
      const price = prices.get(tldOf(domain));
      if (price) due.push(price);
    }
  }
  let cost: Money = { amount: '0', currency: available.currency };
  let priced = 0;
  for (const price of due) {
    if (!sameCurrency(price, available)) continue;
    cost = { amount: addAmounts(cost.amount, price.amount), currency: cost.currency };
    priced++;
  }
  if (priced > 0 && compareAmounts(available.amount, cost.amount) < 0) {
    alerts.push({
      ...base,
      reason: 'below_upcoming_renewals',
      upcoming: { cost, domains: priced, days: forecastDays },
    });
  }
  return alerts;
}
