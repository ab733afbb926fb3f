/** `npm run sim`: every simulator (and the 35.com bridge) alone, printing what points at them. */
import { startStack } from './stack';

const stack = await startStack({ latencyMs: Number(process.env.SIM_LATENCY_MS ?? 0) });
for (const [key, sim] of Object.entries(stack.simulators))
  console.log(`simulator ${key.padEnd(10)} ${sim.controlUrl}`);
for (const [name, url] of Object.entries(stack.components)) console.log(`${name.padEnd(20)} ${url}`);
console.log('worker env:');
for (const [k, v] of Object.entries(stack.workerEnv)) console.log(`  ${k}=${v}`);
const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
