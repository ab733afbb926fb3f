/**
 * The local stack behind the worker: every simulator, plus the 35.com TCP bridge in front of the
 * 35.com simulator. Returns the env vars that wire the worker to all of them.
 */
import { SIMULATORS } from './index';
import type { RunningSimulator, SimulatorOptions } from './types';

export interface RunningStack {
  /** Env vars for the worker (base URLs and simulator credentials). */
  workerEnv: Record<string, string>;
  simulators: Record<string, RunningSimulator>;
  /** Extra components (the bridge), by name → URL. */
  components: Record<string, string>;
  close(): Promise<void>;
}

export interface StackOptions extends SimulatorOptions {
  /** Keys of registrars NOT to simulate (their env vars point at a real upstream instead). */
  skip?: ReadonlySet<string>;
}

export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  const simulators: Record<string, RunningSimulator> = {};
  const closers: Array<() => Promise<void>> = [];
  const stack: RunningStack = {
    workerEnv: {},
    simulators,
    components: {},
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
  };
  try {
    for (const [key, start] of Object.entries(SIMULATORS)) {
      if (opts.skip?.has(key)) continue;
      const sim = await start({ host: opts.host, latencyMs: opts.latencyMs });
      simulators[key] = sim;
      closers.push(() => sim.close());
      Object.assign(stack.workerEnv, sim.env);
    }
    // Components that sit between the worker and a simulator (the 35.com TCP bridge) start here,
    // after the simulators they talk to.
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
}
