/**
 * Availability that does not change its mind (issue 18), through the real worker and every
 * simulator: a name is asked only of accounts that sell its TLD (lists refreshed by the sync), in
 * the documented preference order, so the same request gets the same answer from the same account;
 * "not sold here" and "could not check" are `available: null` with a reason, never "taken".
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, configuredAccounts, freshRegistrarState, json } from './api-support';
import { sim } from './helpers';

interface Result {
  domain: string;
  available: boolean | null;
  premium: boolean;
  account?: string;
  reason?: string;
  detail?: string;
}

const ACCOUNTS = configuredAccounts();
const ALL = ['com35', 'dynadot', 'logicboxes', 'alibaba', 'mrdomain'];

async function check(query: string): Promise<Result[]> {
  const res = await api(`/v1/availability?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<{ results: Result[] }>(res)).results;
}

async function sync(): Promise<{
  accounts: { account: string; tlds?: { count?: number; error?: unknown } }[];
}> {
  const res = await api('/v1/sync', { method: 'POST' });
  expect(res.status).toBe(200);
  return json(res);
}

async function tldsInD1(account: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT tld FROM account_tlds WHERE account = ? ORDER BY tld')
    .bind(account)
    .all<{ tld: string }>();
  return results.map((r) => r.tld);
}

beforeEach(async () => {
  // No account has a TLD list until a test syncs.
  await freshRegistrarState(ACCOUNTS);
});

afterEach(async () => {
  for (const account of ACCOUNTS) await sim(account).clearFaults();
});

describe.skipIf(ALL.some((a) => !ACCOUNTS.includes(a)))('availability that does not change its mind', () => {
  it('the sync records the TLDs each account sells, from its registration price list', async () => {
    const reply = await sync();
    const tlds = Object.fromEntries(reply.accounts.map((a) => [a.account, a.tlds]));
    // Registrars with a price list; 35.com and Alibaba have none (they are asked, and say so).
    expect(tlds).toMatchObject({
      dynadot: { count: 4 },
      logicboxes: { count: expect.any(Number) },
      mrdomain: { count: expect.any(Number) },
    });
    expect(tlds.com35).toBeUndefined();
    expect(tlds.alibaba).toBeUndefined();
    expect(await tldsInD1('dynadot')).toEqual(['com', 'io', 'net', 'org']);
    expect(await tldsInD1('mrdomain')).toEqual(expect.arrayContaining(['com', 'es', 'xyz']));
    expect(await tldsInD1('logicboxes')).toEqual(expect.arrayContaining(['com', 'net', 'org']));
    expect(await tldsInD1('logicboxes')).not.toContain('cn');
  });

  it('answers foo.cn and test.es the same every time, from the account that sells them, naming it', async () => {
    await sync();
    const query = 'domain=foo-avail.cn&domain=test-avail.es&domain=plain-avail.com&domain=other-avail.xyz';
    const rounds = [await check(query), await check(query), await check(query)];
    expect(rounds[1]).toEqual(rounds[0]);
    expect(rounds[2]).toEqual(rounds[0]);
    expect(rounds[0]!.map((r) => [r.domain, r.available, r.account])).toEqual([
      ['foo-avail.cn', true, 'com35'],
      ['test-avail.es', true, 'mrdomain'],
      // LogicBoxes is the preferred registrar for the TLDs it sells.
      ['plain-avail.com', true, 'logicboxes'],
      ['other-avail.xyz', true, 'alibaba'],
    ]);
    // Dynadot sells none of the .cn, .es, .xyz names, and .com went to the preferred registrar:
    // it was never asked, so it never answered "unsupported TLD" as "not available".
    const dynadot = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(dynadot.calls.search ?? 0).toBe(0);
  });

  it('a name no configured registrar sells is unknown (unsupported_tld), never "not available"', async () => {
    await sync();
    const [result] = await check('domain=nobody-sells-this.dev');
    expect(result).toMatchObject({
      domain: 'nobody-sells-this.dev',
      available: null,
      reason: 'unsupported_tld',
    });
    expect(result!.account).toBeUndefined();
    expect(result!.detail).toMatch(/^\.dev is not sold by any configured registrar/);
  });

  it('before the first sync, each registrar’s own “unsupported TLD” reply is unsupported_tld, not taken', async () => {
    const cases = [
      ['dynadot', 'foo-avail.cn'],
      ['mrdomain', 'foo-avail.cn'],
      ['com35', 'test-avail.es'],
      ['alibaba', 'test-avail.es'],
    ] as const;
    for (const [account, domain] of cases) {
      const [result] = await check(`domain=${domain}&account=${account}`);
      expect(result, account).toMatchObject({ domain, available: null, reason: 'unsupported_tld' });
      // The registrar itself said so: no list told the gateway beforehand.
      expect(result!.detail, account).toMatch(new RegExp(`not sold by account ${account} \\(${account}: `));
    }
  });

  it('a registrar that fails for one name reports that name unknown with the reason, not taken', async () => {
    // Alibaba's Avail -1 ("abnormal"), LogicBoxes' status "unknown" (the registry did not answer).
    const [abnormal] = await check('domain=abnormal-x.com&account=alibaba');
    expect(abnormal).toMatchObject({ available: null, reason: 'check_failed' });
    expect(abnormal!.detail).toMatch(/^alibaba: check_failed/);
    const [unknown] = await check('domain=registry-silent.name&account=logicboxes');
    expect(unknown).toMatchObject({ available: null, reason: 'check_failed' });
    expect(unknown!.detail).toMatch(/^logicboxes: the registry did not answer/);
  });
});
