/**
 * The com35 provider inside workerd → the Node bridge (HTTP, HMAC) → the 35.com simulator (TCP).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors';
import { providerFor, sim } from './helpers';

const com35 = sim('com35');

interface SimState {
  balance: string;
  domains: Array<{ name: string; exDate: string; dns: string[]; status: string[]; extras: string[] }>;
  renewals: Array<{ domain: string; years: number }>;
}

const state = () => com35.state<SimState>();

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

async function expiryOf(name: string): Promise<string> {
  const d = (await state()).domains.find((x) => x.name === name);
  if (!d) throw new Error(`no ${name} in the simulator`);
  return `${d.exDate}T00:00:00.000Z`;
}

beforeEach(async () => {
  await com35.reset();
});

describe('com35 provider through the bridge', () => {
  const provider = () => providerFor('com35');

  it('declares what 35.com has (hosting and mail services too), and refuses listDomains and getPrices as unsupported', async () => {
    const p = provider();
    expect([...p.capabilities].sort()).toEqual(
      [
        'checkAvailability',
        'getBalance',
        'getDomain',
        'getNameservers',
        'getTransferStatus',
        'renew',
        'setAutoRenew',
        'setLock',
        'setNameservers',
        'listServices',
        'getService',
        'renewService',
        'quoteServiceRenewal',
      ].sort(),
    );
    expect(p.serviceKinds).toEqual(['hosting', 'mail']);
    expect((await failure((async () => p.getPrices({}, {}))())).kind).toBe('unsupported');
    const iterator = p.listDomains({})[Symbol.asyncIterator]();
    expect((await failure(iterator.next())).kind).toBe('unsupported');
  });

  it('reads the balance in CNY and answers ping', async () => {
    const p = provider();
    expect(await p.getBalance({})).toEqual({ available: { amount: '1000', currency: 'CNY' } });
    await expect(p.ping!({})).resolves.toBeUndefined();
  });

  it('checks availability with the right domaintype per TLD', async () => {
    const result = await provider().checkAvailability(
      ['google.com', 'fresh-name-4711.com', 'expiring-soon.cn', '中文.中国', 'new-one.top', 'example.org'],
      {},
    );
    expect(result.map((r) => [r.domain, r.available])).toEqual([
      ['google.com', false],
      ['fresh-name-4711.com', true],
      ['expiring-soon.cn', false],
      ['xn--fiq228c.xn--fiqs8s', false],
      ['new-one.top', true],
      // A TLD 35.com has no type for is "not sold here", never "taken".
      ['example.org', null],
    ]);
    expect(result[5]).toMatchObject({
      unknown: 'unsupported_tld',
      reason: expect.stringMatching(/no domain type/),
    });
  });

  it('gets a domain from InfoDomain + InfoDomainExtra', async () => {
    const info = await provider().getDomain('Expiring-Soon.com', {});
    expect(info).toMatchObject({
      domain: 'expiring-soon.com',
      expiresAt: await expiryOf('expiring-soon.com'),
      autoRenew: true,
      locked: false,
      status: ['active'],
      nameservers: ['ns1.sim-dns.com', 'ns2.sim-dns.com'],
    });
    const locked = await provider().getDomain('sim-example.com', {});
    expect(locked).toMatchObject({ locked: true, autoRenew: false, status: ['active', 'locked'] });
    expect(locked.rawStatus).toContain('clientTransferProhibited');
  });

  it('sends .中国 names in native script (manual §6.5)', async () => {
    const info = await provider().getDomain('中文.中国', {});
    expect(info.domain).toBe('xn--fiq228c.xn--fiqs8s');
    expect(info.expiresAt).toBe(await expiryOf('中文.中国'));
  });

  it('maps 2303 to not_found', async () => {
    const e = await failure(provider().getDomain('no-such-domain.com', {}));
    expect(e).toMatchObject({ kind: 'not_found', upstreamCode: '2303', provider: 'com35' });
  });

  it('renews after checking the expiry, debits the balance once', async () => {
    const expected = await expiryOf('expiring-soon.com');
    const r = await provider().renew('expiring-soon.com', { years: 2, expectedExpiry: expected }, {});
    const next = `${Number(expected.slice(0, 4)) + 2}${expected.slice(4)}`;
    expect(r).toMatchObject({ domain: 'expiring-soon.com', outcome: 'confirmed', newExpiry: next });
    const s = await state();
    expect(s.renewals).toMatchObject([{ domain: 'expiring-soon.com', years: 2 }]);
    expect(s.balance).toBe('862.00');
  });

  it('refuses to renew when the expiry differs from expectedExpiry (conflict, nothing spent)', async () => {
    const e = await failure(
      provider().renew('expiring-soon.com', { years: 1, expectedExpiry: '2001-01-01T00:00:00.000Z' }, {}),
    );
    expect(e.kind).toBe('conflict');
    expect((await state()).renewals).toHaveLength(0);
  });

  it('maps 2104 to insufficient_funds and 2105 (repeat within 5 minutes) to conflict', async () => {
    await com35.call('balance', { amount: '1.00' });
    const expected = await expiryOf('expiring-soon.com');
    const poor = await failure(
      provider().renew('expiring-soon.com', { years: 1, expectedExpiry: expected }, {}),
    );
    expect(poor).toMatchObject({ kind: 'insufficient_funds', upstreamCode: '2104' });
    await com35.call('balance', { amount: '500.00' });
    const first = await provider().renew('expiring-soon.com', { years: 1, expectedExpiry: expected }, {});
    const again = await failure(
      provider().renew('expiring-soon.com', { years: 1, expectedExpiry: first.newExpiry! }, {}),
    );
    expect(again).toMatchObject({ kind: 'conflict', upstreamCode: '2105' });
    expect((await state()).renewals).toHaveLength(1);
  });

  it('reconciles a renewal whose reply was lost after 35.com acted: confirmed, charged once', async () => {
    await com35.faults({ fault: { kind: 'drop_after' }, match: 'RenewDomain' });
    const expected = await expiryOf('sim-info.info');
    const r = await provider().renew('sim-info.info', { years: 1, expectedExpiry: expected }, {});
    expect(r.outcome).toBe('confirmed');
    expect(r.newExpiry).toBe(`${Number(expected.slice(0, 4)) + 1}${expected.slice(4)}`);
    expect(r.ref.reconciled).toBe('true');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('reports a lost reply with an unchanged expiry as a retryable transport error (not renewed)', async () => {
    await com35.faults({ fault: { kind: 'drop_before' }, match: 'RenewDomain' });
    const expected = await expiryOf('sim-info.info');
    const e = await failure(provider().renew('sim-info.info', { years: 1, expectedExpiry: expected }, {}));
    expect(e).toMatchObject({ kind: 'transport', retryable: true });
    expect((await state()).renewals).toHaveLength(0);
  });

  it('answers outcome_unknown when the reply is lost and the expiry cannot be re-read', async () => {
    // Rules match in order: the pre-check read passes (a zero delay), the renewal acts and
    // drops, the re-read drops too.
    await com35.faults([
      { fault: { kind: 'delay', ms: 0 }, match: 'InfoDomain', times: 1 },
      { fault: { kind: 'drop_before' }, match: 'InfoDomain', times: 1 },
      { fault: { kind: 'drop_after' }, match: 'RenewDomain', times: 1 },
    ]);
    const expected = await expiryOf('sim-example.com');
    const e = await failure(provider().renew('sim-example.com', { years: 1, expectedExpiry: expected }, {}));
    expect(e).toMatchObject({ kind: 'outcome_unknown', retryable: false });
    // It is unknown to us, not to the registrar: the money was spent once.
    expect((await state()).renewals).toHaveLength(1);
  });

  it('sets and reads name servers (2-6), refusing one', async () => {
    const p = provider();
    await p.setNameservers('sim-example.com', ['NS1.Example.net', 'ns2.example.net', 'ns3.example.net'], {});
    expect(await p.getNameservers('sim-example.com', {})).toEqual([
      'ns1.example.net',
      'ns2.example.net',
      'ns3.example.net',
    ]);
    const e = await failure(p.setNameservers('sim-example.com', ['ns1.example.net'], {}));
    expect(e.kind).toBe('invalid_request');
  });

  it('sets the transfer lock and auto-renew', async () => {
    const p = provider();
    await p.setLock('expiring-soon.com', true, {});
    await p.setAutoRenew('expiring-soon.com', false, {});
    expect(await p.getDomain('expiring-soon.com', {})).toMatchObject({ locked: true, autoRenew: false });
    await p.setLock('expiring-soon.com', false, {});
    expect((await p.getDomain('expiring-soon.com', {})).locked).toBe(false);
    const info = await failure(p.setAutoRenew('sim-info.info', true, {}));
    expect(info).toMatchObject({ kind: 'invalid_request', upstreamCode: '2306' });
  });

  it('reads transfer-in status from both transfer query commands', async () => {
    const p = provider();
    expect(await p.getTransferStatus('incoming-transfer.com', {})).toMatchObject({
      state: 'pending',
      rawStatus: 'pendingTransfer',
    });
    expect((await p.getTransferStatus('done-transfer.net', {})).state).toBe('completed');
    expect(await p.getTransferStatus('member-move.info', {})).toMatchObject({
      state: 'completed',
      rawStatus: 'clientApproved',
    });
    expect(await p.getTransferStatus('sim-example.com', {})).toEqual({
      domain: 'sim-example.com',
      state: 'none',
    });
  });

  it('turns a reply with a wrong checksum into a protocol error', async () => {
    await com35.faults({ fault: { kind: 'bad_checksum' }, match: 'GetAccountBalance' });
    const e = await failure(provider().getBalance({}));
    expect(e).toMatchObject({ kind: 'protocol', provider: 'com35' });
  });

  it('turns a dropped read into a retryable transport error', async () => {
    await com35.faults({ fault: { kind: 'drop_after' }, match: 'GetAccountBalance' });
    const e = await failure(provider().getBalance({}));
    expect(e).toMatchObject({ kind: 'transport', retryable: true });
    expect((await provider().getBalance({})).available.currency).toBe('CNY');
  });
});
