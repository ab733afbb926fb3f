/**
 * 35.com (China Channel) from the worker's side: the worker never opens the TCP socket; it sends
 * `{category, action, params}` to the Node bridge (`src/tcp-bridge/`) over HTTP signed with
 * BRIDGE_SECRET, and the bridge owns the 35.com credentials and session pool.
 */
import { z } from 'zod';
import { originUrl, secret } from '../../core/config-schema';
import { defineProvider, defineProviderDefinition } from '../define';

const configSchema = z.object({ BRIDGE_URL: originUrl, BRIDGE_SECRET: secret });
export type Com35Config = z.infer<typeof configSchema>;

export const com35 = defineProviderDefinition<Com35Config>({
  key: 'com35',
  displayName: '35.com',
  env: { required: ['BRIDGE_URL', 'BRIDGE_SECRET'], optional: [] },
  parseConfig: (vars) => configSchema.parse(vars),
  // The bridge queues and serializes per session itself; the gate only bounds fan-out.
  gate: () => ({ concurrency: 4 }),
  create: (account) =>
    defineProvider({ key: 'com35', account, limits: { availabilityBatch: 1, concurrency: 2 } }, {}),
});
