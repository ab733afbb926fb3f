/** The bridge's defaults are written once in code (BRIDGE_DEFAULTS), and the README's table shows those. */
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../../scripts/config-vars';
import { TUNING } from './config';
import { BRIDGE_DEFAULTS } from './server';

describe('bridge tuning variables', () => {
  it.each(Object.entries(TUNING))('%s documents the default the bridge uses', (name, { option }) => {
    const documented = CONFIG_VARS.find((v) => v.name === name);
    expect(documented, `${name} is in the configuration table`).toBeDefined();
    const code = BRIDGE_DEFAULTS[option as keyof typeof BRIDGE_DEFAULTS];
    if (code === undefined) expect(documented!.default).toBeUndefined();
    else expect(documented!.default).toBe(String(code));
  });
});
