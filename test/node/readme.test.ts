/** The README and .dev.vars.example stay true to the code's list of configuration variables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../scripts/config-table';
import { CONFIG_VARS, SCRIPT_VARS } from '../../scripts/config-vars';
import { devVarsExample } from '../../scripts/dev-vars-example';
import { REPO_ROOT } from '../../scripts/local-stack';
import { botSettings } from '../../src/bot/config';
import { accountSettings } from '../../src/core/account-names';
import { parseVars, type VarSpec, type VarSpecs } from '../../src/core/config-declaration';
import { alertSettings, coreSettings, priceSettings } from '../../src/core/core-config';
import { renewalSettings } from '../../src/core/renewals/config';
import { webhookSettings } from '../../src/core/webhook-config';
import { dashboardSettings } from '../../src/dashboard/config';
import { providers } from '../../src/providers/registry';
import { BRIDGE_VARS } from '../../src/tcp-bridge/config';

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

  it('has the subsection the ACCOUNTS row names, with one complete example', () => {
    const row = readme.split('\n').find((l) => l.startsWith('| `ACCOUNTS`'));
    expect(row).toContain('“Several accounts per registrar”');
    const section = /^### Several accounts per registrar\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    for (const name of ['ACCOUNTS=', 'DYNADOT_BULK_API_KEY=', 'BRIDGE_ACCOUNTS=', 'COM35_SUB_HOST='])
      expect(section).toContain(name);
  });

  it('holds the configuration table and the example exactly as generated from CONFIG_VARS', () => {
    const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table).toBe(configTable());
    expect(example).toBe(`${devVarsExample()}\n`);
  });

  it('says of each declared variable who reads it, whether it is secret, and the default it parses to', () => {
    const row = (name: string) => {
      const line = readme.split('\n').find((l) => l.startsWith(`| \`${name}\``));
      const [, , reader, secret, fallback] = (line ?? '').split(/(?<!\\)\|/).map((cell) => cell.trim());
      return { reader, secret, fallback };
    };
    const declared: [string, VarSpec][] = [
      ...[
        coreSettings,
        accountSettings,
        priceSettings,
        renewalSettings,
        alertSettings,
        webhookSettings,
        botSettings,
        dashboardSettings,
      ].flatMap((part) => Object.entries(part.vars as VarSpecs)),
      ...Object.values(providers).flatMap((definition) =>
        Object.entries(definition.config.vars).map(([suffix, spec]): [string, VarSpec] => [
          definition.config.nameOf(suffix),
          spec,
        ]),
      ),
      ...Object.entries(BRIDGE_VARS as VarSpecs),
      ...Object.entries(SCRIPT_VARS as VarSpecs),
    ];
    expect(declared.map(([name]) => name).sort()).toEqual(CONFIG_VARS.map((v) => v.name).sort());
    for (const [name, spec] of declared) {
      expect(row(name), name).toMatchObject({ reader: spec.for, secret: spec.secret ? 'yes' : '' });
      if (spec.shownDefault !== undefined) {
        expect(row(name).fallback, name).toBe(`\`${spec.shownDefault}\``);
        continue;
      }
      // What an unset variable really becomes, read through its own schema.
      const parsed = parseVars({ [name]: spec }, {});
      const value: unknown = parsed.ok ? parsed.value[name] : undefined;
      const shown = Array.isArray(value)
        ? value.join(',')
        : typeof value === 'object'
          ? ''
          : String(value ?? '');
      expect(row(name).fallback, name).toBe(shown === '' ? '' : `\`${shown}\``);
    }
  });
});
