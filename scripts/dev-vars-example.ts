/**
 * `.dev.vars.example` from CONFIG_VARS: `npx tsx scripts/dev-vars-example.ts > .dev.vars.example`
 * prints it; a test checks the file holds exactly this.
 */
import { CONFIG_VARS } from './config-vars';

export function devVarsExample(): string {
  const lines = ['# Every configuration variable (see README). Copy to .dev.vars for `wrangler dev`.', ''];
  for (const v of CONFIG_VARS) {
    lines.push(`# ${v.description} (read by: ${v.for}${v.default ? `; default ${v.default}` : ''})`);
    lines.push(`# ${v.name}=`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(devVarsExample());
