/**
 * The bridge as the gateway's fixed-IP egress (issue 21), worker side against the real bridge and
 * the real simulators: LogicBoxes, MrDomain and Dynadot allow only 127.0.0.2, the address the test
 * bridge relays from (test/setup/stack.ts). With `<PREFIX>_VIA_BRIDGE=true` every operation works;
 * without it the registrar refuses the worker's own address, as a `permission` error naming the
 * allow-list. Money semantics survive the hop: a renew whose reply is lost behind the relay is
 * `outcome_unknown` and reconciled to one renewal; one the bridge refused before sending never spent.
 *
 * Needs the bridge's `/v1/relay` (src/tcp-bridge) and BRIDGE_ALLOWED_ORIGINS / BRIDGE_SOURCE_ADDRESS
 * read into its config by parseBridgeEnv.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountPrefix } from '../../src/core/account-names';
import { ALLOW_LIST_ADVICE, ALLOW_LIST_CODE } from '../../src/core/allow-list-refusal';
import { requestRenewal } from '../../src/core/renewals';
import type { Provider } from '../../src/providers/types';
import { sim, workerEnv } from './helpers';
import {
  clearRenewalTables,
  daysFromNow,
  engine,
  getRenewalApi,
  pump,
  seedDomain,
  upstreamRenewals,
} from './renewals-support';

const ALLOW_LISTED = ['logicboxes', 'mrdomain', 'dynadot'] as const;
type Key = (typeof ALLOW_LISTED)[number];
const ONLY_THE_BRIDGE = { addresses: ['127.0.0.2'] };
const bindings = workerEnv as unknown as Record<string, string>;

function viaBridge(key: Key, extra: Record<string, string> = {}) {
  return pump({ [`${accountPrefix(key)}_VIA_BRIDGE`]: 'true', ...extra });
}

function providerIn(vars: ReturnType<typeof pump>, key: Key): Provider {
  return engine(vars.env).accounts.get(key);
}

beforeEach(async () => {
  for (const key of ALLOW_LISTED) await sim(key).call('allowlist', ONLY_THE_BRIDGE);
});

afterEach(async () => {
  for (const key of ALLOW_LISTED) {
    await sim(key).clearFaults();
    await sim(key).call('allowlist', { addresses: [] });
  }
});

describe.each(ALLOW_LISTED)('%s allow-listing only the bridge', (key) => {
  let domain = '';
  beforeEach(async () => {
    domain = `relayed-${key}-${crypto.randomUUID().slice(0, 8)}.com`;
    await seedDomain(key, domain, daysFromNow(200));
  });

  it('answers every operation of an account routed through the relay', async () => {
    const provider = providerIn(viaBridge(key), key);
    const [availability] = await provider.checkAvailability(
      [`free-${crypto.randomUUID().slice(0, 8)}.com`],
      {},
    );
    expect(availability).toMatchObject({ available: expect.any(Boolean) });
    const info = await provider.getDomain(domain, {});
    expect(info.domain).toBe(domain);
    const listed: string[] = [];
    for await (const summary of provider.listDomains({})) listed.push(summary.domain);
    expect(listed).toContain(domain);
    expect((await provider.getBalance({})).available).toEqual({
      amount: expect.stringMatching(/^\d+(\.\d+)?$/),
      currency: expect.stringMatching(/^[A-Z]{3}$/),
    });
    expect((await provider.getPrices({ tld: 'com' }, {})).length).toBeGreaterThan(0);
    // Answered through the relay (a seeded Dynadot domain has none set, the others have some).
    for (const ns of await provider.getNameservers(domain, {})) expect(ns).toMatch(/^[a-z0-9.-]+$/);
    const before = (await upstreamRenewals(key, domain)).length;
    const renewed = await provider.renew(domain, { years: 1, expectedExpiry: info.expiresAt }, {});
    expect(renewed.outcome).toMatch(/^(confirmed|pending)$/);
    expect(await upstreamRenewals(key, domain)).toHaveLength(before + 1);
  });

  it('refuses an account not routed through it with the permission error naming the allow-list', async () => {
    await expect(providerIn(pump(), key).getDomain(domain, {})).rejects.toMatchObject({
      kind: 'permission',
      code: ALLOW_LIST_CODE,
      message: expect.stringContaining(ALLOW_LIST_ADVICE),
    });
  });
});

describe('a renew through the relay', () => {
  beforeEach(clearRenewalTables);

  it('reply lost after the registrar acted: outcome_unknown, reconciled, exactly one renewal', async () => {
    const domain = 'relay-reply-lost.com';
    const expiresAt = daysFromNow(30);
    await seedDomain('logicboxes', domain, expiresAt);
    await sim('logicboxes').faults({ fault: { kind: 'drop_after' }, match: 'domains/renew' });
    const p = viaBridge('logicboxes');
    const { renewal } = await requestRenewal(engine(p.env), {
      domain,
      years: 1,
      expectedExpiry: expiresAt,
      account: 'logicboxes',
      source: 'api',
      actor: 'test',
    });
    await p.drain();
    const final = await getRenewalApi(renewal.id);
    expect(final.history.map((e) => e.to)).toContain('outcome_unknown');
    expect(final.state).toBe('confirmed');
    expect(await upstreamRenewals('logicboxes', domain)).toHaveLength(1);
  });

  it('refused by the bridge before sending (origin not allowed): not sent, retryable, nothing spent', async () => {
    const domain = 'relay-refused.com';
    await seedDomain('mrdomain', domain, daysFromNow(30));
    // The same simulator under an origin the bridge does not allow (localhost, not 127.0.0.1).
    const elsewhere = new URL(bindings.MRDOMAIN_BASE_URL!);
    elsewhere.hostname = 'localhost';
    const p = viaBridge('mrdomain', { MRDOMAIN_BASE_URL: elsewhere.origin });
    const renew = providerIn(p, 'mrdomain').renew(domain, { years: 1, expectedExpiry: daysFromNow(30) }, {});
    await expect(renew).rejects.toMatchObject({
      kind: 'upstream_unavailable',
      notSent: true,
      retryable: true,
      message: expect.stringContaining("bridge's relay did not send it"),
    });
    expect(await upstreamRenewals('mrdomain', domain)).toHaveLength(0);
  });
});
