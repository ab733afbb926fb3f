/**
 * Daily reminders and low-balance alerts, delivered to a real HTTP receiver (the stand-in of
 * test/setup/alert-receiver.ts) through the alert webhook: each sent once per window, in the
 * billing callbacks' envelope (`{type, timestamp, data}`, the id in `webhook-id`).
 */
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAccounts } from '../../src/core/accounts';
import { requestRenewal, runReminders, sweepRenewals } from '../../src/core/renewals';
import { type Env, loadConfig } from '../../src/env';
import { notifier } from '../../src/index';
import { sim, workerEnv } from './helpers';
import {
  daysFromNow,
  pump,
  quietLogger,
  seedDomain,
  upstreamRenewals,
  waitForState,
} from './renewals-support';

const receiver = (workerEnv as Record<string, unknown>).ALERT_RECEIVER as string;
const DAY = 86_400_000;

interface Received {
  path: string;
  body: string;
  status: number;
  headers: Record<string, string>;
}

async function delivered(): Promise<Received[]> {
  const all = (await (await fetch(`${receiver}/__received`)).json()) as Received[];
  return all.filter((r) => r.path === '/alerts' && r.status === 200);
}

async function received(): Promise<
  Array<{ type: string; timestamp: string; data: Record<string, unknown> }>
> {
  return (await delivered()).map((r) => JSON.parse(r.body));
}

const ALERT_SECRET = `whsec_${btoa('test-alert-webhook-secret-0001')}`;

function alertEnv(vars: Record<string, string> = {}): Env {
  return {
    ...workerEnv,
    ALERT_WEBHOOK_URL: `${receiver}/alerts`,
    ALERT_WEBHOOK_SECRET: ALERT_SECRET,
    ...vars,
  } as Env;
}

async function inventory(domain: string, expiresAt: string, vanished = false) {
  const now = new Date().toISOString();
  await workerEnv.DB.prepare(
    `INSERT INTO domains (domain, account, provider, expires_at, first_seen, last_seen, vanished_at)
     VALUES (?, 'dynadot', 'dynadot', ?, ?, ?, ?)`,
  )
    .bind(domain, expiresAt, now, now, vanished ? now : null)
    .run();
}

describe('expiry reminders', () => {
  beforeEach(async () => {
    await fetch(`${receiver}/__received`, { method: 'DELETE' });
    await workerEnv.DB.batch([
      workerEnv.DB.prepare('DELETE FROM domains'),
      workerEnv.DB.prepare('DELETE FROM notifications_sent'),
    ]);
  });

  it('sends one reminder per domain and window, signed, and none twice', async () => {
    const now = Date.now();
    await inventory('soon.com', new Date(now + 5 * DAY).toISOString());
    await inventory('later.com', new Date(now + 20 * DAY).toISOString());
    await inventory('tomorrow.com', new Date(now + 0.5 * DAY).toISOString());
    await inventory('far.com', new Date(now + 100 * DAY).toISOString());
    await inventory('gone.com', new Date(now + 3 * DAY).toISOString(), true);
    const env = alertEnv({ REMINDER_WINDOWS_DAYS: '30,7,1', LOW_BALANCE_THRESHOLDS: '' });

    await runReminders(env, quietLogger, notifier, now);
    const first = (await received()).filter((e) => e.type === 'domain.expiring');
    expect(first.map((e) => [e.data.domain, e.data.windowDays]).sort()).toEqual([
      ['later.com', 30],
      ['soon.com', 7],
      ['tomorrow.com', 1],
    ]);
    // The billing callbacks' envelope, verified by the Standard Webhooks reference library.
    const raw = (await delivered()).find((r) => r.body.includes('"soon.com"'))!;
    expect(raw.headers['webhook-signature']).toMatch(/^v1,/);
    const verified = new Webhook(ALERT_SECRET).verify(raw.body, raw.headers) as Record<string, unknown>;
    expect(Object.keys(verified).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(verified).toMatchObject({ type: 'domain.expiring', data: { domain: 'soon.com', windowDays: 7 } });
    expect(raw.headers['webhook-id']).toMatch(/^expiring\.soon\.com\.\d{4}-\d{2}-\d{2}\.7d$/);

    await runReminders(env, quietLogger, notifier, now + 3_600_000);
    expect((await received()).filter((e) => e.type === 'domain.expiring')).toHaveLength(3);

    // Two weeks on: later.com enters the 7-day window, soon.com has expired (1-day window).
    await runReminders(env, quietLogger, notifier, now + 14 * DAY);
    const next = (await received()).filter((e) => e.type === 'domain.expiring').slice(3);
    expect(next.map((e) => [e.data.domain, e.data.windowDays]).sort()).toEqual([
      ['later.com', 7],
      ['soon.com', 1],
    ]);
  });

  it('retries a reminder whose delivery failed on the next run', async () => {
    const now = Date.now();
    await inventory('flaky.com', new Date(now + 6 * DAY).toISOString());
    await fetch(`${receiver}/__fail`, { method: 'POST', body: JSON.stringify({ count: 1, status: 500 }) });
    const env = alertEnv({ LOW_BALANCE_THRESHOLDS: '' });
    const failed = await runReminders(env, quietLogger, notifier, now);
    expect(failed.failures).toBeGreaterThanOrEqual(1);
    expect(await received()).toHaveLength(0);
    await runReminders(env, quietLogger, notifier, now);
    expect((await received()).map((e) => e.data.domain)).toContain('flaky.com');
  });
});

describe('low-balance alerts and the sweep', () => {
  beforeEach(async () => {
    await sim('dynadot').reset();
    await fetch(`${receiver}/__received`, { method: 'DELETE' });
    await workerEnv.DB.batch([
      workerEnv.DB.prepare('DELETE FROM domains'),
      workerEnv.DB.prepare('DELETE FROM notifications_sent'),
      workerEnv.DB.prepare('DELETE FROM renewals'),
    ]);
  });

  it('alerts once while the balance is below the threshold, and again after it recovered and fell', async () => {
    const low = alertEnv({ LOW_BALANCE_THRESHOLDS: 'USD=1000000' });
    const ok = alertEnv({ LOW_BALANCE_THRESHOLDS: 'USD=1' });
    const dynadotAlerts = async () =>
      (await received()).filter((e) => e.type === 'account.low_balance' && e.data.account === 'dynadot');

    await runReminders(low, quietLogger, notifier);
    await runReminders(low, quietLogger, notifier);
    expect(await dynadotAlerts()).toHaveLength(1);
    expect((await dynadotAlerts())[0]?.data).toMatchObject({ reason: 'below_threshold' });
    await runReminders(ok, quietLogger, notifier);
    await runReminders(low, quietLogger, notifier);
    expect(await dynadotAlerts()).toHaveLength(2);
  });

  it('alerts when the balance cannot pay the renewals due in the next 30 days', async () => {
    await sim('dynadot').call('balance', { amount: '1.00' });
    for (let i = 0; i < 3; i++) await inventory(`due-${i}.com`, daysFromNow(10 + i));
    await runReminders(alertEnv({ LOW_BALANCE_THRESHOLDS: '' }), quietLogger, notifier);
    const alerts = (await received()).filter(
      (e) => e.type === 'account.low_balance' && e.data.account === 'dynadot',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.data).toMatchObject({
      reason: 'below_upcoming_renewals',
      upcoming: { domains: 3, days: 30 },
    });
  });

  it('the hourly sweep re-drives a renewal whose queue message was lost', async () => {
    const expiresAt = daysFromNow(16);
    await seedDomain('dynadot', 'sweep-me.com', expiresAt);
    const old = new Date(Date.now() - 3_600_000).toISOString();
    await workerEnv.DB.prepare(
      `INSERT INTO renewals (id, domain, account, provider, expected_expiry, years, request_hash, state, source, actor, created_at, updated_at)
       VALUES ('rnw_swept', 'sweep-me.com', 'dynadot', 'dynadot', ?, 1, 'h', 'requested', 'api', 'test', ?, ?)`,
    )
      .bind(expiresAt.slice(0, 10), old, old)
      .run();
    expect(await sweepRenewals(workerEnv, quietLogger)).toBe(1);
    expect(await waitForState('rnw_swept')).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', 'sweep-me.com')).toHaveLength(1);
  });

  it('posts each final outcome to the alert webhook once the renewal is final', async () => {
    const expiresAt = daysFromNow(17);
    await seedDomain('dynadot', 'final-note.com', expiresAt);
    const p = pump({ ALERT_WEBHOOK_URL: `${receiver}/alerts` });
    const { renewal } = await requestRenewal(
      { env: p.env, accounts: createAccounts(p.env, loadConfig(p.env), quietLogger), logger: quietLogger },
      { domain: 'final-note.com', years: 1, expectedExpiry: expiresAt, source: 'api', actor: 'test' },
    );
    await p.drain();
    const finals = (await delivered()).filter((r) => JSON.parse(r.body).type === 'renewal.finalized');
    expect(finals).toHaveLength(1);
    // No secret: not signed, but the envelope and the id are the billing callbacks' ones.
    const [final] = finals;
    expect(final?.headers['webhook-id']).toBe(`${renewal.id}_confirmed`);
    expect(final?.headers['webhook-id']).toMatch(/^rnw_[0-9a-f]{32}_confirmed$/);
    expect(final?.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(final?.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(final!.body)).toEqual({
      type: 'renewal.finalized',
      timestamp: expect.any(String),
      data: expect.objectContaining({ id: renewal.id, state: 'confirmed', domain: 'final-note.com' }),
    });
  });
});

describe('services in reminders and the low-balance forecast', () => {
  beforeEach(async () => {
    await fetch(`${receiver}/__received`, { method: 'DELETE' });
    await workerEnv.DB.batch([
      workerEnv.DB.prepare('DELETE FROM domains'),
      workerEnv.DB.prepare('DELETE FROM services'),
      workerEnv.DB.prepare('DELETE FROM notifications_sent'),
    ]);
    await sim('com35').reset();
    await sim('mrdomain').reset();
  });

  async function syncServices(env: Env): Promise<void> {
    const accounts = createAccounts(env, loadConfig(env), quietLogger);
    const { syncInventory } = await import('../../src/core/inventory');
    const results = await syncInventory(env.DB, accounts, { logger: quietLogger });
    for (const account of ['com35', 'mrdomain']) {
      const r = results.find((x) => x.account === account);
      expect(r?.services?.error, account).toBeUndefined();
    }
  }

  it('a service expiring within a window gets its reminder, named by kind and id', async () => {
    // Simulator seeds: 35.com mail sim-mail.com in 45 days, host simzq1 in 120; MrDomain hosting
    // hosting-shop.com in 45, certificate 132442 in 30.
    const env = alertEnv({ REMINDER_WINDOWS_DAYS: '50', LOW_BALANCE_THRESHOLDS: '' });
    await syncServices(env);
    await runReminders(env, quietLogger, notifier);
    const expiring = (await received()).filter((e) => e.type === 'service.expiring');
    const keys = expiring.map((e) => `${e.data.account}/${e.data.domain}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'com35/mail:sim-mail.com',
        'mrdomain/hosting:hosting-shop.com',
        'mrdomain/certificate:132442',
      ]),
    );
    expect(keys).not.toContain('com35/hosting:simzq1');
    expect(expiring.find((e) => e.data.domain === 'mail:sim-mail.com')?.data).toMatchObject({
      kind: 'mail',
      id: 'sim-mail.com',
      windowDays: 50,
    });
    // Once per window: a second run sends none again.
    await runReminders(env, quietLogger, notifier);
    expect((await received()).filter((e) => e.type === 'service.expiring')).toHaveLength(expiring.length);
  });

  it('the forecast counts a service’s quoted renewal price, and never its points', async () => {
    // 35.com quotes its services at the sync: money for hosts and normal mail, points for exclusive-sale mail.
    const env = alertEnv({
      RENEWAL_FORECAST_DAYS: '100',
      LOW_BALANCE_THRESHOLDS: '',
      REMINDER_WINDOWS_DAYS: '1',
    });
    await syncServices(env);
    await sim('com35').call('balance', { amount: '300.00' });
    await runReminders(env, quietLogger, notifier);
    const alert = (await received()).find(
      (e) => e.type === 'account.low_balance' && e.data.account === 'com35',
    );
    expect(alert?.data).toMatchObject({ reason: 'below_upcoming_renewals' });
    const upcoming = alert?.data.upcoming as { cost: { amount: string; currency: string } };
    // sim-mail.com 220 + the traditional host simct1 (60 days) 180; the package's host cannot be
    // quoted (renewed with its package), the exclusive-sale mail's 1,100 points are not money.
    expect(upcoming.cost).toEqual({ amount: '400', currency: 'CNY' });
  });
});
