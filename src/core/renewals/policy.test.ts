import { describe, expect, it } from 'vitest';
import { orThrow, parsePart } from '../config-declaration';
import { reconcileDelay, renewalSettings } from './config';
import { isRefusal, judgeExpiry, reminderWindow, renewalPrice, resubmissionIsSafe } from './policy';

describe('judgeExpiry', () => {
  it('sees an unchanged expiry on the same UTC day, whatever the hour', () => {
    expect(judgeExpiry('2027-03-01T16:00:00.000Z', '2027-03-01', 1)).toBe('unchanged');
  });

  it('sees a renewal when the expiry moved by the years asked', () => {
    expect(judgeExpiry('2028-03-01T00:00:00.000Z', '2027-03-01', 1)).toBe('renewed');
    expect(judgeExpiry('2030-03-01T23:59:59.000Z', '2027-03-01', 3)).toBe('renewed');
  });

  it('accepts 28 February or 1 March for a 29 February expiry renewed into a common year', () => {
    expect(judgeExpiry('2029-02-28T00:00:00.000Z', '2028-02-29', 1)).toBe('renewed');
    expect(judgeExpiry('2029-03-01T00:00:00.000Z', '2028-02-29', 1)).toBe('renewed');
  });

  it('calls anything else "other": renewed by another amount, or moved by someone else', () => {
    expect(judgeExpiry('2029-03-01T00:00:00.000Z', '2027-03-01', 1)).toBe('other');
    expect(judgeExpiry('2027-06-01T00:00:00.000Z', '2027-03-01', 1)).toBe('other');
  });
});

describe('isRefusal', () => {
  it('treats guard refusals, funds and invalid requests as proof that nothing was spent', () => {
    for (const kind of [
      'conflict',
      'insufficient_funds',
      'not_found',
      'invalid_request',
      'permission',
    ] as const) {
      expect(isRefusal(kind)).toBe(true);
    }
  });

  it('never treats a lost or unreadable reply as a refusal', () => {
    for (const kind of [
      'outcome_unknown',
      'transport',
      'protocol',
      'upstream_unavailable',
      'rate_limited',
    ] as const) {
      expect(isRefusal(kind)).toBe(false);
    }
    expect(isRefusal(undefined)).toBe(false);
  });
});

describe('resubmissionIsSafe', () => {
  it('allows resubmission only at registrars with a current-expiry guard', () => {
    expect(resubmissionIsSafe('logicboxes')).toBe(true);
    expect(resubmissionIsSafe('mrdomain')).toBe(true);
    expect(resubmissionIsSafe('alibaba')).toBe(true);
    expect(resubmissionIsSafe('dynadot')).toBe(false);
    expect(resubmissionIsSafe('com35')).toBe(false);
  });
});

describe('renewalPrice', () => {
  const prices = [
    { tld: '.com', operation: 'renew' as const, years: 1, amount: { amount: '10.99', currency: 'USD' } },
    { tld: 'com', operation: 'register' as const, years: 1, amount: { amount: '8.99', currency: 'USD' } },
    { tld: 'net', operation: 'renew' as const, years: 2, amount: { amount: '25.00', currency: 'USD' } },
  ];

  it('multiplies the one-year renew price when no multi-year price is listed', () => {
    expect(renewalPrice(prices, 'com', 3)).toEqual({ amount: '32.97', currency: 'USD' });
  });

  it('prefers the registrar’s own multi-year price', () => {
    expect(renewalPrice(prices, 'net', 2)).toEqual({ amount: '25.00', currency: 'USD' });
  });

  it('gives nothing for a TLD without a renew price', () => {
    expect(renewalPrice(prices, 'org', 1)).toBeUndefined();
    expect(renewalPrice(prices, 'net', 1)).toBeUndefined();
  });
});

describe('reminderWindow', () => {
  const now = Date.parse('2027-01-01T06:30:00Z');
  const windows = [30, 7, 1];

  it('puts a domain in the tightest window that contains its expiry', () => {
    expect(reminderWindow('2027-01-25T00:00:00Z', now, windows)).toBe(30);
    expect(reminderWindow('2027-01-05T00:00:00Z', now, windows)).toBe(7);
    expect(reminderWindow('2027-01-01T20:00:00Z', now, windows)).toBe(1);
  });

  it('puts an already expired domain in the tightest window, and a far one in none', () => {
    expect(reminderWindow('2026-12-30T00:00:00Z', now, windows)).toBe(1);
    expect(reminderWindow('2027-03-01T00:00:00Z', now, windows)).toBeUndefined();
  });
});

describe('the renewal settings', () => {
  const renewalConfig = (vars: Record<string, string>) => orThrow(parsePart(renewalSettings, vars));

  it('has defaults for everything', () => {
    const cfg = renewalConfig({});
    expect(cfg.reminderWindowsDays).toEqual([30, 7, 1]);
    expect(cfg.reconcileDelaysSeconds).toEqual([10, 30, 120, 600, 1800, 3600]);
    expect(cfg.maxChecks).toBe(12);
    expect(cfg.lowBalanceThresholds).toEqual({});
    expect(cfg.sweepAfterSeconds).toBe(300);
    expect(renewalConfig({ RENEWAL_SWEEP_AFTER_SECONDS: '10' }).sweepAfterSeconds).toBe(10);
  });

  it('reads lists and thresholds', () => {
    const cfg = renewalConfig({
      REMINDER_WINDOWS_DAYS: '1, 14,60',
      RENEWAL_RECONCILE_DELAYS: '1,2',
      LOW_BALANCE_THRESHOLDS: 'usd=50, CNY:300.5',
    });
    expect(cfg.reminderWindowsDays).toEqual([60, 14, 1]);
    expect(cfg.lowBalanceThresholds).toEqual({ USD: '50', CNY: '300.5' });
    expect([0, 1, 2, 9].map((i) => reconcileDelay(cfg, i))).toEqual([1, 2, 2, 2]);
  });

  it('refuses nonsense, naming every variable, instead of falling back to a default nobody chose', () => {
    const problems = (vars: Record<string, string>) => {
      const result = parsePart(renewalSettings, vars);
      return result.ok ? [] : result.problems.map((problem) => problem.slice(0, problem.indexOf(':')));
    };
    expect(
      problems({
        RENEWAL_MAX_CHECKS: 'many',
        REMINDER_WINDOWS_DAYS: '7,x',
        RENEWAL_RECONCILE_DELAYS: '10,,30',
        LOW_BALANCE_THRESHOLDS: 'usd=50, bogus',
        RENEWAL_COOLDOWN_HOURS: '-1',
      }).sort(),
    ).toEqual([
      'LOW_BALANCE_THRESHOLDS',
      'REMINDER_WINDOWS_DAYS',
      'RENEWAL_COOLDOWN_HOURS',
      'RENEWAL_MAX_CHECKS',
      'RENEWAL_RECONCILE_DELAYS',
    ]);
  });
});
