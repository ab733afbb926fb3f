/**
 * The local stack behind the worker: every simulator, plus the 35.com TCP bridge in front of the
 * 35.com simulator. Returns the env vars that wire the worker to all of them.
 */
import { silentLogger } from '../src/core/log';
import { startBridge } from '../src/tcp-bridge/server';
import { SIMULATORS } from './index';
import type { RunningSimulator, SimulatorOptions } from './types';

/** The bridge secret of the local stack: a recognizable test value, never a real one. */
export const STACK_BRIDGE_SECRET = 'sim-bridge-secret-0001-not-for-production';

export interface RunningStack {
  /** Env vars for the worker (base URLs and simulator credentials). */
  workerEnv: Record<string, string>;
  simulators: Record<string, RunningSimulator>;
  /** Extra components (the bridge), by name → URL. */
  components: Record<string, string>;
  /** Stop the 35.com bridge (Logout, close) and start a fresh one on the same port, if there is one. */
  restartBridge?(): Promise<void>;
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
      // The 35.com simulator's env (COM35_*) is the bridge's, never the worker's.
      if (key !== 'com35') Object.assign(stack.workerEnv, sim.env);
    }
    // Components that sit between the worker and a simulator (the 35.com TCP bridge) start here,
    // after the simulators they talk to.
    const com35 = simulators.com35;
    if (com35) {
      const bridgeConfig = (port: number) => ({
        com35: {
          host: com35.env.COM35_HOST ?? '127.0.0.1',
          port: Number(com35.env.COM35_PORT),
          clid: com35.env.COM35_CLID ?? '',
          password: com35.env.COM35_PASSWORD ?? '',
        },
        secret: STACK_BRIDGE_SECRET,
        listen: { host: opts.host ?? '127.0.0.1', port },
        logger: silentLogger,
        reconnectBaseMs: 50,
        reconnectMaxMs: 1_000,
      });
      let bridge = await startBridge(bridgeConfig(0));
      // Closed before the simulator (closers run in reverse), so its sessions log out cleanly.
      closers.push(() => bridge.close());
      stack.components.bridge = bridge.url;
      stack.workerEnv.BRIDGE_URL = bridge.url;
      stack.restartBridge = async () => {
        await bridge.close();
        bridge = await startBridge(bridgeConfig(Number(new URL(stack.components.bridge!).port)));
      };
      stack.workerEnv.BRIDGE_SECRET = STACK_BRIDGE_SECRET;
    }
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
}
