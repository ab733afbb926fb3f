/** docs/deploy.md stays true to the code: its list of secrets is the one the declarations make. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploySecretsTable } from '../../scripts/deploy-secrets';
import { REPO_ROOT } from '../../scripts/local-stack';
import { SERVICE_VARS } from '../../src/config-vars';

const page = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');

describe('docs/deploy.md', () => {
  it('holds the list of secrets by feature exactly as generated from the declarations', () => {
    const table = /<!-- deploy-secrets:start -->\n([\s\S]*?)\n<!-- deploy-secrets:end -->/.exec(page)?.[1];
    expect(table).toBe(deploySecretsTable());
  });

  it.each(SERVICE_VARS.filter((v) => v.secret && v.for !== 'bridge').map((v) => [v.name]))(
    'names %s, a secret the worker reads',
    (name) => {
      expect(page).toContain(`\`${name}\``);
    },
  );

  it('names every npm script it tells the operator to run', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    for (const [, name] of page.matchAll(/npm run ([a-z:]+)/g)) expect(scripts).toContain(name);
  });
});
