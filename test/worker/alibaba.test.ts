/**
 * The Alibaba provider inside workerd, through the AccountGate, over real sockets to the strict
 * simulator (sim/alibaba): every operation and its errors, async renewals included.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/core/errors';
import { createLogger } from '../../src/core/log';
import { alibaba } from '../../src/providers/alibaba/provider';
import { captureLogs, freshHealth, providerFor, sim, workerEnv } from './helpers';

interface SimState {
  balance: string;
  domains: Array<{
    domain: string;
    instanceId: string;
    expiresAt: string;
    nameservers: string[];
    transferLock: string;
  }>;
  tasks: Array<{ taskNo: string; taskType: string; details: Array<{ status: string }> }>;
  renewals: Array<{ domain: string; years: number; at: string; taskNo: string }>;
  requests: Record<string, number>;
  refusals: Record<string, number>;
}

const control = sim('alibaba');
const state = () => control.state<SimState>();
const domainIn = async (name: string) => (await state()).domains.find((d) => d.domain === name)!;

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isGatewayError(error)) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

beforeEach(async () => {
  await control.reset();
});

describe('alibaba availability', () => {
  it('maps every Avail code and the premium flag', async () => {
    const results = await providerFor('alibaba').checkAvailability(
      [
        'fresh-name-123.com',
        'sim-soon.com',
        'premium-gold.com',
        'taken-x.net',
        'pending-x.org',
        'abnormal-x.com',
        'blacklist-x.com',
      ],
      {},
    );
    expect(results).toEqual([
      { domain: 'fresh-name-123.com', available: true, premium: false, reason: undefined },
      { domain: 'sim-soon.com', available: false, premium: false, reason: 'registered' },
      { domain: 'premium-gold.com', available: true, premium: true, reason: undefined },
      { domain: 'taken-x.net', available: false, premium: false, reason: 'registered' },
      { domain: 'pending-x.org', available: false, premium: false, reason: 'pending' },
      // Avail -1 "abnormal": the registrar could not check the name, which is not "taken".
      { domain: 'abnormal-x.com', available: null, premium: false, reason: 'check_failed' },
      { domain: 'blacklist-x.com', available: false, premium: false, reason: 'blacklisted' },
    ]);
    expect((await state()).requests.CheckDomain).toBe(7);
  });

  it('maps the CheckDomain errors of the document (§5.2)', async () => {
    const p = providerFor('alibaba');
    const invalid = await failure(p.checkAvailability(['name.notatld'], {}));
    // The name's syntax is fine: what CheckDomain refuses is the suffix, so availability says
    // "not sold here" (`unsupported_tld`), never "taken".
    expect(invalid).toMatchObject({
      kind: 'invalid_request',
      upstreamCode: 'InvaieldParameter',
      code: 'unsupported_tld',
    });
    const busy = await failure(p.checkAvailability(['busy-now.com'], {}));
    expect(busy).toMatchObject({ kind: 'upstream_unavailable', upstreamCode: 'Busy', retryable: true });
  });
});

describe('alibaba domains', () => {
  it('getDomain finds the instance through QueryDomainList and reads its details', async () => {
    const sd = await domainIn('sim-locked.org');
    const info = await providerFor('alibaba').getDomain('SIM-LOCKED.org', {});
    expect(info).toMatchObject({
      domain: 'sim-locked.org',
      expiresAt: sd.expiresAt,
      status: ['active', 'locked'],
      locked: true,
      nameservers: ['dns1.hichina.com', 'dns2.hichina.com'],
      ref: { id: sd.instanceId, instanceId: sd.instanceId },
    });
    expect(info.rawStatus).toContain('TransferProhibitionLock=OPEN');
    const s = await state();
    expect(s.requests).toMatchObject({ QueryDomainList: 1, QueryDomainByInstanceId: 1 });
  });

  it('getDomain of a name not in the account is not_found; a lapsed one shows redemption', async () => {
    const p = providerFor('alibaba');
    expect(await failure(p.getDomain('nobody-has-this.com', {}))).toMatchObject({ kind: 'not_found' });
    // QueryDomainList filters by substring: an exact post-filter must not pick a longer name.
    expect(await failure(p.getDomain('soon.com', {}))).toMatchObject({ kind: 'not_found' });
    const lapsed = await p.getDomain('sim-lapsed.com', {});
    expect(lapsed.status).toEqual(['redemption']);
  });

  it('listDomains walks every page', async () => {
    for (let i = 0; i < 100; i++) {
      await control.call('domains', { domain: `bulk-${i}.com`, expiresAt: '2028-01-01T00:00:00Z' });
    }
    const names: string[] = [];
    for await (const d of providerFor('alibaba').listDomains({})) names.push(d.domain);
    expect(names).toHaveLength(105);
    expect(new Set(names).size).toBe(105);
    expect(names).toContain('sim-leaving.xyz');
    expect((await state()).requests.QueryDomainList).toBe(2);
  });

  it('sets and reads name servers through the DNS task', async () => {
    const p = providerFor('alibaba');
    await p.setNameservers('sim-later.net', ['NS1.Example.net', 'ns2.example.net'], {});
    expect((await domainIn('sim-later.net')).nameservers).toEqual(['ns1.example.net', 'ns2.example.net']);
    expect(await p.getNameservers('sim-later.net', {})).toEqual(['ns1.example.net', 'ns2.example.net']);
    expect((await state()).tasks.map((t) => t.taskType)).toEqual(['CHG_DNS']);
    expect(await failure(p.setNameservers('sim-later.net', ['ns1.example.net'], {}))).toMatchObject({
      kind: 'invalid_request',
    });
    // The task of a domain outside the account fails; its message says why.
    expect(await failure(p.setNameservers('elsewhere.com', ['ns1.a.com', 'ns2.a.com'], {}))).toMatchObject({
      kind: 'not_found',
      upstreamMessage: 'The domain name does not exist.',
    });
  });

  it('sets and clears the transfer lock through its task', async () => {
    const p = providerFor('alibaba');
    await p.setLock('sim-later.net', true, {});
    expect((await domainIn('sim-later.net')).transferLock).toBe('OPEN');
    expect((await p.getDomain('sim-later.net', {})).locked).toBe(true);
    await p.setLock('sim-later.net', false, {});
    expect((await domainIn('sim-later.net')).transferLock).toBe('CLOSE');
  });

  it('reads the transfer-out status', async () => {
    const p = providerFor('alibaba');
    expect(await p.getTransferStatus('sim-leaving.xyz', {})).toMatchObject({
      domain: 'sim-leaving.xyz',
      state: 'pending',
      rawStatus: 'Status=4 transfer in progress',
    });
    expect(await p.getTransferStatus('sim-soon.com', {})).toMatchObject({ state: 'none' });
    expect(await failure(p.getTransferStatus('elsewhere.com', {}))).toMatchObject({
      kind: 'not_found',
      upstreamCode: 'DomainNotExist',
    });
  });

  it('declares exactly what the document offers: no balance, prices or auto-renew', async () => {
    const p = providerFor('alibaba');
    expect([...p.capabilities].sort()).toEqual([
      'checkAvailability',
      'getDomain',
      'getNameservers',
      'getTransferStatus',
      'listDomains',
      'renew',
      'setLock',
      'setNameservers',
    ]);
    // The refusal is thrown synchronously by defineProvider: call inside a promise chain.
    const later = <T>(fn: () => Promise<T>) => Promise.resolve().then(fn);
    expect(await failure(later(() => p.getBalance({})))).toMatchObject({ kind: 'unsupported' });
    expect(await failure(later(() => p.getPrices({}, {})))).toMatchObject({ kind: 'unsupported' });
    expect(await failure(later(() => p.setAutoRenew('sim-soon.com', true, {})))).toMatchObject({
      kind: 'unsupported',
    });
    expect((await state()).requests).toEqual({});
  });

  it('ping is a signed read, and /v1/health reports the account reachable', async () => {
    await providerFor('alibaba').ping!({});
    expect((await state()).requests.QueryDomainList).toBe(1);
    const body = await freshHealth('alibaba');
    expect(body.accounts).toContainEqual(expect.objectContaining({ account: 'alibaba', reachable: 'ok' }));
    expect((await state()).requests.QueryDomainList).toBe(2);
  });
});

describe('alibaba renewals', () => {
  it('renews: submits with the expiry guard in ms, polls the task, confirms the new expiry', async () => {
    const before = await domainIn('sim-soon.com');
    const result = await providerFor('alibaba').renew(
      'sim-soon.com',
      { years: 1, expectedExpiry: before.expiresAt },
      { idempotencyKey: 'k-1' },
    );
    const after = await domainIn('sim-soon.com');
    expect(result.outcome).toBe('confirmed');
    expect(result.newExpiry).toBe(after.expiresAt);
    expect(new Date(after.expiresAt).getUTCFullYear()).toBe(new Date(before.expiresAt).getUTCFullYear() + 1);
    expect(result.ref).toMatchObject({ instanceId: before.instanceId, previousExpiry: before.expiresAt });
    const s = await state();
    expect(s.renewals).toEqual([
      expect.objectContaining({ domain: 'sim-soon.com', years: 1, taskNo: result.ref.taskNo }),
    ]);
    expect(s.balance).toBe('187.32');
  });

  it('accepts an expected expiry kept at day precision in China time', async () => {
    const before = await domainIn('sim-later.net');
    const cstDate = new Date(Date.parse(before.expiresAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    const expectedExpiry = new Date(`${cstDate}T00:00:00+08:00`).toISOString();
    const result = await providerFor('alibaba').renew('sim-later.net', { years: 1, expectedExpiry }, {});
    expect(result.outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('the same intent again is a conflict and spends nothing', async () => {
    const p = providerFor('alibaba');
    const before = await domainIn('sim-soon.com');
    await p.renew('sim-soon.com', { years: 1, expectedExpiry: before.expiresAt }, {});
    const again = await failure(p.renew('sim-soon.com', { years: 1, expectedExpiry: before.expiresAt }, {}));
    expect(again).toMatchObject({ kind: 'conflict', retryable: false });
    expect((await state()).renewals).toHaveLength(1);
  });

  it('a task that fails for lack of balance is insufficient_funds, and nothing is renewed', async () => {
    await control.call('config', { balance: '5.00' });
    const d = await domainIn('sim-soon.com');
    const error = await failure(
      providerFor('alibaba').renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {}),
    );
    expect(error).toMatchObject({ kind: 'insufficient_funds', retryable: false });
    expect(error.upstreamMessage).toMatch(/Insufficient account balance/);
    const s = await state();
    expect(s.renewals).toHaveLength(0);
    expect(s.balance).toBe('5.00');
    expect(s.tasks[0]?.details[0]?.status).toBe('EXECUTE_FAILURE');
  });

  it('a poll that runs out answers pending with the task number; resumeRenewal finishes it later', async () => {
    await control.call('config', { taskDelayMs: 600_000 });
    const p = providerFor('alibaba');
    const d = await domainIn('sim-later.net');
    const pending = await p.renew('sim-later.net', { years: 2, expectedExpiry: d.expiresAt }, {});
    expect(pending.outcome).toBe('pending');
    expect(pending.ref.taskNo).toMatch(/^[0-9a-f-]{36}$/);
    expect(pending.ref.instanceId).toBe(d.instanceId);
    expect((await state()).renewals).toHaveLength(0);

    // Another renewal while the task runs: the registrar refuses with TaskIsBeingProcessed.
    const busy = await failure(p.renew('sim-later.net', { years: 1, expectedExpiry: d.expiresAt }, {}));
    expect(busy).toMatchObject({ kind: 'conflict', upstreamCode: 'TaskIsBeingProcessed', retryable: true });

    // Still running: resuming answers pending again, with the same task.
    const still = await p.resumeRenewal!('sim-later.net', pending.ref, {});
    expect(still).toMatchObject({ outcome: 'pending', ref: { taskNo: pending.ref.taskNo } });

    await control.call('settle');
    const done = await p.resumeRenewal!('sim-later.net', pending.ref, {});
    const after = await domainIn('sim-later.net');
    expect(done).toMatchObject({ outcome: 'confirmed', newExpiry: after.expiresAt });
    expect(new Date(after.expiresAt).getUTCFullYear()).toBe(new Date(d.expiresAt).getUTCFullYear() + 2);
    const s = await state();
    expect(s.renewals).toHaveLength(1);
    expect(s.tasks).toHaveLength(1);
  });

  it('a task whose expiry guard no longer matches when it runs fails as a conflict on resume', async () => {
    await control.call('config', { taskDelayMs: 600_000 });
    const p = providerFor('alibaba');
    const d = await domainIn('sim-soon.com');
    const pending = await p.renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {});
    expect(pending.outcome).toBe('pending');
    // The domain's expiry changes before the task executes (renewed elsewhere).
    await control.call('domains', { domain: 'sim-soon.com', expiresAt: '2031-05-05T05:05:05Z' });
    await control.call('settle');
    const error = await failure(p.resumeRenewal!('sim-soon.com', pending.ref, {}));
    expect(error).toMatchObject({ kind: 'conflict', retryable: false });
    expect(error.upstreamMessage).toMatch(/expiration date does not match/);
    expect((await state()).renewals).toHaveLength(0);
  });

  it('refuses locally, without a task, when the expected expiry is stale, the domain is in redemption, or years are out of range', async () => {
    const p = providerFor('alibaba');
    const d = await domainIn('sim-soon.com');
    const stale = new Date(Date.parse(d.expiresAt) - 400 * 86_400_000).toISOString();
    expect(await failure(p.renew('sim-soon.com', { years: 1, expectedExpiry: stale }, {}))).toMatchObject({
      kind: 'conflict',
    });
    const lapsed = await domainIn('sim-lapsed.com');
    expect(
      await failure(p.renew('sim-lapsed.com', { years: 1, expectedExpiry: lapsed.expiresAt }, {})),
    ).toMatchObject({
      kind: 'conflict',
    });
    expect(
      await failure(p.renew('sim-soon.com', { years: 11, expectedExpiry: d.expiresAt }, {})),
    ).toMatchObject({
      kind: 'invalid_request',
    });
    expect(
      await failure(p.renew('nobody-has-this.com', { years: 1, expectedExpiry: d.expiresAt }, {})),
    ).toMatchObject({
      kind: 'not_found',
    });
    expect((await state()).tasks).toHaveLength(0);
  });

  it('a reply lost after the registrar acted is outcome_unknown, never a failure', async () => {
    await control.faults({ fault: { kind: 'drop_after' }, match: 'SaveSingleTaskForCreatingOrderRenew' });
    const d = await domainIn('sim-soon.com');
    const error = await failure(
      providerFor('alibaba').renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {}),
    );
    expect(error).toMatchObject({ kind: 'outcome_unknown', retryable: false });
    await control.call('settle');
    expect((await state()).renewals).toHaveLength(1);
  });

  it('a 503 or an HTML page in reply to the submit is outcome_unknown', async () => {
    const d = await domainIn('sim-soon.com');
    await control.faults({
      fault: { kind: 'http_status', status: 503 },
      match: 'SaveSingleTaskForCreatingOrderRenew',
    });
    const p = providerFor('alibaba');
    expect(
      await failure(p.renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {})),
    ).toMatchObject({
      kind: 'outcome_unknown',
    });
    await control.faults({ fault: { kind: 'html' }, match: 'SaveSingleTaskForCreatingOrderRenew' });
    expect(
      await failure(p.renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {})),
    ).toMatchObject({
      kind: 'outcome_unknown',
    });
  });

  it("the document's NetworkIOError in reply to the submit is outcome_unknown; on a read it is retryable", async () => {
    await control.call('inject', { action: 'SaveSingleTaskForCreatingOrderRenew', code: 'NetworkIOError' });
    const d = await domainIn('sim-soon.com');
    const p = providerFor('alibaba');
    expect(
      await failure(p.renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {})),
    ).toMatchObject({
      kind: 'outcome_unknown',
      upstreamCode: 'NetworkIOError',
    });
    await control.call('inject', { action: 'QueryDomainList', code: 'NetworkIOError' });
    expect(await failure(p.getDomain('sim-soon.com', {}))).toMatchObject({
      kind: 'upstream_unavailable',
      retryable: true,
    });
  });

  it('survives a failed poll: the task is kept and the renewal still confirms', async () => {
    await control.faults({ fault: { kind: 'drop_before' }, match: 'QueryTaskDetailList', times: 2 });
    const d = await domainIn('sim-soon.com');
    const result = await providerFor('alibaba').renew(
      'sim-soon.com',
      { years: 1, expectedExpiry: d.expiresAt },
      {},
    );
    expect(result.outcome).toBe('confirmed');
    expect((await state()).renewals).toHaveLength(1);
  });
});

describe('alibaba transport, gateway errors and secrets', () => {
  it('maps 5xx, HTML and garbage on reads', async () => {
    const p = providerFor('alibaba');
    await control.faults({ fault: { kind: 'http_status', status: 503 }, match: 'QueryDomainList' });
    expect(await failure(p.getDomain('sim-soon.com', {}))).toMatchObject({ kind: 'upstream_unavailable' });
    await control.faults({ fault: { kind: 'html' }, match: 'QueryDomainList' });
    expect(await failure(p.getDomain('sim-soon.com', {}))).toMatchObject({ kind: 'protocol' });
    await control.faults({ fault: { kind: 'garbage' }, match: 'CheckDomain' });
    expect(await failure(p.checkAvailability(['a-b-c.com'], {}))).toMatchObject({ kind: 'protocol' });
    await control.faults({ fault: { kind: 'drop_before' }, match: 'CheckDomain' });
    expect(await failure(p.checkAvailability(['a-b-c.com'], {}))).toMatchObject({ kind: 'transport' });
  });

  it('a wrong secret is refused by the signature check as authentication, with no secret in the error', async () => {
    const config = alibaba.parseConfig({
      ALIBABA_ACCESS_KEY_ID: workerEnv.ALIBABA_ACCESS_KEY_ID as string,
      ALIBABA_ACCESS_KEY_SECRET: 'not-the-secret',
      ALIBABA_ENDPOINT: workerEnv.ALIBABA_ENDPOINT as string,
    });
    const p = alibaba.create('wrong', config, { fetch, logger: createLogger({ level: 'error' }) });
    const error = await failure(p.getDomain('sim-soon.com', {}));
    expect(error).toMatchObject({ kind: 'authentication', upstreamCode: 'SignatureDoesNotMatch' });
    const text = JSON.stringify({ message: error.message, upstream: error.upstreamMessage });
    expect(text).not.toContain('not-the-secret');
    expect(text).not.toContain(workerEnv.ALIBABA_ACCESS_KEY_ID as string);
    expect((await state()).refusals.SignatureDoesNotMatch).toBe(1);

    const unknownKey = alibaba.create(
      'unknown',
      { ...config, ACCESS_KEY_ID: 'LTAIunknown' },
      {
        fetch,
        logger: createLogger({ level: 'error' }),
      },
    );
    expect(await failure(unknownKey.ping!({}))).toMatchObject({
      kind: 'authentication',
      upstreamCode: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('logs no key, secret or signature', async () => {
    const { lines, logger } = captureLogs();
    const p = providerFor('alibaba', logger);
    const d = await domainIn('sim-soon.com');
    await p.getDomain('sim-soon.com', {});
    await p.renew('sim-soon.com', { years: 1, expectedExpiry: d.expiresAt }, {});
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    expect(all).not.toContain(workerEnv.ALIBABA_ACCESS_KEY_ID as string);
    expect(all).not.toContain(workerEnv.ALIBABA_ACCESS_KEY_SECRET as string);
    expect(all).not.toMatch(/Signature=/);
  });
});
