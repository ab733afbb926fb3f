/**
 * Fault injection shared by every simulator. A test (or `npm start` user) posts rules to
 * `POST /__sim/faults`; each incoming call asks `take(operation)` whether a fault applies to it.
 *
 * Rules match an operation name (the registrar's command/action, e.g. `renew`) or every call
 * (`"*"`), and fire `times` times (0 = until cleared). Faults are applied by the transport layer
 * (http-sim.ts, or the 35.com TCP server), so a simulator's command logic never fakes them.
 */
export type Fault =
  /** Wait before answering (simulated RTT or a slow registrar). */
  | { kind: 'delay'; ms: number }
  /**
   * Park the call before the registrar acts, until `POST /__sim/release` (or a reset): a call held
   * in flight for exactly as long as a test needs, with no clock to race.
   */
  | { kind: 'hold' }
  /** Answer this HTTP status with the registrar-neutral body a proxy would give. */
  | { kind: 'http_status'; status: number }
  /** Answer 200 with an HTML page (maintenance page, IP block page, captive proxy). */
  | { kind: 'html' }
  /** Cut the real reply after `bytes` bytes (default: half of it). */
  | { kind: 'truncate'; bytes?: number }
  /** Close the connection without acting: the registrar never saw the call. */
  | { kind: 'drop_before' }
  /** Act (state changes, money is spent), then close the connection without a reply. */
  | { kind: 'drop_after' }
  /** Act, then hold the reply for `ms` (longer than the client's timeout). */
  | { kind: 'timeout_after'; ms: number }
  /** Reply with bytes that are not the registrar's format at all. */
  | { kind: 'garbage' }
  /** 35.com: reply with a checksum that does not verify. */
  | { kind: 'bad_checksum' }
  /** 35.com: write the reply in many small chunks. */
  | { kind: 'split'; chunk?: number };

export interface FaultRule {
  fault: Fault;
  /** Operation name, or '*' for every call. Default '*'. */
  match?: string;
  /** How many calls it applies to; 0 = until cleared. Default 1. */
  times?: number;
}

interface ActiveRule {
  fault: Fault;
  match: string;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  /** Calls parked by a `hold` fault, each waiting for its release. */
  private readonly parked = new Set<() => void>();
  /** Latency added to every reply, on top of rules (simulated RTT). */
  latencyMs = 0;

  /** Park one call until `release()`. */
  hold(): Promise<void> {
    return new Promise<void>((resolve) => this.parked.add(resolve));
  }

  /** Let every parked call go on; returns how many there were. */
  release(): number {
    const count = this.parked.size;
    for (const resume of this.parked) resume();
    this.parked.clear();
    return count;
  }

  /** How many calls are parked right now. */
  get held(): number {
    return this.parked.size;
  }

  add(rule: FaultRule): void {
    this.rules.push({ fault: rule.fault, match: rule.match ?? '*', remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching `operation`, consumed once. */
  take(operation: string): Fault | undefined {
    const rule = this.rules.find((r) => r.match === '*' || r.match === operation);
    if (!rule) return undefined;
    if (rule.remaining > 0) {
      rule.remaining--;
      if (rule.remaining === 0) this.rules.splice(this.rules.indexOf(rule), 1);
    }
    return rule.fault;
  }

  pending(): ReadonlyArray<{ fault: Fault; match: string; remaining: number }> {
    return this.rules;
  }
}

export function parseFaultRules(body: unknown): FaultRule[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((item) => {
    if (!item || typeof item !== 'object' || !('fault' in item)) {
      throw new Error('a fault rule is {fault: {kind, ...}, match?, times?}');
    }
    return item as FaultRule;
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
