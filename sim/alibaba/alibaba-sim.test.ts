import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeSigned, sign } from '../../src/providers/alibaba/signature';
import type { RunningSimulator } from '../types';
import { SIM_ACCESS_KEY_ID, SIM_ACCESS_KEY_SECRET } from './logic';
import { serverSignature, serverStringToSign } from './signature';
import { startAlibabaSimulator } from './start';

let simulator: RunningSimulator;
let nonce = 0;

beforeAll(async () => {
  simulator = await startAlibabaSimulator({});
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(async () => {
  await fetch(`${simulator.controlUrl}/__sim/reset`, { method: 'POST' });
});

interface CallOpts {
  method?: 'GET' | 'POST';
  secret?: string;
  keyId?: string;
  timestamp?: string;
  nonce?: string;
  tamper?: (body: string) => string;
  omit?: string[];
  extra?: Record<string, string>;
}

function common(opts: CallOpts): Record<string, string> {
  return {
    Format: 'JSON',
    Version: '2018-01-29',
    AccessKeyId: opts.keyId ?? SIM_ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? `test-nonce-${Date.now()}-${nonce++}`,
    Timestamp: opts.timestamp ?? `${new Date().toISOString().slice(0, 19)}Z`,
    ...opts.extra,
  };
}

async function call(action: string, params: Record<string, string>, opts: CallOpts = {}) {
  const method = opts.method ?? 'POST';
  const wire: Record<string, string> = { ...common(opts), ...params, Action: action };
  for (const name of opts.omit ?? []) delete wire[name];
  let encoded = encodeSigned(wire, await sign(method, wire, opts.secret ?? SIM_ACCESS_KEY_SECRET));
  if (opts.tamper) encoded = opts.tamper(encoded);
  const res =
    method === 'POST'
      ? await fetch(`${simulator.controlUrl}/`, {
          method,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encoded,
        })
      : await fetch(`${simulator.controlUrl}/?${encoded}`);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

async function state() {
  const res = await fetch(`${simulator.controlUrl}/__sim/state`);
  return (await res.json()) as {
    balance: string;
    renewals: Array<{ domain: string; years: number }>;
    domains: Array<{ domain: string; expirationMs: number; nameservers: string[]; transferLock: string }>;
    tasks: Array<{ taskNo: string; details: Array<{ status: string; errorMsg: string }> }>;
  };
}

async function control(name: string, body: unknown) {
  const res = await fetch(`${simulator.controlUrl}/__sim/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe("the simulator signature check is independent and matches the client's vectors", () => {
  it("the document's pre-signing parameters and the batch renew vector", () => {
    const tva = new Map(
      Object.entries({
        Timestamp: '2017-12-26T06:04:54Z',
        Format: 'JSON',
        AccessKeyId: 'testid',
        Action: 'CheckDomain',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '5033a7d9-dfcb-417d-9fdf-13459fe90c1a',
        Version: '2017-12-18',
        SignatureVersion: '1.0',
      }),
    );
    expect(serverSignature('testsecret', serverStringToSign('GET', tva))).toBe(
      'hNPxuNxm6HZy6ZlBkjzWFVBxgQw=',
    );
    const tve = new Map(
      Object.entries({
        Action: 'SaveBatchTaskForCreatingOrderRenew',
        'OrderRenewParam.1.DomainName': 'test1.com',
        'OrderRenewParam.1.CurrentExpirationDate': '1572667245000',
        'OrderRenewParam.1.SubscriptionDuration': '1',
        'OrderRenewParam.2.DomainName': 'test2.com',
        'OrderRenewParam.2.CurrentExpirationDate': '1604289645000',
        'OrderRenewParam.2.SubscriptionDuration': '2',
        Lang: 'en',
        UserClientIp: '127.0.0.1',
        Format: 'JSON',
        Version: '2018-01-29',
        AccessKeyId: 'testid',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: 'n-1 *~/é',
        Timestamp: '2019-05-17T00:00:00Z',
      }),
    );
    expect(serverSignature('testsecret', serverStringToSign('GET', tve))).toBe(
      '+SFYvL2Rghwa299DYO/bcp703OE=',
    );
  });
});

describe('gateway checks', () => {
  it('answers a correctly signed POST and GET', async () => {
    const post = await call('CheckDomain', { DomainName: 'fresh-name.com' });
    expect(post.status).toBe(200);
    expect(post.json()).toMatchObject({ DomainName: 'fresh-name.com', Avail: 1, Premium: false });
    const get = await call('CheckDomain', { DomainName: 'sim-soon.com' }, { method: 'GET' });
    expect(get.status).toBe(200);
    expect(get.json()).toMatchObject({ Avail: 0 });
  });

  it('refuses a tampered parameter with SignatureDoesNotMatch and does nothing', async () => {
    const before = await state();
    const target = before.domains.find((d) => d.domain === 'sim-soon.com')!;
    const res = await call(
      'SaveSingleTaskForCreatingOrderRenew',
      {
        DomainName: 'sim-soon.com',
        CurrentExpirationDate: String(target.expirationMs),
        SubscriptionDuration: '1',
      },
      { tamper: (b) => b.replace('SubscriptionDuration=1', 'SubscriptionDuration=2') },
    );
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(res.json().HostId).toBeTruthy();
    expect(res.json().RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect((await state()).tasks).toHaveLength(0);
  });

  it('refuses a signature made with the wrong secret, or for the other HTTP method', async () => {
    expect((await call('CheckDomain', { DomainName: 'a.com' }, { secret: 'wrong' })).json().Code).toBe(
      'SignatureDoesNotMatch',
    );
    // Signed as POST, sent as GET.
    const wire = { ...common({}), DomainName: 'a.com', Action: 'CheckDomain' };
    const encoded = encodeSigned(wire, await sign('POST', wire, SIM_ACCESS_KEY_SECRET));
    const res = await fetch(`${simulator.controlUrl}/?${encoded}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Code: string }).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an unknown access key with InvalidAccessKeyId.NotFound (404)', async () => {
    const res = await call('CheckDomain', { DomainName: 'a.com' }, { keyId: 'LTAIunknown' });
    expect(res.status).toBe(404);
    expect(res.json().Code).toBe('InvalidAccessKeyId.NotFound');
  });

  it('refuses a nonce used again within 15 minutes', async () => {
    const first = await call('CheckDomain', { DomainName: 'a.com' }, { nonce: 'same-nonce-1' });
    expect(first.status).toBe(200);
    const again = await call('CheckDomain', { DomainName: 'b.com' }, { nonce: 'same-nonce-1' });
    expect(again.status).toBe(400);
    expect(again.json().Code).toBe('SignatureNonceUsed');
  });

  it('refuses a timestamp outside the 15-minute window, and a malformed one', async () => {
    const old = `${new Date(Date.now() - 20 * 60_000).toISOString().slice(0, 19)}Z`;
    expect((await call('CheckDomain', { DomainName: 'a.com' }, { timestamp: old })).json().Code).toBe(
      'InvalidTimeStamp.Expired',
    );
    const withMs = new Date().toISOString();
    expect((await call('CheckDomain', { DomainName: 'a.com' }, { timestamp: withMs })).json().Code).toBe(
      'InvalidTimeStamp.Format',
    );
  });

  it('names a missing common or action parameter as Missing<Name>', async () => {
    const noNonce = await call('CheckDomain', { DomainName: 'a.com' }, { omit: ['SignatureNonce'] });
    expect(noNonce.status).toBe(400);
    expect(noNonce.json()).toMatchObject({
      Code: 'MissingSignatureNonce',
      Message: 'SignatureNonce is mandatory for this action.',
    });
    const noPage = await call('QueryDomainList', { PageSize: '10' });
    expect(noPage.json()).toMatchObject({
      Code: 'MissingPageNum',
      Message: 'PageNum is mandatory for this action.',
    });
  });

  it('refuses an unknown version and an unknown action', async () => {
    expect(
      (await call('CheckDomain', { DomainName: 'a.com' }, { extra: { Version: '2016-05-11' } })).json().Code,
    ).toBe('InvalidVersion');
    const unknown = await call('DescribeRegions', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json().Code).toBe('InvalidAction.NotFound');
  });

  it('answers XML when Format is absent (the default, §3.2 Public parameters)', async () => {
    const res = await call('CheckDomain', { DomainName: 'sim-soon.com' }, { omit: ['Format'] });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /^<\?xml[^>]*\?><CheckDomainResponse><RequestId>[^<]+<\/RequestId><DomainName>sim-soon\.com<\/DomainName><Avail>0<\/Avail>/,
    );
    const err = await call('CheckDomain', { DomainName: 'a.com' }, { omit: ['Format'], secret: 'wrong' });
    expect(err.text).toContain('<Error><RequestId>');
    expect(err.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('renewal tasks', () => {
  async function submitRenew(domain: string, guard: number, years = 1) {
    return call('SaveSingleTaskForCreatingOrderRenew', {
      DomainName: domain,
      CurrentExpirationDate: String(guard),
      SubscriptionDuration: String(years),
    });
  }

  it('runs asynchronously: waiting, then success after settle, expiry moved and balance debited once', async () => {
    await control('config', { taskDelayMs: 60_000 });
    const before = await state();
    const target = before.domains.find((d) => d.domain === 'sim-soon.com')!;
    const res = await submitRenew('sim-soon.com', target.expirationMs, 2);
    expect(res.status).toBe(200);
    const taskNo = res.json().TaskNo as string;
    const detail = await call('QueryTaskDetailList', { TaskNo: taskNo, PageNum: '1', PageSize: '10' });
    expect(detail.json()).toMatchObject({
      Data: { TaskDetail: [{ TaskStatus: 'WAITING_EXECUTE', TaskStatusCode: 0 }] },
    });
    expect((await state()).renewals).toHaveLength(0);

    const busy = await submitRenew('sim-soon.com', target.expirationMs);
    expect(busy.status).toBe(400);
    expect(busy.json().Code).toBe('TaskIsBeingProcessed');

    await control('settle', {});
    const done = await call('QueryTaskDetailList', { TaskNo: taskNo, PageNum: '1', PageSize: '10' });
    expect(done.json()).toMatchObject({
      Data: {
        TaskDetail: [
          { TaskStatus: 'EXECUTE_SUCCESS', TaskStatusCode: 2, ErrorMsg: 'The operation is successful.' },
        ],
      },
    });
    const after = await state();
    expect(after.renewals).toEqual([expect.objectContaining({ domain: 'sim-soon.com', years: 2 })]);
    expect(after.balance).toBe('174.64');
    const moved = after.domains.find((d) => d.domain === 'sim-soon.com')!;
    expect(new Date(moved.expirationMs).getUTCFullYear()).toBe(
      new Date(target.expirationMs).getUTCFullYear() + 2,
    );
  });

  it('fails the task when the expiry guard does not match, and when the balance is short', async () => {
    await control('config', { taskDelayMs: 0 });
    const target = (await state()).domains.find((d) => d.domain === 'sim-later.net')!;
    const stale = await submitRenew('sim-later.net', target.expirationMs - 86_400_000);
    expect(stale.status).toBe(200);
    await control('config', { balance: '1.00' });
    const poor = await submitRenew(
      'sim-soon.com',
      (await state()).domains.find((d) => d.domain === 'sim-soon.com')!.expirationMs,
    );
    expect(poor.status).toBe(200);
    const s = await state();
    expect(s.tasks.map((t) => t.details[0]!.status)).toEqual(['EXECUTE_FAILURE', 'EXECUTE_FAILURE']);
    expect(s.tasks[0]!.details[0]!.errorMsg).toMatch(/expiration date does not match/);
    expect(s.tasks[1]!.details[0]!.errorMsg).toMatch(/Insufficient account balance/);
    expect(s.renewals).toHaveLength(0);
    expect(s.balance).toBe('1.00');
  });

  it('refuses malformed renew parameters synchronously', async () => {
    const res = await submitRenew('sim-soon.com', 1, 11);
    expect(res.status).toBe(400);
    expect(res.json().Code).toBe('ParameterIllegal');
  });

  it('applies DNS and lock tasks', async () => {
    await control('config', { taskDelayMs: 0 });
    await call('SaveBatchTaskForModifyingDomainDns', {
      'DomainName.1': 'sim-later.net',
      AliyunDns: 'false',
      'DomainNameServer.1': 'ns1.example.net',
      'DomainNameServer.2': 'ns2.example.net',
    });
    await call('SaveSingleTaskForTransferProhibitionLock', { DomainName: 'sim-later.net', Status: 'true' });
    const d = (await state()).domains.find((x) => x.domain === 'sim-later.net')!;
    expect(d.nameservers).toEqual(['ns1.example.net', 'ns2.example.net']);
    expect(d.transferLock).toBe('OPEN');
  });
});
