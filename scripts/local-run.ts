/**
 * One local run of the product, for `npm start` and `npm run bot:local`: start the stack, bring
 * the inventory in line with the registrars, hand over, and stop every child process on Ctrl-C
 * or SIGTERM — at any moment, the start-up included.
 *
 * Exit codes: 0 after a stop by signal, 2 for a configuration problem (each printed with its
 * variable and rule, before anything started), 1 for any other failure.
 */
import { ConfigError } from '../src/core/config-schema';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './local-stack';

export interface LocalRun {
  local: LocalStack;
  /** Stop everything and exit (0). */
  stop(reason: string): Promise<never>;
}

interface SyncAnswer {
  accounts: Array<{
    account: string;
    added: number;
    updated: number;
    unchanged: number;
    vanished: number;
    error?: { kind: string; message: string };
  }>;
}

/**
 * `POST /v1/sync` once at start. Local D1 state survives restarts while the simulators start
 * fresh, so without it the inventory would be empty on a first run and stale after a restart:
 * the sync adds what the registrars hold, updates what changed and marks what vanished.
 */
async function syncAtStart(local: LocalStack, signal?: AbortSignal): Promise<string[]> {
  const timeout = AbortSignal.timeout(120_000);
  let res: Response;
  try {
    res = await fetch(`${local.url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.adminApiKey}` },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    // A slow real registrar does not stop the local run: the inventory is synced later, or by hand.
    return [`inventory            not synced (${(error as Error).message}); run POST /v1/sync later`];
  }
  if (res.status !== 200) return [`inventory            not synced: POST /v1/sync answered ${res.status}`];
  const { accounts } = (await res.json()) as SyncAnswer;
  const sum = (pick: (a: SyncAnswer['accounts'][number]) => number) =>
    accounts.reduce((n, a) => n + pick(a), 0);
  const held = sum((a) => a.added + a.updated + a.unchanged);
  return [
    `inventory            synced: ${held} domains held (added ${sum((a) => a.added)}, updated ${sum((a) => a.updated)}, vanished ${sum((a) => a.vanished)})`,
    ...accounts
      .filter((a) => a.error)
      .map((a) => `inventory            ${a.account} not read: ${a.error!.kind}: ${a.error!.message}`),
  ];
}

export async function runLocal(
  opts: Omit<LocalStackOptions, 'signal' | 'log'>,
  whenReady: (run: LocalRun) => Promise<void> | void,
): Promise<void> {
  const abort = new AbortController();
  let stopping = false;
  const started = startLocalStack({ ...opts, signal: abort.signal, log: (line) => console.log(line) });
  const stop = async (reason: string): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log(`${reason}: stopping`);
      // An aborted start-up stops what it started before it settles; a finished one is closed here.
      abort.abort();
      const local = await started.catch(() => undefined);
      await local?.close();
      console.log('stopped');
      process.exit(0);
    }
    return new Promise<never>(() => {});
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    const local = await started;
    const inventory = await syncAtStart(local, abort.signal);
    for (const line of inventory) console.log(line);
    if (!stopping) await whenReady({ local, stop });
  } catch (error) {
    if (stopping) return;
    if (error instanceof ConfigError) {
      console.error('configuration error — nothing is running:');
      for (const problem of error.problems) console.error(`  ${problem}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    await (await started.catch(() => undefined))?.close();
    process.exit(1);
  }
}
