/**
 * The local stack behind the worker: one simulator instance per simulated account of an HTTP
 * registrar (sim/accounts.ts), plus the 35.com TCP bridge in front of the 35.com simulator — or,
 * per account, in front of the 35.com host that the bridge's own variables (COM35_*,
 * COM35_<ACCOUNT>_*) name. Returns the env vars that wire the worker to all of them.
 */
import { accountListSchema, accountPrefix } from '../src/core/account-names';
import { createLogger, silentLogger } from '../src/core/log';
import type { Com35Account } from '../src/tcp-bridge/account-pools';
import { type BridgeAccountEnv, bridgeSecretValues, parseBridgeEnv } from '../src/tcp-bridge/config';
import { type BridgeConfig, startBridge } from '../src/tcp-bridge/server';
import { defaultAccounts, type StackAccount, startAccountSimulator } from './accounts';
import { SIMULATORS } from './registry';
import type { RunningSimulator, SimulatorOptions } from './types';

/** The bridge secret of the local stack: a recognizable test value, never a real one. */
export const STACK_BRIDGE_SECRET = 'sim-bridge-secret-0001-not-for-production';

export interface RunningStack {
  /** Env vars for the worker (base URLs and simulator credentials). */
  workerEnv: Record<string, string>;
  /** By account name (a registrar's default account is named like it): each its own instance. */
  simulators: Record<string, RunningSimulator>;
  /** The worker's variables of each simulated HTTP registrar account, by account name. */
  accountEnv: Record<string, Record<string, string>>;
  /** Extra components (the bridge), by name → URL. */
  components: Record<string, string>;
  /** Where the bridge's 35.com sessions go: `simulator`, or the host:port that COM35_* named. */
  com35Upstream?: string;
  /**
   * Stop the bridge (35.com sessions logged out, then every open connection cut, relays in flight
   * included) and start a fresh one on the same port, if there is one.
   */
  restartBridge?(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions extends Omit<SimulatorOptions, 'account'> {
  /**
   * The worker's accounts (its `ACCOUNTS`, with each registrar's declaration); default: one per
   * registrar, named like it. Each HTTP registrar's account not skipped gets its own simulator.
   */
  accounts?: readonly StackAccount[];
  /** Names of accounts NOT to simulate (their env vars point at a real upstream instead). */
  skip?: ReadonlySet<string>;
  /**
   * The bridge's variables (`npm start`: its environment; tests: none). A 35.com account set there
   * (COM35_HOST, COM35_PORT, COM35_CLID, COM35_PASSWORD) replaces the 35.com simulator; BRIDGE_SECRET,
   * BRIDGE_HOST, BRIDGE_PORT and the bridge's limits apply to the bridge as they do to `npm run bridge`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The bridge's fixed-IP relay (issue 21): its outgoing calls leave from `sourceAddress` (tests and
   * `LOCAL_ALLOWLIST=1`: 127.0.0.2, the one address the simulators' allow-lists let in), and it
   * may reach exactly the HTTP simulators' origins (BRIDGE_ALLOWED_ORIGINS). Whether an account's
   * calls use it is the worker's `<PREFIX>_VIA_BRIDGE`. `enforced` (`LOCAL_ALLOWLIST=1`): the HTTP
   * simulators start in allow-list mode with only `sourceAddress`, so a call that bypasses the relay
   * fails loudly. The 35.com simulator stays open: the bridge's own 35.com sessions leave from the
   * host's default address, not from the relay's.
   */
  relay?: { sourceAddress: string; enforced?: boolean };
}

/** The origin of each simulated HTTP account, as its worker variables name it (`*_BASE_URL`, `*_ENDPOINT`). */
export function simulatorOrigins(accountEnv: Record<string, Record<string, string>>): string[] {
  const origins = Object.values(accountEnv).flatMap((vars) =>
    Object.entries(vars)
      .filter(([name]) => name.endsWith('_BASE_URL') || name.endsWith('_ENDPOINT'))
      .map(([, value]) => new URL(value).origin),
  );
  return [...new Set(origins)];
}

/** The bridge variables that turn its relay on for the simulated accounts. */
export function relayBridgeEnv(
  relay: { sourceAddress: string },
  accountEnv: Record<string, Record<string, string>>,
): Record<string, string> {
  return {
    BRIDGE_ALLOWED_ORIGINS: simulatorOrigins(accountEnv).join(','),
    BRIDGE_SOURCE_ADDRESS: relay.sourceAddress,
  };
}

/** Against the simulator only: reconnect at once, so a test's dropped session is back quickly. */
const SIMULATOR_RECONNECT = { reconnectBaseMs: 50, reconnectMaxMs: 1_000 };

/**
 * The bridge's variables with its account list settled: BRIDGE_ACCOUNTS when set, else the 35.com
 * accounts of the worker's ACCOUNTS (so every 35.com account the worker names exists on the local
 * bridge), else none (the one account `com35`). An unreadable ACCOUNTS is left to the worker's
 * own check, which names it.
 */
export function withBridgeAccounts(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  if (env.BRIDGE_ACCOUNTS || !env.ACCOUNTS) return { ...env };
  const listed = accountListSchema.safeParse(env.ACCOUNTS);
  const com35 = listed.success ? listed.data.filter((a) => a.provider === 'com35') : [];
  return com35.length > 0
    ? { ...env, BRIDGE_ACCOUNTS: com35.map((a) => `${a.name}=${a.provider}`).join(',') }
    : { ...env };
}

/**
 * The bridge's account map: each account's own 35.com host where its variables are set, else the
 * upstream `simulated(name)` gives it (a 35.com simulator's member).
 */
export function bridgeAccountsFrom(
  accounts: readonly BridgeAccountEnv[],
  simulated: (name: string) => Com35Account,
): Record<string, Com35Account> {
  return Object.fromEntries(accounts.map(({ name, upstream }) => [name, upstream ?? simulated(name)]));
}

export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  // Before anything listens: a bad bridge variable stops the stack with every problem named. No
  // local bridge (35.com skipped: a bridge elsewhere serves the worker), no bridge rules to apply.
  const bridgeEnv = opts.skip?.has('com35') ? undefined : parseBridgeEnv(withBridgeAccounts(opts.env ?? {}));
  const anyReal = bridgeEnv?.accounts.some((a) => a.upstream !== undefined) ?? false;
  const simulators: Record<string, RunningSimulator> = {};
  const closers: Array<() => Promise<void>> = [];
  const stack: RunningStack = {
    workerEnv: {},
    simulators,
    accountEnv: {},
    components: {},
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
  };
  try {
    // One 35.com simulator per bridge account without a 35.com host of its own, so two simulated
    // 35.com accounts are two members with their own domains and balance. Its env (COM35_*) is
    // the bridge's, never the worker's.
    const startCom35 = SIMULATORS.com35;
    for (const { name } of bridgeEnv?.accounts.filter((a) => a.upstream === undefined) ?? []) {
      if (!startCom35) break;
      const sim = await startCom35({ host: opts.host, latencyMs: opts.latencyMs, allowFrom: opts.allowFrom });
      simulators[name] = sim;
      closers.push(() => sim.close());
      // 35.com cannot list hosts or mail: the worker's account names the simulator's seeded ones.
      if (sim.env.COM35_SERVICES) stack.workerEnv[`${accountPrefix(name)}_SERVICES`] = sim.env.COM35_SERVICES;
    }
    for (const account of opts.accounts ?? defaultAccounts()) {
      if (account.provider === 'com35' || opts.skip?.has(account.name)) continue;
      const { simulator, vars } = await startAccountSimulator(account, {
        ...opts,
        allowFrom: opts.relay?.enforced ? [opts.relay.sourceAddress] : opts.allowFrom,
      });
      simulators[account.name] = simulator;
      closers.push(() => simulator.close());
      stack.accountEnv[account.name] = vars;
      Object.assign(stack.workerEnv, vars);
    }
    // Components that sit between the worker and a simulator (the 35.com TCP bridge) start here,
    // after the simulators they talk to.
    if (bridgeEnv) {
      // The relay's origins are the simulators' ports, known only now: read the bridge's variables
      // again with them (the first reading above already refused a bad variable).
      const relayEnv = opts.relay ? relayBridgeEnv(opts.relay, stack.accountEnv) : {};
      const { tuning } = opts.relay
        ? parseBridgeEnv(withBridgeAccounts({ ...opts.env, ...relayEnv }))
        : bridgeEnv;
      const accounts = bridgeAccountsFrom(bridgeEnv.accounts, (name) => {
        const simulator = simulators[name];
        return {
          host: simulator?.env.COM35_HOST ?? '127.0.0.1',
          port: Number(simulator?.env.COM35_PORT),
          clid: simulator?.env.COM35_CLID ?? '',
          password: simulator?.env.COM35_PASSWORD ?? '',
        };
      });
      const secrets = bridgeEnv.secrets ?? [STACK_BRIDGE_SECRET];
      const bridgeConfig = (port: number): BridgeConfig => ({
        ...(anyReal ? {} : SIMULATOR_RECONNECT),
        ...tuning,
        accounts,
        secret: secrets,
        listen: { host: bridgeEnv.listen.host ?? opts.host ?? '127.0.0.1', port },
        // A real 35.com host's refusals are worth seeing (secrets redacted); the simulator's are not.
        logger: anyReal
          ? createLogger({
              level: bridgeEnv.logLevel ?? 'warn',
              secrets: bridgeSecretValues(secrets, Object.values(accounts)),
              base: { app: 'com35-bridge' },
            })
          : silentLogger,
      });
      let bridge = await startBridge(bridgeConfig(bridgeEnv.listen.port ?? 0));
      // Closed before the simulator (closers run in reverse), so its sessions log out cleanly.
      closers.push(() => bridge.close());
      stack.components.bridge = bridge.url;
      stack.com35Upstream = anyReal
        ? bridgeEnv.accounts
            .map(({ name, upstream }) =>
              upstream ? `${name} → ${upstream.host}:${upstream.port}` : `${name} → simulator`,
            )
            .join(', ')
        : 'simulator';
      stack.workerEnv.BRIDGE_URL = bridge.url;
      // The worker signs with the first secret of a rotation, as a deployed worker does.
      stack.workerEnv.BRIDGE_SECRET = secrets.join(' ');
      stack.restartBridge = async () => {
        await bridge.close();
        bridge = await startBridge(bridgeConfig(Number(new URL(stack.components.bridge!).port)));
      };
    }
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
}
