/**
 * The cltrids of money-spending commands (RenewDomain) the bridge has written to 35.com: each is
 * sent at most once. A cltrid is derived from the renewal's id, so a replayed or repeated renew of
 * the same renewal carries the same one and is refused here, whatever its nonce.
 *
 * A cltrid is *reserved* while its request is queued or running (a concurrent copy is refused as
 * well) and *sent* from the moment its bytes are about to be written to a 35.com socket. A request
 * refused before that (queue full, no session) releases it, because the engine retries those
 * "not sent" renewals with the same id.
 *
 * A cltrid is remembered for the account (BRIDGE_ACCOUNTS) it was sent with: 35.com numbers
 * cltrids per member, so one account's record never refuses, or answers for, another's command.
 *
 * Optionally the sent ones are appended to a file (`BRIDGE_SENT_CLTRIDS_FILE`), before the socket
 * write, so a restarted bridge still refuses them: one line `<cltrid> <unix ms> <account>` per
 * send, compacted to the live ones at start. A line without an account (written before several
 * accounts) is the account `com35`'s, the only one there was.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEFAULT_BRIDGE_ACCOUNT } from '../providers/com35/bridge-protocol';
import { ExpiringSet } from './expiring-set';

export interface SentCltridsOptions {
  /** How long a sent cltrid is remembered. */
  horizonMs: number;
  /** Most cltrids remembered (sent + reserved); beyond it new spending commands are refused. */
  capacity: number;
  /** Append-only record of sent cltrids, read back at start. */
  file?: string;
  now?: () => number;
}

export type Reservation = 'reserved' | 'already_sent' | 'full';

/**
 * One record, found at the end of its line: a torn append (a crash mid-write, no newline) glues
 * its fragment to the front of the next record, and that record must still be read. A cltrid never
 * holds `rnw` after its start, so a fragment ending inside a cltrid is not read as part of the
 * next one; the account comes last, so a fragment is never read as the next record's account.
 */
const RECORD = /(rnw(?:(?!rnw)[A-Za-z0-9-]){0,61}) (\d{1,16})(?: ([a-z0-9-]{1,32}))?$/;

/** One key per (account, cltrid): the space never occurs in either. */
const keyOf = (account: string, cltrid: string) => `${account} ${cltrid}`;

export class SentCltrids {
  private readonly sent: ExpiringSet;
  private readonly reserved = new Set<string>();
  private readonly capacity: number;
  private readonly file?: string;
  private readonly now: () => number;
  private readonly horizonMs: number;

  constructor(opts: SentCltridsOptions) {
    this.capacity = opts.capacity;
    this.horizonMs = opts.horizonMs;
    this.file = opts.file;
    this.now = opts.now ?? Date.now;
    this.sent = new ExpiringSet(opts.capacity, opts.horizonMs, this.now);
    if (this.file) this.load(this.file);
  }

  /** Claim an account's cltrid for one request; refused when it was sent, or another request holds it. */
  reserve(account: string, cltrid: string): Reservation {
    const key = keyOf(account, cltrid);
    if (this.reserved.has(key) || this.sent.has(key)) return 'already_sent';
    if (this.reserved.size + this.sent.size >= this.capacity) return 'full';
    this.reserved.add(key);
    return 'reserved';
  }

  /**
   * Record that the cltrid is about to be written to 35.com. Throws when the record cannot be
   * kept (the file), so the caller sends nothing.
   */
  markSent(account: string, cltrid: string): void {
    const key = keyOf(account, cltrid);
    if (this.sent.has(key)) return; // a rerun on a fresh session: recorded by the first write
    const at = this.now();
    if (this.file) appendFileSync(this.file, `${cltrid} ${at} ${account}\n`);
    this.sent.add(key, at);
  }

  /** The request is over: a cltrid that was never written is free again. */
  release(account: string, cltrid: string): void {
    this.reserved.delete(keyOf(account, cltrid));
  }

  wasSent(account: string, cltrid: string): boolean {
    return this.sent.has(keyOf(account, cltrid));
  }

  get size(): number {
    return this.sent.size;
  }

  private load(file: string): void {
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      // What follows the last newline is a torn append (a crash mid-write), whose send never
      // happened: the line is written before the socket is.
      lines.pop();
      const oldest = this.now() - this.horizonMs;
      // Never silently forget a send: an unreadable record or too many live ones stop the start.
      for (const [index, line] of lines.entries()) {
        const m = RECORD.exec(line);
        if (!m) throw new Error(`${file}: line ${index + 1} is not a "<cltrid> <unix ms> <account>" record`);
        const key = keyOf(m[3] ?? DEFAULT_BRIDGE_ACCOUNT, m[1]!);
        if (Number(m[2]) > oldest && this.sent.add(key, Number(m[2])) === 'full')
          throw new Error(`${file}: more live records than the bridge may remember (${this.capacity})`);
      }
    }
    // Rewrite with the live ones only, so the file never grows past the horizon's worth.
    const tmp = `${file}.tmp`;
    writeFileSync(
      tmp,
      this.sent
        .entries()
        .map(([key, at]) => {
          const [account, cltrid] = key.split(' ');
          return `${cltrid} ${at} ${account}\n`;
        })
        .join(''),
    );
    renameSync(tmp, file);
  }
}
