/**
 * The worker's bundle replaces `zod` by scripts/bundle/zod-without-locales.ts (wrangler.toml
 * `[alias]`). `npm start` and the fault campaign run that bundle; this test keeps the replacement
 * zod's own, export for export, so no member the code reaches is missing after a zod upgrade.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import * as shim from '../../scripts/bundle/zod-without-locales';

const without = (keys: string[], name: string) => keys.filter((k) => k !== name).sort();

describe('zod without locales (the bundle alias)', () => {
  it('has every export of zod but `locales`, at the top, in `z` and in `z.core`', () => {
    expect(Object.keys(shim).sort()).toEqual(without(Object.keys(zod), 'locales'));
    expect(Object.keys(shim.z).sort()).toEqual(without(Object.keys(zod.z), 'locales'));
    expect(Object.keys(shim.z.core).sort()).toEqual(without(Object.keys(zod.z.core), 'locales'));
    expect('locales' in shim.z).toBe(false);
  });

  it('is the same zod: one ZodType class, English messages', () => {
    expect(shim.z.ZodType).toBe(zod.z.ZodType);
    const result = shim.z.object({ years: shim.z.number() }).safeParse({ years: 'one' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/expected number/i);
  });

  it('is what wrangler.toml aliases `zod` to', () => {
    const toml = readFileSync(join(__dirname, '../../wrangler.toml'), 'utf8');
    expect(toml).toMatch(/\[alias\]\n"zod" = "\.\/scripts\/bundle\/zod-without-locales\.ts"/);
  });
});
