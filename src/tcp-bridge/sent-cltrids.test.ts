/** The memory of sent cltrids (and the expiring set under it and under the nonces). */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExpiringSet } from './expiring-set';
import { isLocalRequest } from './request-auth';
import { SentCltrids } from './sent-cltrids';

const tmp = mkdtempSync(join(tmpdir(), 'sent-cltrids-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HOUR = 3_600_000;

function clock(start = 1_750_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ExpiringSet', () => {
  it('forgets a key after its lifetime, and refuses to grow past its capacity', () => {
    const c = clock();
    const set = new ExpiringSet(2, 1000, c.now);
    expect(set.add('a')).toBe('added');
    expect(set.add('a')).toBe('present');
    c.advance(500);
    expect(set.add('b')).toBe('added');
    expect(set.add('c')).toBe('full');
    c.advance(500);
    expect(set.has('a')).toBe(false);
    expect(set.add('c')).toBe('added');
    expect(set.entries().map(([k]) => k)).toEqual(['b', 'c']);
  });
});

describe('SentCltrids', () => {
  it('reserves, refuses a copy while reserved and once sent, and frees a cltrid never sent', () => {
    const sent = new SentCltrids({ horizonMs: HOUR, capacity: 10 });
    expect(sent.reserve('com35', 'rnwa')).toBe('reserved');
    expect(sent.reserve('com35', 'rnwa')).toBe('already_sent');
    sent.release('com35', 'rnwa'); // refused before any write: free again
    expect(sent.reserve('com35', 'rnwa')).toBe('reserved');
    sent.markSent('com35', 'rnwa');
    sent.release('com35', 'rnwa');
    expect(sent.reserve('com35', 'rnwa')).toBe('already_sent');
    expect(sent.wasSent('com35', 'rnwa')).toBe(true);
  });

  it('remembers a sent cltrid for the horizon only', () => {
    const c = clock();
    const sent = new SentCltrids({ horizonMs: 24 * HOUR, capacity: 10, now: c.now });
    sent.reserve('com35', 'rnwa');
    sent.markSent('com35', 'rnwa');
    sent.release('com35', 'rnwa');
    c.advance(24 * HOUR - 1);
    expect(sent.reserve('com35', 'rnwa')).toBe('already_sent');
    c.advance(1);
    expect(sent.reserve('com35', 'rnwa')).toBe('reserved');
  });

  it('refuses new reservations when full instead of forgetting', () => {
    const sent = new SentCltrids({ horizonMs: HOUR, capacity: 2 });
    expect(sent.reserve('com35', 'rnwa')).toBe('reserved');
    expect(sent.reserve('com35', 'rnwb')).toBe('reserved');
    expect(sent.reserve('com35', 'rnwc')).toBe('full');
  });

  it('appends each send to its file before recording it, and reads the live ones back at start', () => {
    const c = clock();
    const file = join(tmp, 'ledger');
    const first = new SentCltrids({ horizonMs: HOUR, capacity: 10, file, now: c.now });
    first.reserve('com35', 'rnwold');
    first.markSent('com35', 'rnwold');
    c.advance(HOUR / 2);
    first.reserve('com35', 'rnwnew');
    first.markSent('com35', 'rnwnew');
    first.markSent('com35', 'rnwnew'); // a re-run's second write is not a second line
    appendFileSync(file, `rnwtorn ${c.now()}`); // a crash mid-append: no newline, and that send never happened
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    c.advance(HOUR / 2);
    const restarted = new SentCltrids({ horizonMs: HOUR, capacity: 10, file, now: c.now });
    expect(restarted.wasSent('com35', 'rnwold')).toBe(false);
    expect(restarted.wasSent('com35', 'rnwnew')).toBe(true);
    expect(restarted.wasSent('com35', 'rnwtorn')).toBe(false);
    // Compacted to the live ones.
    expect(readFileSync(file, 'utf8')).toBe(`rnwnew ${c.now() - HOUR / 2} com35\n`);
  });

  it('reads a record glued to a torn append, and refuses to start on a line it cannot read', () => {
    const c = clock();
    const file = join(mkdtempSync(join(tmp, 'glued-')), 'ledger');
    // A crash mid-append left a fragment; the next send's record was appended right after it.
    writeFileSync(file, `rnwtorn 17rnwafter ${c.now()}\n`);
    expect(
      new SentCltrids({ horizonMs: HOUR, capacity: 10, file, now: c.now }).wasSent('com35', 'rnwafter'),
    ).toBe(true);
    writeFileSync(file, `rnwgood ${c.now()}\nsomething else\n`);
    expect(() => new SentCltrids({ horizonMs: HOUR, capacity: 10, file, now: c.now })).toThrow(/line 2/);
    writeFileSync(file, `rnwa ${c.now()}\nrnwb ${c.now()}\n`);
    expect(() => new SentCltrids({ horizonMs: HOUR, capacity: 1, file, now: c.now })).toThrow(
      /more live records/,
    );
  });

  it('refuses to send when the record cannot be written, and to start when it cannot be read', () => {
    const dir = mkdtempSync(join(tmp, 'gone-'));
    const sent = new SentCltrids({ horizonMs: HOUR, capacity: 10, file: join(dir, 'ledger') });
    rmSync(dir, { recursive: true });
    expect(() => sent.markSent('com35', 'rnwa')).toThrow();
    expect(sent.wasSent('com35', 'rnwa')).toBe(false);
    // A directory where the file should be.
    expect(() => new SentCltrids({ horizonMs: HOUR, capacity: 10, file: tmp })).toThrow();
  });
});

describe('isLocalRequest', () => {
  const none = new Headers();
  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.2', false],
    ['192.0.2.10', false],
    ['::ffff:192.0.2.10', false],
    ['fd00::2', false],
    [undefined, false],
  ])('%s → %s', (address, local) => {
    expect(isLocalRequest(address, none)).toBe(local);
  });

  it('does not count a request a proxy on this host forwarded', () => {
    for (const h of ['forwarded', 'x-forwarded-for', 'x-real-ip'])
      expect(isLocalRequest('127.0.0.1', new Headers({ [h]: '203.0.113.7' })), h).toBe(false);
  });
});
