/**
 * vitest globalSetup of the `worker` project: starts every simulator (and the 35.com bridge) on
 * 127.0.0.1 port 0 in this Node process, and provides the env vars that point the worker at them.
 * The worker project's config reads them with `inject('stackEnv')` and sets them as bindings, so
 * the worker under test, its queue consumer and its Durable Objects all reach the simulators.
 */
import type { TestProject } from 'vitest/node';
import { startStack } from '../../sim/stack';
import { startCallbackReceiver } from './callback-receiver';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
    simControl: Record<string, string>;
    /** Billing webhooks: base URL of the stand-in billing system that receives our callbacks. */
    callbackReceiver: string;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide('stackEnv', stack.workerEnv);
  project.provide(
    'simControl',
    Object.fromEntries(Object.entries(stack.simulators).map(([k, s]) => [k, s.controlUrl])),
  );
  // Billing webhooks (issue 10): a stand-in billing system for the signed outbound callbacks.
  const receiver = await startCallbackReceiver();
  project.provide('callbackReceiver', receiver.url);
  return async () => {
    await receiver.close();
    await stack.close();
  };
}
