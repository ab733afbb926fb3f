/**
 * The engine's tuning, read from string env vars with defaults. Invalid values fall back to the
 * default with no crash: a typo in a tuning knob must never stop renewals.
 */

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

function numbers(value: string | undefined, fallback: number[], min = 0): number[] {
  if (!value) return fallback;
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < min)) return fallback;
  return parts;
}

function int(value: string | undefined, fallback: number, min = 1): number {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= min ? n : fallback;
}

function thresholds(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const m = /^\s*([A-Za-z]{3})\s*[=:]\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (m?.[1] && m[2]) out[m[1].toUpperCase()] = m[2];
  }
  return out;
}

export function renewalConfig(vars: Readonly<Record<string, string | undefined>>): RenewalConfig {
  return {
    reconcileDelaysSeconds: numbers(vars.RENEWAL_RECONCILE_DELAYS, [10, 30, 120, 600, 1800, 3600]),
    maxChecks: int(vars.RENEWAL_MAX_CHECKS, 12),
    unchangedReadsBeforeResubmit: int(vars.RENEWAL_UNCHANGED_READS, 3),
    decideAfterSeconds: int(vars.RENEWAL_DECIDE_AFTER_SECONDS, 300, 0),
    maxSubmissions: int(vars.RENEWAL_MAX_SUBMISSIONS, 3),
    maxPrecheckAttempts: int(vars.RENEWAL_MAX_PRECHECK_ATTEMPTS, 5),
    leaseSeconds: int(vars.RENEWAL_LEASE_SECONDS, 180),
    sweepAfterSeconds: int(vars.RENEWAL_SWEEP_AFTER_SECONDS, 300),
    cooldownHours: int(vars.RENEWAL_COOLDOWN_HOURS, 24, 0),
    reminderWindowsDays: numbers(vars.REMINDER_WINDOWS_DAYS, [30, 7, 1], 0).sort((a, b) => b - a),
    forecastDays: int(vars.RENEWAL_FORECAST_DAYS, 30),
    lowBalanceThresholds: thresholds(vars.LOW_BALANCE_THRESHOLDS),
  };
}

/** Delay before check number `check` (0-based). */
export function reconcileDelay(config: RenewalConfig, check: number): number {
  const list = config.reconcileDelaysSeconds;
  return list[Math.min(check, list.length - 1)] ?? 60;
}
