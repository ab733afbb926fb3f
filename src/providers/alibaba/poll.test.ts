/**
 * The bounded renewal poll with an injected `deps.sleep`, against the real simulator over HTTP
 * (no mocks of our own code): the configured interval and attempt count are what bound the wait.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAlibabaSimulator } from '../../../sim/alibaba/start';
import type { RunningSimulator } from '../../../sim/types';
import { silentLogger } from '../../core/log';
import { defaultVersionFor } from './config';
import { alibaba } from './provider';

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startAlibabaSimulator({});
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(async () => {
  await fetch(`${simulator.controlUrl}/__sim/reset`, { method: 'POST' });
});

async function control(name: string, body: unknown = {}) {
  const res = await fetch(`${simulator.controlUrl}/__sim/${name}`, {
    method: name === 'state' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: name === 'state' ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<Record<string, unknown>>;
}

function provider(sleeps: number[]) {
  // Production poll defaults (3000 ms × 20): only the simulator's endpoint and account come from its env.
  const config = alibaba.parseConfig({
    ALIBABA_ENDPOINT: simulator.env.ALIBABA_ENDPOINT,
    ALIBABA_ACCESS_KEY_ID: simulator.env.ALIBABA_ACCESS_KEY_ID,
    ALIBABA_ACCESS_KEY_SECRET: simulator.env.ALIBABA_ACCESS_KEY_SECRET,
  });
  return alibaba.create('poll-test', config, {
    fetch,
    logger: silentLogger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function soonExpiry(): Promise<string> {
  const state = (await control('state')) as { domains: Array<{ domain: string; expiresAt: string }> };
  return state.domains.find((d) => d.domain === 'sim-soon.com')!.expiresAt;
}

describe('renewal poll', () => {
  it('uses the configured interval and stops at the first finished poll', async () => {
    await control('config', { taskDelayMs: 0 });
    const sleeps: number[] = [];
    const result = await provider(sleeps).renew(
      'sim-soon.com',
      { years: 1, expectedExpiry: await soonExpiry() },
      {},
    );
    expect(result.outcome).toBe('confirmed');
    expect(sleeps).toEqual([3000]);
  });

  it('gives up after the configured number of polls and answers pending', async () => {
    await control('config', { taskDelayMs: 600_000 });
    const sleeps: number[] = [];
    const result = await provider(sleeps).renew(
      'sim-soon.com',
      { years: 1, expectedExpiry: await soonExpiry() },
      {},
    );
    expect(result.outcome).toBe('pending');
    expect(sleeps).toEqual(Array.from({ length: 20 }, () => 3000));
    const state = (await control('state')) as { requests: Record<string, number> };
    expect(state.requests.QueryTaskDetailList).toBe(20);
  });
});

describe('config', () => {
  it('derives the API version from the endpoint unless one is given', () => {
    expect(defaultVersionFor('https://domain-intl.aliyuncs.com')).toBe('2017-12-18');
    expect(defaultVersionFor('https://domain.aliyuncs.com')).toBe('2018-01-29');
    const base = { ALIBABA_ACCESS_KEY_ID: 'a', ALIBABA_ACCESS_KEY_SECRET: 'b' };
    expect(alibaba.parseConfig(base)).toMatchObject({
      ENDPOINT: 'https://domain-intl.aliyuncs.com',
      API_VERSION: '2017-12-18',
      TASK_POLL_INTERVAL_MS: 3000,
      TASK_POLL_ATTEMPTS: 20,
    });
    expect(
      alibaba.parseConfig({
        ...base,
        ALIBABA_ENDPOINT: 'https://domain.aliyuncs.com',
        ALIBABA_API_VERSION: '2017-12-18',
      }),
    ).toMatchObject({ API_VERSION: '2017-12-18' });
    expect(() =>
      alibaba.parseConfig({ ...base, ALIBABA_ENDPOINT: 'https://domain.aliyuncs.com/api' }),
    ).toThrow(/ALIBABA_ENDPOINT: must be an origin only/);
  });
});
