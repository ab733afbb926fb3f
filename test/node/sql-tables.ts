/**
 * Which D1 tables a TypeScript file names in its SQL, and which tables the migrations leave.
 * Used by table-owners.test.ts, which holds each table to its one owner module.
 *
 * Only SQL counts: the file is parsed with the TypeScript compiler, so comments and identifiers
 * are never read, and a string literal (or template, its `${…}` parts blanked) counts as SQL when
 * it holds an upper-case SQL keyword or starts with a SQL verb. Inside it, a table is named after
 * FROM / INTO / UPDATE / JOIN / TABLE (any case), or as the qualifier of a column (`domains.status`).
 * Names match whole words: `domains` is not `domains_expiry`, `webhook_rejections` is not
 * `webhook_rejection_counts`.
 *
 * Out of reach by design: a table name built at run time (`FROM ${table}`), and the second
 * table of a comma join (`FROM a, b`). Neither is how this code base writes SQL.
 */
import ts from 'typescript';

export interface TableMention {
  table: string;
  /** 1-based line of the mention in the file. */
  line: number;
}

const UPPER_CASE_SQL = /\b(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|FROM|WHERE|JOIN|EXISTS|CREATE|ALTER|DROP)\b/;
const STARTS_WITH_SQL_VERB = /^['"`]?\s*(?:select|insert|update|delete|replace|with|create|alter|drop)\b/i;

/** Whether a string literal's text reads as SQL rather than prose, a URL or a key. */
export function looksLikeSql(text: string): boolean {
  return UPPER_CASE_SQL.test(text) || STARTS_WITH_SQL_VERB.test(text);
}

function mentionPatterns(tables: readonly string[]): RegExp[] {
  for (const t of tables) if (!/^\w+$/.test(t)) throw new Error(`not a plain table name: ${t}`);
  const names = tables.join('|');
  return [
    // After a keyword; `UPDATE OR IGNORE t`, `TABLE IF NOT EXISTS t`, and quoted names included.
    new RegExp(
      `\\b(?:FROM|INTO|UPDATE(?:\\s+OR\\s+\\w+)?|JOIN|TABLE(?:\\s+IF(?:\\s+NOT)?\\s+EXISTS)?)\\s+["\`[]?(${names})\\b`,
      'gi',
    ),
    // The qualifier of a column: `json_each(domains.status)`.
    new RegExp(`(?<![\\w./-])(${names})\\.[A-Za-z_]`, 'gi'),
  ];
}

/** The text of a string-like node, `${…}` substitutions blanked so offsets stay those of the file. */
function literalText(node: ts.Node, source: ts.SourceFile): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.getText(source);
  }
  if (ts.isTemplateExpression(node)) {
    const start = node.getStart(source);
    let text = node.getText(source);
    for (const span of node.templateSpans) {
      const from = span.expression.getFullStart() - start;
      const to = span.expression.getEnd() - start;
      text = text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
    }
    return text;
  }
  return undefined;
}

/** Every mention of one of `tables` in the SQL strings of a TypeScript source, in file order. */
export function sqlTableMentions(
  code: string,
  tables: readonly string[],
  fileName = 'file.ts',
): TableMention[] {
  if (tables.length === 0) return [];
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const patterns = mentionPatterns(tables);
  const found: Array<TableMention & { at: number }> = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node, source);
    if (text !== undefined) {
      if (looksLikeSql(text)) {
        const start = node.getStart(source);
        for (const pattern of patterns) {
          for (const m of text.matchAll(pattern)) {
            const name = m[1]!;
            const at = start + m.index! + m[0].lastIndexOf(name);
            const table = tables.find((t) => t.toLowerCase() === name.toLowerCase())!;
            found.push({ table, line: source.getLineAndCharacterOfPosition(at).line + 1, at });
          }
        }
      }
      // A template's substitutions may hold SQL strings of their own.
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.sort((a, b) => a.at - b.at).map(({ table, line }) => ({ table, line }));
}

/** Tables the migrations leave, in order of creation, and those they dropped (or renamed away). */
export function tablesFromMigrations(migrations: readonly string[]): { tables: string[]; dropped: string[] } {
  const tables = new Set<string>();
  const dropped = new Set<string>();
  const gone = (name: string) => {
    tables.delete(name);
    dropped.add(name);
  };
  const created = (name: string) => {
    tables.add(name);
    dropped.delete(name);
  };
  const q = '["`[]?';
  const statement = new RegExp(
    [
      `\\bCREATE\\s+TABLE(?:\\s+IF\\s+NOT\\s+EXISTS)?\\s+${q}(?<create>\\w+)`,
      `\\bDROP\\s+TABLE(?:\\s+IF\\s+EXISTS)?\\s+${q}(?<drop>\\w+)`,
      `\\bALTER\\s+TABLE\\s+${q}(?<from>\\w+)["\`\\]]?\\s+RENAME\\s+TO\\s+${q}(?<to>\\w+)`,
    ].join('|'),
    'gi',
  );
  for (const sql of migrations) {
    for (const m of sql.replace(/--[^\n]*/g, '').matchAll(statement)) {
      const g = m.groups!;
      if (g.create) created(g.create);
      else if (g.drop) gone(g.drop);
      else if (g.from && g.to) {
        gone(g.from);
        created(g.to);
      }
    }
  }
  return { tables: [...tables], dropped: [...dropped] };
}
