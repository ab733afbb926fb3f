/**
 * One owner per D1 table: each table of migrations/ is read and written by exactly one module of
 * src/, and every other module goes through that module's functions. What a row means (its
 * invariants, its JSON columns, its audit line) is then decided in one place.
 *
 * The scan reads the SQL strings of every non-test file of src/ (test/node/sql-tables.ts says what
 * counts as SQL) and fails with file:line for a table named outside its owner. A table the
 * migrations create without an entry below fails too, so a new table gets an owner on day one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './shared-dir';
import { sqlTableMentions, tablesFromMigrations } from './sql-tables';

/**
 * Table → the one module (path from the repository root) that may name it in SQL. `null`: no
 * module uses the table, so no SQL may name it until it gets an owner here.
 */
const OWNERS: Record<string, string | null> = {
  account_tlds: 'src/core/account-tlds.ts',
  // Made by the core schema but unused: account health lives in the account's gate
  // (docs/decisions.md, REST API › "The deep check"). No SQL may name it until it has an owner.
  accounts_seen: null,
  api_keys: 'src/core/api-keys.ts',
  audit_log: 'src/core/audit.ts',
  bot_account_choices: 'src/bot/store.ts',
  bot_confirmations: 'src/bot/store.ts',
  domains: 'src/core/domains.ts',
  notifications_sent: 'src/core/notifications.ts',
  renewal_keys: 'src/core/renewals/store.ts',
  renewal_subscribers: 'src/core/renewals/subscribers.ts',
  services: 'src/core/services.ts',
  renewals: 'src/core/renewals/store.ts',
  telegram_subscriptions: 'src/bot/store.ts',
  webhook_callback_attempts: 'src/core/webhook-callbacks.ts',
  webhook_deliveries: 'src/core/webhook-deliveries.ts',
  webhook_rejection_counts: 'src/core/webhook-deliveries.ts',
};

function migrationTexts(): string[] {
  const dir = join(repoRoot, 'migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the SQL scanner', () => {
  const tables = ['domains', 'webhook_rejections', 'audit_log'];

  it('finds a table after FROM, INTO, UPDATE, JOIN, TABLE and DELETE FROM, on its own line', () => {
    const code = [
      "db.prepare('SELECT * FROM domains WHERE domain = ?');",
      'db.prepare(`INSERT INTO audit_log (at) VALUES (?)`);',
      "db.prepare('UPDATE domains SET locked = ? WHERE domain = ?');",
      "const sql = 'SELECT 1 FROM renewals r JOIN domains d ON d.domain = r.domain';",
      "db.prepare('DELETE FROM webhook_rejections WHERE id = ?');",
      "db.prepare('DROP TABLE IF EXISTS audit_log');",
      "db.prepare('UPDATE OR IGNORE domains SET locked = 1');",
    ].join('\n');
    expect(sqlTableMentions(code, tables)).toEqual([
      { table: 'domains', line: 1 },
      { table: 'audit_log', line: 2 },
      { table: 'domains', line: 3 },
      { table: 'domains', line: 4 },
      { table: 'webhook_rejections', line: 5 },
      { table: 'audit_log', line: 6 },
      { table: 'domains', line: 7 },
    ]);
  });

  it('reads templates across lines and around substitutions, lower-case SQL, and qualified columns', () => {
    const code = [
      'const sql = `SELECT *',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a template, not one
      '  FROM ${schema} x',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a template, not one
      '  JOIN domains${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;',
      "db.prepare('delete from domains where domain = ?');",
      "where.push('EXISTS (SELECT 1 FROM json_each(domains.status) WHERE json_each.value = ?)');",
    ].join('\n');
    expect(sqlTableMentions(code, tables)).toEqual([
      { table: 'domains', line: 3 },
      { table: 'domains', line: 4 },
      { table: 'domains', line: 5 },
    ]);
  });

  it('ignores comments, identifiers, prose, URLs, file names and longer names', () => {
    const code = [
      '// UPDATE domains SET locked = 1 — a comment is not SQL',
      '/* SELECT * FROM audit_log */',
      'const domains = await listInventory(db); domains.map((d) => d.domain);',
      "const path = '/v1/domains/{domain}';",
      "const message = 'the domains from the registrar, synced into the inventory';",
      "const file = 'core/domains.ts';",
      "db.prepare('SELECT * FROM domains_expiry');",
      "db.prepare('DELETE FROM webhook_rejections_counts WHERE minute < ?');",
      "db.prepare('SELECT * FROM inventory WHERE note = ?').bind('see core/domains.ts');",
    ].join('\n');
    expect(sqlTableMentions(code, tables)).toEqual([]);
  });

  it('knows the tables the migrations leave: created, dropped, renamed', () => {
    const migrations = [
      'CREATE TABLE a (x TEXT);\n-- CREATE TABLE commented_out (x TEXT);\nCREATE TABLE IF NOT EXISTS "b" (x TEXT);',
      'ALTER TABLE a ADD COLUMN y TEXT;\nCREATE TABLE c (x TEXT);\nDROP TABLE b;',
      'ALTER TABLE c RENAME TO d;\nDROP TABLE IF EXISTS a;',
    ];
    expect(tablesFromMigrations(migrations)).toEqual({ tables: ['d'], dropped: ['b', 'c', 'a'] });
  });
});

describe('one owner per D1 table', () => {
  const { tables, dropped } = tablesFromMigrations(migrationTexts());

  it('has an owner entry for exactly the tables the migrations leave', () => {
    expect(tables.length).toBeGreaterThan(10);
    expect(Object.keys(OWNERS).sort()).toEqual([...tables].sort());
    for (const owner of Object.values(OWNERS)) {
      if (owner !== null) expect(sourceFiles(owner.slice(0, owner.lastIndexOf('/')))).toContain(owner);
    }
  });

  it('finds SQL naming a table only in its owner module', () => {
    const names = [...tables, ...dropped];
    const stray: string[] = [];
    for (const file of sourceFiles('src')) {
      const mentions = sqlTableMentions(readFileSync(join(repoRoot, file), 'utf8'), names, file);
      for (const { table, line } of mentions) {
        if (OWNERS[table] === file) continue;
        const why =
          table in OWNERS
            ? OWNERS[table] === null
              ? 'a table no module owns yet (give it an owner in table-owners.test.ts)'
              : `owned by ${OWNERS[table]}`
            : 'a table the migrations dropped';
        stray.push(
          `${relative(repoRoot, join(repoRoot, file)).split(sep).join('/')}:${line} ${table}: ${why}`,
        );
      }
    }
    expect(stray).toEqual([]);
  });
});
