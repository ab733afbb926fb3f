/**
 * `npm run sim`: every simulator (and the 35.com bridge) alone, printing what points at them. The
 * bridge reads its own variables (COM35_*, BRIDGE_*) from the environment, as under `npm start`.
 */

import { ConfigError } from '../src/core/config-schema';
import { SECRET_VARS } from '../src/env';
import { startStack } from './stack';

const stack = await startStack({
  latencyMs: Number(process.env.SIM_LATENCY_MS ?? 0),
  env: process.env,
}).catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(`configuration: ${problem}`);
  process.exit(2);
});
for (const [key, sim] of Object.entries(stack.simulators))
  console.log(`simulator ${key.padEnd(10)} ${sim.controlUrl}`);
for (const [name, url] of Object.entries(stack.components)) console.log(`${name.padEnd(20)} ${url}`);
console.log('worker env:');
for (const [k, v] of Object.entries(stack.workerEnv)) {
  // The simulators' credentials are test values; a secret from the environment is never printed.
  const yours = SECRET_VARS.has(k) && process.env[k] === v;
  console.log(`  ${k}=${yours ? '(your value from the environment)' : v}`);
}
const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
