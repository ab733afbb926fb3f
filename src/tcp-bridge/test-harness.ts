/**
 * What the bridge's test files share: the 35.com simulator (fresh state per test), bridges in front
 * of it (closed after each test), signed calls, and waiting on a condition instead of sleeping.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { SimState } from '../../sim/com35/logic';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { GatewayError } from '../core/errors';
import { silentLogger } from '../core/log';
import { COMMAND_PATH, signedBridgeHeaders, spendingCltrid } from '../providers/com35/bridge-protocol';
import { toWireDomain } from '../providers/com35/codec';
import type { AccountPool, Com35Account } from './account-pools';
import { type BridgeConfig, type RunningBridge, startBridge } from './server';

export const SECRET = 'test-bridge-secret-0123456789';
export const BALANCE = { category: 'account', action: 'GetAccountBalance' };

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached in time');
}

/** The GatewayError a call through the bridge failed with (the test fails if it did not fail so). */
export async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

/** Where a bridge finds this simulator, with its test account. */
export function com35Of(sim: RunningCom35Simulator): Com35Account {
  return {
    host: '127.0.0.1',
    port: sim.tcpPort,
    clid: sim.env.COM35_CLID!,
    password: sim.env.COM35_PASSWORD!,
  };
}

/** An account's pool and counters (`com35`: the one account of a bridge started without a list). */
export function accountOf(b: RunningBridge, name = 'com35'): AccountPool {
  const account = b.accounts.get(name);
  if (!account) throw new Error(`the bridge has no account ${name}`);
  return account;
}

/** A RenewDomain as the worker sends it for the renewal `renewalId`. */
export async function renewCommand(domain: string, renewalId: string) {
  return {
    category: 'domain',
    action: 'RenewDomain',
    params: { ...toWireDomain(domain), period: '1' },
    cltrid: await spendingCltrid(renewalId),
  };
}

/** A signed request, kept whole so a test can send it again byte for byte. */
export interface SignedCall {
  body: string;
  headers: Record<string, string>;
}

export async function signCall(
  command: unknown,
  opts: { secret?: string; nowSeconds?: number } = {},
): Promise<SignedCall> {
  const body = JSON.stringify(command);
  const headers = await signedBridgeHeaders(
    opts.secret ?? SECRET,
    { method: 'POST', path: COMMAND_PATH, body },
    { nowSeconds: opts.nowSeconds },
  );
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function send(b: RunningBridge, signed: SignedCall): Promise<CallResult> {
  const res = await fetch(`${b.url}${COMMAND_PATH}`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export async function call(
  b: RunningBridge,
  command: unknown,
  opts: { secret?: string; nowSeconds?: number } = {},
): Promise<CallResult> {
  return send(b, await signCall(command, opts));
}

/** Registers the hooks of a bridge test file and returns its tools. */
export function useBridgeHarness() {
  let sim: RunningCom35Simulator;
  const bridges: RunningBridge[] = [];
  beforeAll(async () => {
    sim = await startCom35Simulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
  });
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.close();
  });

  const health = async (b: RunningBridge) => (await fetch(`${b.url}/health`)).json();

  return {
    sim: () => sim,
    health,
    /** A bridge in front of the simulator, with at least one session up. */
    async bridge(overrides: Partial<BridgeConfig> = {}, opts: { waitForSession?: boolean } = {}) {
      const b = await startBridge({
        accounts: { com35: com35Of(sim) },
        secret: SECRET,
        logger: silentLogger,
        reconnectBaseMs: 20,
        reconnectMaxMs: 200,
        ...overrides,
      });
      bridges.push(b);
      if (opts.waitForSession !== false) await waitFor(async () => (await health(b)).sessionsUp >= 1);
      return b;
    },
    simState: () => fetch(`${sim.controlUrl}/__sim/state`).then((r) => r.json()) as Promise<SimState>,
    control: (name: string, body: unknown) =>
      fetch(`${sim.controlUrl}/__sim/${name}`, {
        method: name === 'faults' && body === null ? 'DELETE' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      }),
  };
}
