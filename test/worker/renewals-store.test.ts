/**
 * The intent store in D1 on its own: one row per intent and per scoped key under concurrency,
 * compare-and-set transitions, the audit trail, and paging. No registrar involved.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { insertIntent, listRows, type NewIntent, transition } from '../../src/core/renewals/store';
import { workerEnv } from './helpers';

const db = workerEnv.DB;

function intent(overrides: Partial<NewIntent> = {}): NewIntent {
  return {
    id: `rnw_${crypto.randomUUID().replace(/-/g, '')}`,
    domain: 'store-test.com',
    account: 'dynadot',
    provider: 'dynadot',
    expectedExpiry: '2027-03-01',
    years: 1,
    requestHash: 'hash-a',
    source: 'api',
    actor: 'tester',
    now: new Date().toISOString(),
    ...overrides,
  };
}

beforeEach(async () => {
  await db.batch([
    db.prepare('DELETE FROM renewals'),
    db.prepare('DELETE FROM renewal_keys'),
    db.prepare('DELETE FROM audit_log'),
  ]);
});

describe('insertIntent', () => {
  it('creates one row for 50 concurrent inserts of one key, and maps the key to it', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        insertIntent(db, intent({ keys: { scope: 'api', values: ['same'] } })),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
    const ids = new Set(outcomes.map((o) => (o.kind === 'key_conflict' ? o.renewalId : o.row.id)));
    expect(ids.size).toBe(1);
    const count = await db.prepare('SELECT COUNT(*) AS n FROM renewals').first<{ n: number }>();
    expect(count?.n).toBe(1);
    const audits = await db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'requested'")
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it('refuses a key reused for another body, without creating that other renewal', async () => {
    await insertIntent(db, intent({ keys: { scope: 'api', values: ['k'] } }));
    const other = await insertIntent(
      db,
      intent({ years: 2, requestHash: 'hash-b', keys: { scope: 'api', values: ['k'] } }),
    );
    expect(other.kind).toBe('key_conflict');
    const count = await db.prepare('SELECT COUNT(*) AS n FROM renewals').first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it('keeps keys apart by scope; a second key meets the unsettled renewal and maps nothing itself', async () => {
    const a = await insertIntent(db, intent({ keys: { scope: 'api', values: ['inv-1'] } }));
    const b = await insertIntent(db, intent({ keys: { scope: 'webhook', values: ['inv-1'] } }));
    expect(a.kind).toBe('created');
    expect(b.kind).toBe('unsettled');
    expect(b.kind !== 'key_conflict' && a.kind !== 'key_conflict' && b.row.id === a.row.id).toBe(true);
    const keys = await db.prepare('SELECT COUNT(*) AS n FROM renewal_keys').first<{ n: number }>();
    expect(keys?.n).toBe(1);
  });
});

describe('transition', () => {
  it('lets exactly one of two workers move a row, and audits only that move', async () => {
    const created = await insertIntent(db, intent());
    if (created.kind !== 'created') throw new Error('not created');
    const move = (actor: string) =>
      transition(db, {
        from: created.row,
        to: 'submitting',
        action: 'claim',
        actor,
        source: 'system',
        now: new Date().toISOString(),
      });
    const [one, two] = await Promise.all([move('w1'), move('w2')]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    const { results } = await db
      .prepare('SELECT action, actor FROM audit_log WHERE entity_id = ? ORDER BY id')
      .bind(created.row.id)
      .all<{ action: string; actor: string }>();
    expect(results.map((r) => r.action)).toEqual(['requested', 'claim']);
  });
});

describe('listRows', () => {
  it('pages newest first with a cursor and filters by state', async () => {
    for (let i = 0; i < 5; i++) {
      await insertIntent(
        db,
        intent({ domain: `page-${i}.com`, now: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() }),
      );
    }
    const first = await listRows(db, { limit: 2 });
    expect(first.rows.map((r) => r.domain)).toEqual(['page-4.com', 'page-3.com']);
    const second = await listRows(db, { limit: 2, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.domain)).toEqual(['page-2.com', 'page-1.com']);
    const third = await listRows(db, { limit: 2, cursor: second.nextCursor });
    expect(third.rows.map((r) => r.domain)).toEqual(['page-0.com']);
    expect(third.nextCursor).toBeUndefined();
    expect((await listRows(db, { state: 'confirmed' })).rows).toHaveLength(0);
    await expect(listRows(db, { cursor: 'garbage!' })).rejects.toMatchObject({ kind: 'invalid_request' });
  });
});
