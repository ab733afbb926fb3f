/**
 * Account names and the `name=provider` lists that declare them (`ACCOUNTS` in the worker,
 * `BRIDGE_ACCOUNTS` in the 35.com bridge). An account reads its provider's variables under a
 * prefix made from its name (`dynadot-bulk` → `DYNADOT_BULK_API_KEY`), so the account named like
 * its provider (`dynadot`) reads the provider's own names and a single-account setup is the
 * special case of this rule.
 */
import { z } from 'zod';
import { defineConfigPart } from './config-declaration';

/** Lower-case letters, digits and `-`, 1–32 characters. */
export const ACCOUNT_NAME = /^[a-z0-9-]{1,32}$/;

/** How every door words a name that breaks the rule (an unknown but valid name is a 404 instead). */
export const ACCOUNT_NAME_RULE = 'not an account name (1–32 lower-case letters, digits or -)';

/** An `account` field or parameter of any door: the name rule only; whether it is configured is `Accounts.get`'s to say. */
export const accountNameSchema = z.string().regex(ACCOUNT_NAME, ACCOUNT_NAME_RULE);

/** The variable prefix of an account: its name in upper snake case (`lb-brand-a` → `LB_BRAND_A`). */
export function accountPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

export interface AccountEntry {
  name: string;
  /** The provider key as written; whether such a provider exists is checked by the reader. */
  provider: string;
}

/** `dynadot-retail=dynadot,dynadot-bulk=dynadot,com35=com35`: names unique, each a valid name. */
export const accountListSchema = z
  .string()
  .trim()
  .transform((value, ctx): AccountEntry[] => {
    const entries: AccountEntry[] = [];
    const seen = new Set<string>();
    for (const part of value.split(',').map((p) => p.trim())) {
      const match = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(part);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of name=provider pairs' });
        return z.NEVER;
      }
      const [, name = '', provider = ''] = match;
      if (!ACCOUNT_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `account name "${name}" must be 1–32 lower-case letters, digits or -`,
        });
      } else if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', message: `account name "${name}" is listed twice` });
      }
      seen.add(name);
      entries.push({ name, provider });
    }
    return entries;
  });

/** `ACCOUNTS`, declared once (the bridge's `BRIDGE_ACCOUNTS` uses the same syntax). */
export const accountSettings = defineConfigPart({
  vars: {
    ACCOUNTS: {
      schema: accountListSchema.optional(),
      for: 'worker',
      shownDefault: 'one per configured registrar',
      description: 'Registrar accounts as `name=provider` pairs (see “Several accounts per registrar”).',
    },
  },
  build: (v): AccountEntry[] | undefined => v.ACCOUNTS,
});
