/** Prints the README's configuration table from CONFIG_VARS: `npx tsx scripts/config-table.ts`. */
import { CONFIG_VARS } from './config-vars';

const rows = CONFIG_VARS.map(
  (v) =>
    `| \`${v.name}\` | ${v.for} | ${v.secret ? 'yes' : ''} | ${v.default ? `\`${v.default}\`` : ''} | ${v.description} |`,
);
console.log(
  ['| variable | read by | secret | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n'),
);
