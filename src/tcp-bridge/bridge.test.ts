/**
 * The bridge against the 35.com simulator, over real sockets: HTTP in, TCP out.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_PATH } from '../providers/com35/bridge-protocol';
import { accountOf, BALANCE, call, com35Of, renewCommand, useBridgeHarness, waitFor } from './test-harness';

const { sim, bridge, health, simState, control } = useBridgeHarness();

describe('35.com bridge', () => {
  it('logs in every session of the pool and runs a command end to end', async () => {
    const b = await bridge({ poolSize: 2 });
    await waitFor(async () => (await health(b)).sessionsUp === 2);
    const r = await call(b, BALANCE);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      code: 1000,
      msg: 'Command completeted successfully',
      value: 'L69:no value',
    });
    expect(r.body.data).toEqual([{ name: 'balance', value: '1000.00' }]);
    expect(r.body.svtrid).toBe(`${r.body.cltrid}-API-SRV`);
    expect((await simState()).logins).toBe(2);
    expect(await health(b)).toMatchObject({ status: 'ok', sessionsUp: 2, queueDepth: 0 });
  });

  it('passes a 35.com error code through as a reply, not a bridge failure', async () => {
    const b = await bridge();
    const r = await call(b, {
      category: 'domain',
      action: 'InfoDomain',
      params: { domaintype: '0', domain: 'no-such-domain.com' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 2303, msg: 'Object does not exist' });
  });

  it('rolls sessions over before the 150-command limit, transparently', async () => {
    const b = await bridge({ poolSize: 1 });
    const results = [];
    for (let i = 0; i < 320; i++) results.push((await call(b, BALANCE)).body.code);
    expect(results.every((c) => c === 1000)).toBe(true);
    const s = await simState();
    expect(s.commandLimitHits).toBe(0);
    expect(s.maxCommandsInSession).toBeLessThanOrEqual(150);
    expect(s.logins).toBe(3);
    expect(s.logouts).toBe(2);
    expect(accountOf(b).metrics.rollovers).toBe(2);
  });

  it('reruns a command the server refused for the session’s sake (2500 at a lower limit) on a fresh session', async () => {
    const b = await bridge({ poolSize: 1 });
    await control('config', { commandLimit: 5 });
    const codes = [];
    for (let i = 0; i < 12; i++) codes.push((await call(b, BALANCE)).body.code);
    expect(codes.every((c) => c === 1000)).toBe(true);
    const s = await simState();
    expect(s.commandLimitHits).toBe(2);
    expect(s.logins).toBe(3);
  });

  it('never has two commands in flight on one session under concurrent load', async () => {
    const b = await bridge({ poolSize: 2 });
    await control('latency', { ms: 5 });
    const all = await Promise.all(Array.from({ length: 40 }, () => call(b, BALANCE)));
    expect(all.every((r) => r.body.code === 1000)).toBe(true);
    const s = await simState();
    expect(s.overlappingRequests).toBe(0);
    expect(s.maxInFlightPerSession).toBe(1);
  });

  it('answers outcome_unknown when the connection drops after the request was written, then reconnects', async () => {
    const b = await bridge({ poolSize: 1 });
    await control('faults', { fault: { kind: 'drop_after' }, match: 'RenewDomain' });
    const renew = await call(b, await renewCommand('expiring-soon.com', 'rnw_drop_after'));
    expect(renew.status).toBe(502);
    expect(renew.body.error).toMatchObject({ kind: 'outcome_unknown', retryable: false });
    expect((renew.body.error as { notSent?: boolean }).notSent).toBeUndefined();
    // The registrar did act: that is exactly why "failed" would be a lie.
    expect((await simState()).renewals).toHaveLength(1);
    const next = await call(b, BALANCE);
    expect(next.body.code).toBe(1000);
    expect(accountOf(b).metrics.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('reconnects by itself after the server drops idle sessions', async () => {
    const b = await bridge({ poolSize: 2 });
    await waitFor(async () => (await health(b)).sessionsUp === 2);
    await control('disconnect', {});
    await waitFor(() => accountOf(b).metrics.reconnects >= 2);
    await waitFor(async () => (await health(b)).sessionsUp === 2);
    expect((await call(b, BALANCE)).body.code).toBe(1000);
    expect((await simState()).logins).toBe(4);
  });

  it('answers 503 with Retry-After when the wait queue is full, without hanging', async () => {
    const b = await bridge({ poolSize: 1, queueMax: 2 });
    await control('faults', { fault: { kind: 'delay', ms: 3_000 }, match: 'GetAccountBalance', times: 1 });
    let firstDone = false;
    const first = call(b, BALANCE).then((r) => {
      firstDone = true;
      return r;
    });
    await waitFor(() => accountOf(b).pool.status().inFlight === 1);
    const queued = [call(b, BALANCE), call(b, BALANCE)];
    await waitFor(() => accountOf(b).pool.status().queueDepth === 2);
    const refused = await call(b, BALANCE);
    // Refused at once: the command ahead of it is still held by the registrar.
    expect(firstDone).toBe(false);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    // 35.com never saw it, and the bridge says so: the worker may retry even a renew.
    expect(refused.body.error).toMatchObject({
      kind: 'upstream_unavailable',
      retryable: true,
      notSent: true,
    });
    for (const r of await Promise.all([first, ...queued])) expect(r.body.code).toBe(1000);
  });

  it('refuses a bad HMAC, a stale timestamp and a missing signature with 401', async () => {
    const b = await bridge();
    expect((await call(b, BALANCE, { secret: 'another-secret-0123456789' })).status).toBe(401);
    expect((await call(b, BALANCE, { nowSeconds: Math.floor(Date.now() / 1000) - 61 })).status).toBe(401);
    expect((await call(b, BALANCE, { nowSeconds: Math.floor(Date.now() / 1000) + 61 })).status).toBe(401);
    const unsigned = await fetch(`${b.url}${COMMAND_PATH}`, {
      method: 'POST',
      body: JSON.stringify(BALANCE),
    });
    expect(unsigned.status).toBe(401);
    const huge = await fetch(`${b.url}${COMMAND_PATH}`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('turns a reply whose checksum does not verify into a protocol error, never success', async () => {
    const b = await bridge();
    await control('faults', { fault: { kind: 'bad_checksum' }, match: 'GetAccountBalance' });
    const r = await call(b, BALANCE);
    expect(r.status).toBe(502);
    expect(r.body.error).toMatchObject({ kind: 'protocol' });
    expect(accountOf(b).metrics.checksumFailures).toBe(1);
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    expect(metrics).toContain('com35_checksum_failures_total{account="com35"} 1');
    expect(metrics).toContain(
      'com35_commands_total{account="com35",action="GetAccountBalance",code="protocol"} 1',
    );
  });

  it('reads split replies and refuses garbage as a protocol error', async () => {
    const b = await bridge({ poolSize: 1 });
    await control('faults', [
      { fault: { kind: 'split', chunk: 2 }, match: 'GetAccountBalance' },
      { fault: { kind: 'garbage' }, match: 'InfoDomainExtra' },
    ]);
    expect((await call(b, BALANCE)).body.code).toBe(1000);
    const garbage = await call(b, {
      category: 'domain',
      action: 'InfoDomainExtra',
      params: { domaintype: '0', domain: 'sim-example.com' },
    });
    expect(garbage.body.error).toMatchObject({ kind: 'protocol' });
    expect((await call(b, BALANCE)).body.code).toBe(1000);
  });

  it('times out a reply that never comes as outcome_unknown', async () => {
    const b = await bridge({ poolSize: 1, readTimeoutMs: 150 });
    await control('faults', { fault: { kind: 'timeout_after', ms: 1000 }, match: 'GetAccountBalance' });
    const r = await call(b, BALANCE);
    expect(r.body.error).toMatchObject({ kind: 'outcome_unknown' });
  });

  it('refuses commands it cannot sign or that are malformed, before anything is sent', async () => {
    const b = await bridge();
    const missing = await call(b, {
      ...(await renewCommand('a.com', 'rnw_missing')),
      params: { domain: 'a.com', period: '1' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ kind: 'invalid_request' });
    expect((await call(b, { category: 'domain' })).status).toBe(400);
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('closes idle sessions with Logout under the idle-close policy and reconnects on demand', async () => {
    const b = await bridge({ poolSize: 1, idlePolicy: 'close', idleMs: 100 });
    await waitFor(async () => (await simState()).logouts === 1);
    expect(accountOf(b).pool.status().sessionsUp).toBe(0);
    expect((await call(b, BALANCE)).body.code).toBe(1000);
    expect((await simState()).logins).toBe(2);
  });

  it('keeps idle sessions alive with a cheap command under the keep-alive policy', async () => {
    await bridge({ poolSize: 1, idlePolicy: 'keepalive', idleMs: 80 });
    await waitFor(async () => ((await simState()).commands.GetAccountBalance ?? 0) >= 2);
    expect((await simState()).logouts).toBe(0);
  });

  it('keep-alives hold a session open against a server that drops idle sessions', async () => {
    await control('config', { idleTimeoutMs: 250 });
    const b = await bridge({ poolSize: 1, idlePolicy: 'keepalive', idleMs: 80 });
    await waitFor(async () => ((await simState()).commands.GetAccountBalance ?? 0) >= 6);
    expect(accountOf(b).metrics.reconnects).toBe(0);
    expect((await simState()).logins).toBe(1);
  });

  it('without keep-alives, reconnects after the server dropped an idle session', async () => {
    await control('config', { idleTimeoutMs: 150 });
    const b = await bridge({ poolSize: 1, idleMs: 0 });
    await waitFor(() => accountOf(b).metrics.reconnects >= 1);
    expect((await call(b, BALANCE)).body.code).toBe(1000);
  });

  it('logs every session out on close (graceful shutdown)', async () => {
    const b = await bridge({ poolSize: 2 });
    await waitFor(async () => (await health(b)).sessionsUp === 2);
    await b.close();
    expect((await simState()).logouts).toBe(2);
  });

  it('keeps retrying a refused Login with backoff, reporting the sessions as down', async () => {
    const b = await bridge(
      {
        accounts: { com35: { ...com35Of(sim()), password: 'wrong-password' } },
        reconnectMaxMs: 50,
        queueTimeoutMs: 200,
      },
      { waitForSession: false },
    );
    await waitFor(async () => (await simState()).loginFailures >= 3);
    const health = await fetch(`${b.url}/health`);
    expect(health.status).toBe(503);
    const report = (await health.json()) as {
      accounts: Record<string, { sessions: Array<{ lastError?: string }> }>;
    };
    expect(report.accounts.com35?.sessions[0]?.lastError).toMatch(/refused the bridge's Login \(2500\)/);
    expect(JSON.stringify(report)).not.toContain('wrong-password');
    const r = await call(b, BALANCE);
    expect(r.status).toBe(503);
    // No session ever took it (the queue wait ran out): not sent.
    expect(r.body.error).toMatchObject({ kind: 'upstream_unavailable', notSent: true });
  });
});
