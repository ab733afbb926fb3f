/** What each registrar simulator gives the stack once it listens. */
export interface RunningSimulator {
  key: string;
  /** Base URL of the `/__sim/*` control API (fault injection, state, reset). */
  controlUrl: string;
  /**
   * Env vars that point the gateway at this simulator, credentials included (the simulator's own
   * test account). For 35.com these are the bridge's vars (COM35_HOST, COM35_PORT, …).
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay added to every reply (simulated RTT). */
  latencyMs?: number;
  /**
   * The account's API allow-list: only these client addresses are served, every other one gets what
   * the registrar answers a stranger. Empty or absent = off. `POST /__sim/allowlist` changes it at
   * run time.
   */
  allowFrom?: string[];
  /**
   * The account this instance plays when it is not the registrar's default one (`dynadot-bulk`):
   * its own credentials, domains and balance (sim/shared/instance.ts). HTTP simulators only.
   */
  account?: string;
}

export type SimulatorFactory = (opts: SimulatorOptions) => Promise<RunningSimulator>;
