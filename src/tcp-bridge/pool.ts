/**
 * A pool of N logged-in 35.com sessions fed by one bounded FIFO queue. Each session has its own
 * worker loop, so a session never has more than one command in flight (35.com API user manual §6.5
 * 注意事项, item 3). The loop:
 * (re)connect with jittered backoff, roll the session over (Logout + Login) before its command
 * budget runs out (§7.1.3.5: at most 150 commands), take the next command, and when idle either send a keep-alive command
 * or Logout and reconnect on demand. On close, queued commands are refused and every session
 * logs out.
 */
import { GatewayError } from '../core/errors';
import { backoffDelayMs } from '../core/retry';
import { type Com35Command, type Com35Response, createCltridGenerator } from '../providers/com35/codec';
import type { PoolMetrics } from './metrics';
import { Com35Session, isNotSent, type SendOptions, type SessionConfig } from './session';

export type IdlePolicy = 'keepalive' | 'close';

export interface PoolConfig extends SessionConfig {
  poolSize: number;
  /** Commands allowed to wait for a session; beyond it submit() refuses at once. */
  queueMax: number;
  /** How long a command may wait for a session before it is refused. */
  queueTimeoutMs: number;
  idlePolicy: IdlePolicy;
  /** Idle time before the keep-alive command or the idle Logout. */
  idleMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
}

interface Job {
  command: Com35Command;
  send: SendOptions;
  resolve(r: Com35Response): void;
  reject(e: unknown): void;
  timer?: NodeJS.Timeout;
  attempts: number;
}

interface Slot {
  index: number;
  session?: Com35Session;
  state: 'connecting' | 'ready' | 'busy' | 'backoff' | 'idle_closed' | 'closed';
  opened: number;
  lastError?: string;
  /** The worker's pending take(), so a dropped session can wake it to reconnect at once. */
  taker?: (t: Taken) => void;
}

/** 2500/2501 end the session and 5500 means it was not logged in: the command was not run (8.4). */
const NOT_EXECUTED_SESSION_CODES = new Set([2500, 2501, 5500]);

const IDLE = Symbol('idle');
const CLOSING = Symbol('closing');
const DROPPED = Symbol('dropped');
type Taken = Job | typeof IDLE | typeof CLOSING | typeof DROPPED;

/** The refusal for a full queue: the HTTP layer answers 503 with Retry-After. */
export class QueueFullError extends GatewayError {
  constructor(retryAfter: number) {
    super('upstream_unavailable', {
      message: 'the 35.com bridge queue is full; try again shortly',
      provider: 'com35',
      retryable: true,
      notSent: true,
      retryAfter,
    });
  }
}

export class SessionPool {
  private readonly queue: Job[] = [];
  private readonly takers: Array<(t: Taken) => void> = [];
  private readonly workWaiters: Array<() => void> = [];
  private readonly slots: Slot[] = [];
  private readonly workers: Promise<void>[] = [];
  private closing = false;
  private inFlight = 0;
  private readonly nextCltrid: () => string;

  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly config: PoolConfig,
    readonly metrics: PoolMetrics,
  ) {
    this.nextCltrid = createCltridGenerator(config.clid);
  }

  /** A backoff sleep that close() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  start(): void {
    for (let i = 0; i < this.config.poolSize; i++) {
      const slot: Slot = { index: i, state: 'connecting', opened: 0 };
      this.slots.push(slot);
      this.workers.push(this.run(slot));
    }
  }

  status() {
    return {
      sessionsUp: this.slots.filter((s) => s.session?.alive).length,
      poolSize: this.config.poolSize,
      queueDepth: this.queue.length,
      queueMax: this.config.queueMax,
      inFlight: this.inFlight,
      sessions: this.slots.map((s) => ({
        state: s.state,
        commandsUsed: s.session?.commandsUsed ?? 0,
        opened: s.opened,
        lastError: s.lastError,
      })),
    };
  }

  /** Queue a command; resolves with the verified reply (any 35.com code) or rejects with a GatewayError. */
  submit(command: Com35Command, send: SendOptions = {}): Promise<Com35Response> {
    if (this.closing) {
      return Promise.reject(
        new GatewayError('upstream_unavailable', {
          message: 'the 35.com bridge is shutting down',
          provider: 'com35',
          notSent: true,
        }),
      );
    }
    return new Promise<Com35Response>((resolve, reject) => {
      const job: Job = { command, send, resolve, reject, attempts: 0 };
      if (this.takers.length === 0 && this.queue.length >= this.config.queueMax) {
        this.metrics.rejectedQueueFull++;
        reject(new QueueFullError(1));
        return;
      }
      this.enqueue(job);
    });
  }

  private enqueue(job: Job, front = false): void {
    // A session waiting for work takes it at once (a rerun job must not wait for the next take).
    const taker = this.takers.shift();
    if (taker) {
      taker(job);
      return;
    }
    job.timer ??= setTimeout(() => {
      const at = this.queue.indexOf(job);
      if (at < 0) return;
      this.queue.splice(at, 1);
      job.reject(
        new GatewayError('upstream_unavailable', {
          message: `no 35.com session became free within ${this.config.queueTimeoutMs} ms`,
          provider: 'com35',
          retryable: true,
          notSent: true,
          retryAfter: 1,
        }),
      );
    }, this.config.queueTimeoutMs);
    if (front) this.queue.unshift(job);
    else this.queue.push(job);
    for (const wake of this.workWaiters.splice(0)) wake();
  }

  private take(slot: Slot, timeoutMs: number): Promise<Taken> {
    if (this.closing) return Promise.resolve(CLOSING);
    const job = this.queue.shift();
    if (job) return Promise.resolve(job);
    return new Promise<Taken>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const taker = (t: Taken) => {
        clearTimeout(timer);
        slot.taker = undefined;
        resolve(t);
      };
      slot.taker = taker;
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          const at = this.takers.indexOf(taker);
          if (at >= 0) this.takers.splice(at, 1);
          taker(IDLE);
        }, timeoutMs);
      }
      this.takers.push(taker);
    });
  }

  private waitForWork(): Promise<void> {
    if (this.queue.length > 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => this.workWaiters.push(resolve));
  }

  private async open(slot: Slot): Promise<void> {
    slot.state = 'connecting';
    const session = await Com35Session.open(this.config, {
      nextCltrid: this.nextCltrid,
      onChecksumFailure: () => this.metrics.checksumFailures++,
    });
    session.onClose(() => {
      // Dropped while waiting for work: leave the takers and reconnect now, not on the next command.
      if (!slot.taker || slot.session !== session) return;
      const at = this.takers.indexOf(slot.taker);
      if (at >= 0) this.takers.splice(at, 1);
      slot.taker(DROPPED);
    });
    if (slot.opened > 0) this.metrics.reconnects++;
    slot.opened++;
    this.metrics.logins++;
    slot.session = session;
    slot.lastError = undefined;
    slot.state = 'ready';
  }

  private async run(slot: Slot): Promise<void> {
    let attempt = 0;
    let idleClosed = false;
    while (!this.closing) {
      if (!slot.session?.alive) {
        slot.session = undefined;
        if (idleClosed) {
          slot.state = 'idle_closed';
          await this.waitForWork();
          if (this.closing) break;
          idleClosed = false;
        }
        try {
          await this.open(slot);
          attempt = 0;
        } catch (error) {
          attempt++;
          slot.state = 'backoff';
          slot.lastError = error instanceof Error ? error.message : String(error);
          await this.sleep(
            backoffDelayMs(attempt, {
              policy: {
                maxAttempts: Number.POSITIVE_INFINITY,
                baseDelayMs: this.config.reconnectBaseMs,
                maxDelayMs: this.config.reconnectMaxMs,
              },
            }),
          );
          continue;
        }
      }
      const session = slot.session!;
      if (session.exhausted) {
        // Roll over before the server's limit: Logout, then the loop logs in again.
        await session.logout();
        this.metrics.rollovers++;
        continue;
      }
      slot.state = 'ready';
      const taken = await this.take(
        slot,
        this.config.idleMs > 0 ? this.config.idleMs : Number.POSITIVE_INFINITY,
      );
      if (taken === CLOSING) break;
      if (taken === DROPPED) continue;
      if (taken === IDLE) {
        if (this.config.idlePolicy === 'keepalive') {
          await session.execute({ category: 'account', action: 'GetAccountBalance' }).catch(() => {});
        } else {
          await session.logout();
          idleClosed = true;
        }
        continue;
      }
      await this.runJob(slot, session, taken);
    }
    slot.state = 'closed';
    if (slot.session) await slot.session.logout();
  }

  private async runJob(slot: Slot, session: Com35Session, job: Job): Promise<void> {
    clearTimeout(job.timer);
    slot.state = 'busy';
    this.inFlight++;
    const started = performance.now();
    // A rerun (the last session ended before running it) must not repeat a cltrid 35.com may
    // have seen: "unique, never reused" (§7.1.3.1). Generated cltrids are fresh anyway.
    const send =
      job.send.cltrid && job.attempts > 0
        ? { ...job.send, cltrid: `${job.send.cltrid}-${job.attempts}` }
        : job.send;
    try {
      const reply = await session.execute(job.command, send);
      this.metrics.command(job.command.action, String(reply.code), (performance.now() - started) / 1000);
      if (NOT_EXECUTED_SESSION_CODES.has(reply.code) && job.attempts < 2 && !this.closing) {
        // The server refused it for the session's sake (ended, timed out, not logged in): it did
        // not run, and the session is gone. Run it on a fresh one.
        job.attempts++;
        job.timer = undefined;
        this.enqueue(job, true);
        return;
      }
      job.resolve(reply);
    } catch (error) {
      if (isNotSent(error) && job.attempts < 2 && !this.closing) {
        // Nothing left this process: run it on the next live session instead.
        job.attempts++;
        job.timer = undefined;
        this.enqueue(job, true);
      } else {
        const kind = error instanceof GatewayError ? error.kind : 'internal';
        this.metrics.command(job.command.action, kind, (performance.now() - started) / 1000);
        job.reject(error);
      }
    } finally {
      this.inFlight--;
    }
  }

  /** Refuse what is queued, let in-flight commands finish, Logout every session. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.timer);
      job.reject(
        new GatewayError('upstream_unavailable', {
          message: 'the 35.com bridge is shutting down',
          provider: 'com35',
          notSent: true,
        }),
      );
    }
    for (const taker of this.takers.splice(0)) taker(CLOSING);
    for (const wake of this.workWaiters.splice(0)) wake();
    for (const wake of [...this.sleepers]) wake();
    // A worker in backoff sleep or mid-login finishes that step, then sees `closing`.
    await Promise.all(this.workers);
  }
}
