/**
 * The bridge's Prometheus metrics, rendered by hand in the text exposition format (version 0.0.4):
 * a handful of counters, two gauges and one histogram do not justify a metrics library.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class BridgeMetrics {
  /** `action|code` → count; code is the 35.com code or the bridge's error kind. */
  private readonly commands = new Map<string, number>();
  private readonly buckets = LATENCY_BUCKETS.map(() => 0);
  private latencyCount = 0;
  private latencySum = 0;
  reconnects = 0;
  logins = 0;
  rollovers = 0;
  checksumFailures = 0;
  rejectedQueueFull = 0;
  /** reason → requests the bridge refused before forwarding (bad signature, replay, not allowed, …). */
  private readonly refusals = new Map<string, number>();

  refused(reason: string): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  command(action: string, outcome: string, seconds: number): void {
    const key = `${action}|${outcome}`;
    this.commands.set(key, (this.commands.get(key) ?? 0) + 1);
    this.latencyCount++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
  }

  render(gauges: { sessionsUp: number; queueDepth: number; inFlight: number }): string {
    const lines: string[] = [];
    lines.push(
      '# HELP com35_commands_total 35.com commands by action and result code (or bridge error kind).',
    );
    lines.push('# TYPE com35_commands_total counter');
    for (const [key, n] of this.commands) {
      const [action, code] = key.split('|') as [string, string];
      lines.push(`com35_commands_total{action="${label(action)}",code="${label(code)}"} ${n}`);
    }
    lines.push('# HELP com35_command_duration_seconds Time from a command being queued to its reply.');
    lines.push('# TYPE com35_command_duration_seconds histogram');
    LATENCY_BUCKETS.forEach((le, i) => {
      lines.push(`com35_command_duration_seconds_bucket{le="${le}"} ${this.buckets[i]}`);
    });
    lines.push(`com35_command_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`com35_command_duration_seconds_sum ${this.latencySum}`);
    lines.push(`com35_command_duration_seconds_count ${this.latencyCount}`);
    const counter = (name: string, help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
    };
    counter(
      'com35_reconnects_total',
      'Sessions opened again after a drop, an idle close or a rollover.',
      this.reconnects,
    );
    counter('com35_logins_total', 'Successful Logins.', this.logins);
    counter(
      'com35_session_rollovers_total',
      'Logout + Login before the per-session command limit.',
      this.rollovers,
    );
    counter('com35_checksum_failures_total', 'Replies whose checksum did not verify.', this.checksumFailures);
    counter(
      'com35_queue_rejections_total',
      'Commands refused because the wait queue was full.',
      this.rejectedQueueFull,
    );
    lines.push(
      '# HELP com35_bridge_refusals_total Requests refused before anything was sent to 35.com, by reason.',
    );
    lines.push('# TYPE com35_bridge_refusals_total counter');
    for (const [reason, n] of this.refusals)
      lines.push(`com35_bridge_refusals_total{reason="${label(reason)}"} ${n}`);
    const gauge = (name: string, help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    };
    gauge('com35_sessions_up', 'Logged-in sessions.', gauges.sessionsUp);
    gauge('com35_queue_depth', 'Commands waiting for a session.', gauges.queueDepth);
    gauge('com35_in_flight', 'Commands being executed.', gauges.inFlight);
    return `${lines.join('\n')}\n`;
  }
}
