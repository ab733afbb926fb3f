/**
 * The bridge's Prometheus metrics, rendered by hand in the text exposition format (version 0.0.4):
 * a handful of counters, two gauges and one histogram do not justify a metrics library.
 *
 * What a session pool does is counted per account (`PoolMetrics`, one per BRIDGE_ACCOUNTS entry,
 * rendered with an `account` label); refusals before a request reaches any pool are the bridge's,
 * and so are the relay's calls, by target origin and outcome.
 */
import type { RelayOutcome } from '../providers/com35/bridge-protocol';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The counters of one account's session pool. */
export class PoolMetrics {
  /** `action|code` → count; code is the 35.com code or the bridge's error kind. */
  readonly commands = new Map<string, number>();
  readonly buckets = LATENCY_BUCKETS.map(() => 0);
  latencyCount = 0;
  latencySum = 0;
  reconnects = 0;
  logins = 0;
  rollovers = 0;
  checksumFailures = 0;
  rejectedQueueFull = 0;

  command(action: string, outcome: string, seconds: number): void {
    const key = `${action}|${outcome}`;
    this.commands.set(key, (this.commands.get(key) ?? 0) + 1);
    this.latencyCount++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
  }
}

/** One account's pool as the metrics page shows it: its counters and its gauges now. */
export interface AccountMetricsView {
  account: string;
  metrics: PoolMetrics;
  sessionsUp: number;
  queueDepth: number;
  inFlight: number;
}

type PoolCounter = 'reconnects' | 'logins' | 'rollovers' | 'checksumFailures' | 'rejectedQueueFull';

const COUNTERS: ReadonlyArray<[name: string, help: string, field: PoolCounter]> = [
  [
    'com35_reconnects_total',
    'Sessions opened again after a drop, an idle close or a rollover.',
    'reconnects',
  ],
  ['com35_logins_total', 'Successful Logins.', 'logins'],
  ['com35_session_rollovers_total', 'Logout + Login before the per-session command limit.', 'rollovers'],
  ['com35_checksum_failures_total', 'Replies whose checksum did not verify.', 'checksumFailures'],
  ['com35_queue_rejections_total', 'Commands refused because the wait queue was full.', 'rejectedQueueFull'],
];

const GAUGES: ReadonlyArray<[name: string, help: string, field: 'sessionsUp' | 'queueDepth' | 'inFlight']> = [
  ['com35_sessions_up', 'Logged-in sessions.', 'sessionsUp'],
  ['com35_queue_depth', 'Commands waiting for a session.', 'queueDepth'],
  ['com35_in_flight', 'Commands being executed.', 'inFlight'],
];

export class BridgeMetrics {
  /** reason → requests the bridge refused before forwarding (bad signature, replay, not allowed, …). */
  private readonly refusals = new Map<string, number>();
  /** `origin|outcome` → relay requests; `none` where no signed request named an origin. */
  private readonly relayCalls = new Map<string, number>();

  refused(reason: string): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  relayCall(origin: string, outcome: RelayOutcome): void {
    const key = `${origin}|${outcome}`;
    this.relayCalls.set(key, (this.relayCalls.get(key) ?? 0) + 1);
  }

  /** The whole page: every account's series under its `account` label, then the refusals. */
  render(accounts: readonly AccountMetricsView[] = []): string {
    const lines: string[] = [];
    const header = (name: string, help: string, type: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    header(
      'com35_commands_total',
      '35.com commands by account, action and result code (or bridge error kind).',
      'counter',
    );
    for (const { account, metrics } of accounts)
      for (const [key, n] of metrics.commands) {
        const [action, code] = key.split('|') as [string, string];
        lines.push(
          `com35_commands_total{account="${label(account)}",action="${label(action)}",code="${label(code)}"} ${n}`,
        );
      }
    header('com35_command_duration_seconds', 'Time from a command being queued to its reply.', 'histogram');
    for (const { account, metrics } of accounts) {
      const a = `account="${label(account)}"`;
      LATENCY_BUCKETS.forEach((le, i) => {
        lines.push(`com35_command_duration_seconds_bucket{${a},le="${le}"} ${metrics.buckets[i]}`);
      });
      lines.push(`com35_command_duration_seconds_bucket{${a},le="+Inf"} ${metrics.latencyCount}`);
      lines.push(`com35_command_duration_seconds_sum{${a}} ${metrics.latencySum}`);
      lines.push(`com35_command_duration_seconds_count{${a}} ${metrics.latencyCount}`);
    }
    for (const [name, help, field] of COUNTERS) {
      header(name, help, 'counter');
      for (const { account, metrics } of accounts)
        lines.push(`${name}{account="${label(account)}"} ${metrics[field]}`);
    }
    header(
      'com35_bridge_refusals_total',
      'Requests refused before anything was sent to 35.com, by reason.',
      'counter',
    );
    for (const [reason, n] of this.refusals)
      lines.push(`com35_bridge_refusals_total{reason="${label(reason)}"} ${n}`);
    header('bridge_relay_calls_total', 'Relay requests by target origin and outcome.', 'counter');
    for (const [key, n] of this.relayCalls) {
      const at = key.lastIndexOf('|');
      lines.push(
        `bridge_relay_calls_total{origin="${label(key.slice(0, at))}",outcome="${label(key.slice(at + 1))}"} ${n}`,
      );
    }
    for (const [name, help, field] of GAUGES) {
      header(name, help, 'gauge');
      for (const view of accounts) lines.push(`${name}{account="${label(view.account)}"} ${view[field]}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
