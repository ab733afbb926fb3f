/**
 * vitest globalSetup of the `worker` project: starts every simulator (and the 35.com bridge) on
 * 127.0.0.1 port 0 in this Node process, and provides the env vars that point the worker at them.
 * The worker project's config reads them with `inject('stackEnv')` and sets them as bindings, so
 * the worker under test, its queue consumer and its Durable Objects all reach the simulators.
 *
 * Two more accounts get simulator instances of their own: `dynadot-bulk` (a second Dynadot account)
 * and `lb-two` (a second LogicBoxes account). Their variables are provided apart
 * (`extraAccountsEnv`) and ACCOUNTS is not set globally, so every test keeps its one account per
 * registrar; the accounts tests add ACCOUNTS and these variables to an env of their own.
 */
import type { TestProject } from 'vitest/node';
import { defaultAccounts, type StackAccount } from '../../sim/accounts';
import { startStack } from '../../sim/stack';
import { providers } from '../../src/providers/registry';
import { startCallbackReceiver } from './callback-receiver';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
    /** Variables of the extra accounts (`DYNADOT_BULK_API_KEY`, `LB_TWO_API_KEY`, …). */
    extraAccountsEnv: Record<string, string>;
    /** Control URL of each default account's simulator, by account (= registrar) name. */
    simControl: Record<string, string>;
    /** Control URL of each extra account's simulator instance, by account name. */
    extraSimControl: Record<string, string>;
    /** Billing webhooks: base URL of the stand-in billing system that receives our callbacks. */
    callbackReceiver: string;
  }
}

/** Where the test bridge's relayed calls leave from: the one address allow-list tests let in. */
export const RELAY_SOURCE_ADDRESS = '127.0.0.2';

/** The accounts beyond one per registrar that the worker tests can turn on. */
export const EXTRA_ACCOUNTS: readonly StackAccount[] = [
  { name: 'dynadot-bulk', provider: 'dynadot', config: providers.dynadot.config },
  { name: 'lb-two', provider: 'logicboxes', config: providers.logicboxes.config },
];

export default async function setup(project: TestProject) {
  // The bridge relays from 127.0.0.2 to the simulators (issue 21); no account uses the relay unless
  // a test's own env sets its `<PREFIX>_VIA_BRIDGE`, so every other test is unchanged.
  const stack = await startStack({
    accounts: [...defaultAccounts(), ...EXTRA_ACCOUNTS],
    relay: { sourceAddress: RELAY_SOURCE_ADDRESS },
  });
  const extra = new Set(EXTRA_ACCOUNTS.map((account) => account.name));
  const extraEnv = Object.assign({}, ...[...extra].map((name) => stack.accountEnv[name]));
  project.provide(
    'stackEnv',
    Object.fromEntries(Object.entries(stack.workerEnv).filter(([name]) => !(name in extraEnv))),
  );
  project.provide('extraAccountsEnv', extraEnv);
  const controls = Object.entries(stack.simulators).map(([name, s]) => [name, s.controlUrl] as const);
  // Apart: tests that walk every simulator in simControl walk the registrars' default accounts.
  project.provide('simControl', Object.fromEntries(controls.filter(([name]) => !extra.has(name))));
  project.provide('extraSimControl', Object.fromEntries(controls.filter(([name]) => extra.has(name))));
  // Billing webhooks (issue 10): a stand-in billing system for the signed outbound callbacks.
  const receiver = await startCallbackReceiver();
  project.provide('callbackReceiver', receiver.url);
  return async () => {
    await receiver.close();
    await stack.close();
  };
}
