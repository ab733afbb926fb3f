/**
 * The renewal engine's tuning, reminders and balance alerts: its variables, declared once, and the
 * RenewalConfig made of them. An invalid value is a start-up error naming its variable, like every
 * other configuration problem (src/env.ts): a typo in a knob of the money path must not quietly
 * become a default nobody chose.
 */
import { z } from 'zod';
import { defineConfigPart } from '../config-declaration';
import { intFromEnv } from '../config-schema';

export interface RenewalConfig {
  /** Seconds between reconciliation checks; the last value repeats. */
  reconcileDelaysSeconds: number[];
  /** Checks before a renewal whose outcome stays unproven becomes `needs_attention`. */
  maxChecks: number;
  /** Reads showing the expiry unchanged after a lost reply before deciding (guarded: resubmit; else needs_attention). */
  unchangedReadsBeforeResubmit: number;
  /**
   * Seconds since the lost submission before the engine decides from unchanged reads: a registrar
   * that queues work (Alibaba tasks) gets time to apply the first one.
   */
  decideAfterSeconds: number;
  /** Submissions of one intent at most (the first one included). */
  maxSubmissions: number;
  /** Pre-check rounds that may fail on transport before the renewal fails without a call. */
  maxPrecheckAttempts: number;
  /** How long a worker owns a `submitting` row (longer than any upstream timeout). */
  leaseSeconds: number;
  /** Age after which the hourly sweep re-enqueues a `requested` row or an overdue check (a lost queue message). */
  sweepAfterSeconds: number;
  /**
   * Hours after a confirmed renewal of a domain during which a request that does not pin the
   * expected expiry is refused (`recently_renewed`) unless it says `force`; 0 turns the rule off.
   */
  cooldownHours: number;
  /** Reminder windows in days before expiry, widest first. */
  reminderWindowsDays: number[];
  /** Days of upcoming renewals whose cost the balance must cover. */
  forecastDays: number;
  /** Balance alert thresholds by currency (`USD=50,CNY=300`). */
  lowBalanceThresholds: Record<string, string>;
}

/** A comma-separated list of whole numbers, each at least `min`: `10,30,120`. */
const intList = (min: number) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part))))
    .pipe(
      z
        .array(z.number('must be whole numbers, comma separated').int().min(min, `must be ≥ ${min} each`))
        .min(1),
    );

/** `USD=50,CNY:300`: a low-balance threshold per currency. */
const thresholds = z.string().transform((value, ctx) => {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const m = /^\s*([A-Za-z]{3})\s*[=:]\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m?.[1] || !m[2]) {
      ctx.addIssue({ code: 'custom', message: 'must be a list of CUR=amount (e.g. USD=50,CNY=300)' });
      return z.NEVER;
    }
    out[m[1].toUpperCase()] = m[2];
  }
  return out;
});

export const renewalSettings = defineConfigPart({
  vars: {
    RENEWAL_RECONCILE_DELAYS: {
      schema: intList(0).default([10, 30, 120, 600, 1800, 3600]),
      for: 'worker',
      description: 'Seconds between reconciliation checks after a lost reply; the last value repeats.',
    },
    RENEWAL_MAX_CHECKS: {
      schema: intFromEnv(12, 1),
      for: 'worker',
      description: 'Checks before `needs_attention`.',
    },
    RENEWAL_UNCHANGED_READS: {
      schema: intFromEnv(3, 1),
      for: 'worker',
      description: 'Unchanged expiry reads before deciding a lost submission did not happen.',
    },
    RENEWAL_DECIDE_AFTER_SECONDS: {
      schema: intFromEnv(300, 0),
      for: 'worker',
      description: 'Minimum time after a lost submission before that decision.',
    },
    RENEWAL_MAX_SUBMISSIONS: {
      schema: intFromEnv(3, 1),
      for: 'worker',
      description: 'Renew calls per intent at most.',
    },
    RENEWAL_MAX_PRECHECK_ATTEMPTS: {
      schema: intFromEnv(5, 1),
      for: 'worker',
      description: 'Pre-check rounds that may fail on transport before `failed`.',
    },
    RENEWAL_LEASE_SECONDS: {
      schema: intFromEnv(180, 1),
      for: 'worker',
      description: 'How long a worker owns a `submitting` row.',
    },
    RENEWAL_SWEEP_AFTER_SECONDS: {
      schema: intFromEnv(300, 1),
      for: 'worker',
      description: 'Age after which the hourly sweep re-drives a renewal whose queue message was lost.',
    },
    RENEWAL_COOLDOWN_HOURS: {
      schema: intFromEnv(24, 0),
      for: 'worker',
      description:
        'After a confirmed renewal of a domain, a request without `expectedExpiry` is refused (409 `recently_renewed`) for this long unless it says `force`; 0 turns it off.',
    },
    REMINDER_WINDOWS_DAYS: {
      // Widest first, however they are written.
      schema: intList(0)
        .transform((days: number[]) => days.sort((a, b) => b - a))
        .default([30, 7, 1]),
      for: 'worker',
      description: 'Expiry reminder windows (days).',
    },
    RENEWAL_FORECAST_DAYS: {
      schema: intFromEnv(30, 1),
      for: 'worker',
      description: 'Days of upcoming renewals a balance must cover before a low-balance alert.',
    },
    LOW_BALANCE_THRESHOLDS: {
      schema: thresholds.default({}),
      for: 'worker',
      description: 'Low-balance thresholds per currency, e.g. `USD=50,CNY=300`.',
    },
  },
  build: (v): RenewalConfig => ({
    reconcileDelaysSeconds: v.RENEWAL_RECONCILE_DELAYS,
    maxChecks: v.RENEWAL_MAX_CHECKS,
    unchangedReadsBeforeResubmit: v.RENEWAL_UNCHANGED_READS,
    decideAfterSeconds: v.RENEWAL_DECIDE_AFTER_SECONDS,
    maxSubmissions: v.RENEWAL_MAX_SUBMISSIONS,
    maxPrecheckAttempts: v.RENEWAL_MAX_PRECHECK_ATTEMPTS,
    leaseSeconds: v.RENEWAL_LEASE_SECONDS,
    sweepAfterSeconds: v.RENEWAL_SWEEP_AFTER_SECONDS,
    cooldownHours: v.RENEWAL_COOLDOWN_HOURS,
    reminderWindowsDays: v.REMINDER_WINDOWS_DAYS,
    forecastDays: v.RENEWAL_FORECAST_DAYS,
    lowBalanceThresholds: v.LOW_BALANCE_THRESHOLDS,
  }),
});

/** Delay before check number `check` (0-based). */
export function reconcileDelay(config: RenewalConfig, check: number): number {
  const list = config.reconcileDelaysSeconds;
  return list[Math.min(check, list.length - 1)] ?? 60;
}
