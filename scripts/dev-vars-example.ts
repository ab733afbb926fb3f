/** Prints `.dev.vars.example` from CONFIG_VARS: `npx tsx scripts/dev-vars-example.ts > .dev.vars.example`. */
import { CONFIG_VARS } from './config-vars';

const lines = ['# Every configuration variable (see README). Copy to .dev.vars for `wrangler dev`.', ''];
for (const v of CONFIG_VARS) {
  lines.push(`# ${v.description} (read by: ${v.for}${v.default ? `; default ${v.default}` : ''})`);
  lines.push(`# ${v.name}=`);
}
console.log(lines.join('\n'));
