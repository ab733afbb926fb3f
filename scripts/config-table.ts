/**
 * The README's configuration table from CONFIG_VARS, columns aligned:
 * `npx tsx scripts/config-table.ts` prints it (paste between the config-table markers); a test
 * checks the README holds exactly this.
 */
import { CONFIG_VARS } from './config-vars';

export function configTable(): string {
  const header = ['variable', 'read by', 'secret', 'default', 'meaning'];
  // A `|` inside a cell would end it: Markdown tables escape it.
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = CONFIG_VARS.map((v) =>
    [`\`${v.name}\``, v.for, v.secret ? 'yes' : '', v.default ? `\`${v.default}\`` : '', v.description].map(
      cell,
    ),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(configTable());
