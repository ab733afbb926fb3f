/**
 * `npm start` with two 35.com accounts (sim/stack.ts): each simulated 35.com account gets a
 * simulator of its own behind the one local bridge, so the two are two members with their own
 * domains and balance, as two HTTP accounts are. Checked through the worker's own providers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerAccounts } from '../../scripts/local-config';
import type { RunningCom35Simulator } from '../../sim/com35/start';
import { type RunningStack, startStack } from '../../sim/stack';
import { silentLogger } from '../../src/core/log';
import { loadConfig } from '../../src/env';

const ACCOUNTS = 'com35=com35,com35-sub=com35';
let stack: RunningStack;

beforeAll(async () => {
  const env = { ACCOUNTS };
  stack = await startStack({
    accounts: workerAccounts(env),
    env,
    skip: new Set(['dynadot', 'logicboxes', 'alibaba', 'mrdomain']),
  });
});
afterAll(() => stack.close());

function providerOf(name: string) {
  const config = loadConfig({ ...stack.workerEnv, ACCOUNTS });
  const account = config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`no account ${name}`);
  return account.definition.create(account.name, account.config, { fetch, logger: silentLogger });
}

describe('two simulated 35.com accounts', () => {
  it('starts a simulator per account, each a registrar of its own', () => {
    const main = stack.simulators.com35 as RunningCom35Simulator | undefined;
    const sub = stack.simulators['com35-sub'] as RunningCom35Simulator | undefined;
    expect(main?.key).toBe('com35');
    expect(sub?.key).toBe('com35');
    expect(sub?.tcpPort).not.toBe(main?.tcpPort);
  });

  it('routes each account to its own simulator through the one bridge', async () => {
    const sub = stack.simulators['com35-sub'] as RunningCom35Simulator;
    sub.registrar.addDomain({ name: 'held-by-sub.com', exDate: '2031-03-01' });
    sub.registrar.accounts.get(sub.env.COM35_CLID!)!.balanceFen = 4_321;

    expect((await providerOf('com35-sub').getDomain('held-by-sub.com', {})).expiresAt).toBe(
      '2031-03-01T00:00:00.000Z',
    );
    await expect(providerOf('com35').getDomain('held-by-sub.com', {})).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect((await providerOf('com35-sub').getBalance({})).available.amount).toBe('43.21');
    expect((await providerOf('com35').getBalance({})).available.amount).not.toBe('43.21');
  });
});
