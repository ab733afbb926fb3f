/** The README and .dev.vars.example stay true to the code's list of configuration variables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../scripts/config-table';
import { CONFIG_VARS } from '../../scripts/config-vars';
import { devVarsExample } from '../../scripts/dev-vars-example';
import { REPO_ROOT } from '../../scripts/local-stack';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const example = readFileSync(join(REPO_ROOT, '.dev.vars.example'), 'utf8');

describe('README', () => {
  it('has the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it.each(CONFIG_VARS.map((v) => [v.name]))(
    'documents %s in the configuration table and the example',
    (name) => {
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\`\\s*\\|`, 'm'));
      expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
    },
  );

  it('holds the configuration table and the example exactly as generated from CONFIG_VARS', () => {
    const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table).toBe(configTable());
    expect(example).toBe(`${devVarsExample()}\n`);
  });
});
