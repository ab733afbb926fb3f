/**
 * A 35.com Login refused because the bridge's address is not on the account's allow-list is the
 * gateway's one allow-list `permission` error, not a bad password: the operator must register the
 * bridge's IP at 35.com. The simulator, in allow-list mode, refuses every address but 127.0.0.2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCom35Simulator, startCom35Simulator } from '../../sim/com35/start';
import { setAllowList } from '../../sim/shared/request-from';
import { ALLOW_LIST_CODE } from '../core/allow-list-refusal';
import { BRIDGE_DEFAULTS } from './defaults';
import { Com35Session } from './session';
import { com35Of, failure } from './test-harness';

let sim: RunningCom35Simulator;
beforeAll(async () => {
  sim = await startCom35Simulator({ allowFrom: ['127.0.0.2'] });
});
afterAll(() => sim.close());

/** A session from this process's default address (127.0.0.1), with the simulator's account. */
function open(password = com35Of(sim).password) {
  const d = BRIDGE_DEFAULTS;
  return Com35Session.open(
    {
      ...com35Of(sim),
      password,
      connectTimeoutMs: d.connectTimeoutMs,
      readTimeoutMs: d.readTimeoutMs,
      maxMessageBytes: d.maxMessageBytes,
      commandBudget: d.sessionCommandBudget,
    },
    { nextCltrid: () => `t${Date.now()}${Math.random().toString(36).slice(2, 8)}` },
  );
}

describe('a 35.com Login refused for the client address', () => {
  it('is the allow-list permission error, naming what to do', async () => {
    await setAllowList(sim.controlUrl, ['127.0.0.2']);
    const error = await failure(open());
    expect(error).toMatchObject({
      kind: 'permission',
      code: ALLOW_LIST_CODE,
      upstreamCode: '2500',
      retryable: false,
    });
    expect(error.message).toMatch(/allow-list/);
    expect(error.upstreamMessage).toBe('IP address not allowed: 127.0.0.1');
  });

  it('stays `authentication` for any other refused Login, and logs in once the address is allowed', async () => {
    await setAllowList(sim.controlUrl, ['127.0.0.1']);
    expect(await failure(open('wrong-password'))).toMatchObject({
      kind: 'authentication',
      upstreamCode: '2500',
    });
    const session = await open();
    expect(session.alive).toBe(true);
    await session.logout();
  });
});
