/**
 * `npm start` with several accounts of one registrar (sim/stack.ts, sim/accounts.ts): one
 * simulator instance per simulated account, each with its own port, key, domains and balance, and
 * its variables named under the account's prefix; an account whose credentials are set is not
 * simulated. Checked over HTTP against the running instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerAccounts } from '../../scripts/local-config';
import { type RunningStack, startStack } from '../../sim/stack';
import { loadConfig } from '../../src/env';

let stack: RunningStack;

beforeAll(async () => {
  const env = { ACCOUNTS: 'dynadot=dynadot,dynadot-bulk=dynadot,lb-two=logicboxes,mrdomain=mrdomain' };
  stack = await startStack({ accounts: workerAccounts(env), skip: new Set(['com35', 'mrdomain']) });
});
afterAll(() => stack.close());

interface DynadotState {
  balance: { amount: string };
  domains: Array<{ name: string }>;
}

async function stateOf<T>(account: string): Promise<T> {
  return (await (await fetch(`${stack.simulators[account]!.controlUrl}/__sim/state`)).json()) as T;
}

/** `get_account_balance` at a Dynadot instance with a key: the reply's text. */
async function balanceReply(baseUrl: string, key: string): Promise<string> {
  return (await fetch(`${baseUrl}/api3.xml?key=${key}&command=get_account_balance`)).text();
}

describe('one simulator instance per simulated account', () => {
  it('starts the listed accounts that are not skipped, keyed by account name', () => {
    expect(Object.keys(stack.simulators).sort()).toEqual(['dynadot', 'dynadot-bulk', 'lb-two']);
    expect(stack.simulators['lb-two']?.key).toBe('logicboxes');
  });

  it("names each account's variables under its prefix, the default account's as today", () => {
    expect(Object.keys(stack.accountEnv.dynadot ?? {}).sort()).toEqual([
      'DYNADOT_API_KEY',
      'DYNADOT_BASE_URL',
    ]);
    expect(Object.keys(stack.accountEnv['dynadot-bulk'] ?? {}).sort()).toEqual([
      'DYNADOT_BULK_API_KEY',
      'DYNADOT_BULK_BASE_URL',
    ]);
    expect(Object.keys(stack.accountEnv['lb-two'] ?? {}).sort()).toEqual([
      'LB_TWO_API_KEY',
      'LB_TWO_AUTH_USERID',
      'LB_TWO_BASE_URL',
    ]);
    // The worker reads the stack's env as these accounts (mrdomain is skipped: its own credentials).
    const config = loadConfig({
      ...stack.workerEnv,
      ACCOUNTS: 'dynadot=dynadot,dynadot-bulk=dynadot,lb-two=logicboxes',
    });
    expect(config.accounts.map((a) => [a.name, a.provider])).toEqual([
      ['dynadot', 'dynadot'],
      ['dynadot-bulk', 'dynadot'],
      ['lb-two', 'logicboxes'],
    ]);
  });

  it('gives each instance its own key, domains and balance', async () => {
    const main = stack.accountEnv.dynadot!;
    const bulk = stack.accountEnv['dynadot-bulk']!;
    expect(bulk.DYNADOT_BULK_BASE_URL).not.toBe(main.DYNADOT_BASE_URL);
    expect(bulk.DYNADOT_BULK_API_KEY).not.toBe(main.DYNADOT_API_KEY);
    // Each instance answers its own key and refuses the other account's.
    expect(await balanceReply(bulk.DYNADOT_BULK_BASE_URL!, bulk.DYNADOT_BULK_API_KEY!)).toContain(
      '<Balance>',
    );
    expect(await balanceReply(bulk.DYNADOT_BULK_BASE_URL!, main.DYNADOT_API_KEY!)).toContain('invalid key');
    expect(await balanceReply(main.DYNADOT_BASE_URL!, bulk.DYNADOT_BULK_API_KEY!)).toContain('invalid key');

    const [mainState, bulkState] = [
      await stateOf<DynadotState>('dynadot'),
      await stateOf<DynadotState>('dynadot-bulk'),
    ];
    expect(bulkState.balance.amount).not.toBe(mainState.balance.amount);
    const mainNames = new Set(mainState.domains.map((d) => d.name));
    expect(bulkState.domains.length).toBe(mainState.domains.length);
    for (const { name } of bulkState.domains) {
      expect(mainNames.has(name), name).toBe(false);
      expect(name.startsWith('dynadot-bulk-'), name).toBe(true);
    }
  });

  it("a renewal at one instance leaves the other's domains and balance alone", async () => {
    const bulk = stack.accountEnv['dynadot-bulk']!;
    const before = await stateOf<DynadotState>('dynadot');
    const res = await fetch(
      `${bulk.DYNADOT_BULK_BASE_URL}/api3.xml?key=${bulk.DYNADOT_BULK_API_KEY}&command=renew&domain=dynadot-bulk-renew-me.net&duration=1`,
    );
    expect(await res.text()).toContain('<Status>success</Status>');
    expect((await stateOf<{ renewals: unknown[] }>('dynadot-bulk')).renewals).toHaveLength(1);
    const after = await stateOf<DynadotState & { renewals: unknown[] }>('dynadot');
    expect(after.renewals).toEqual([]);
    expect(after.balance).toEqual(before.balance);
  });
});
