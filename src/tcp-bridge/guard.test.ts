/**
 * The bridge refuses replays and strangers, over real sockets against the 35.com simulator: what
 * reaches 35.com is counted at the simulator, never inferred from the bridge's answer.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALREADY_SENT, COMMAND_PATH, signedBridgeHeaders } from '../providers/com35/bridge-protocol';
import type { RunningBridge } from './server';
import {
  accountOf,
  BALANCE,
  call,
  renewCommand,
  SECRET,
  send,
  signCall,
  useBridgeHarness,
  waitFor,
} from './test-harness';

const { bridge, simState, control } = useBridgeHarness();

const tmp = mkdtempSync(join(tmpdir(), 'bridge-guard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DNS = {
  category: 'domain',
  action: 'UpdateDomainDns',
  params: { domaintype: '0', domain: 'sim-example.com', nameserver: ['ns1.replay.test', 'ns2.replay.test'] },
};

const portOf = (b: RunningBridge) => Number(new URL(b.url).port);

/** A raw TCP client to the bridge that records what it receives and when it is closed. */
async function rawClient(
  b: RunningBridge,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(portOf(b), '127.0.0.1');
  let received = '';
  socket.on('data', (c: Buffer) => {
    received += c.toString('latin1');
  });
  socket.on('error', () => {}); // a reset while writing is one of the expected endings
  // Not events.once: it would reject on the 'error' that a reset while writing emits.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await once(socket, 'connect');
  return { socket, received: () => received, closed };
}

/** GET from a chosen local address (Linux routes all of 127/8 to the loopback interface). */
function getFrom(
  b: RunningBridge,
  path: string,
  opts: { localAddress: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: portOf(b), path, localAddress: opts.localAddress, headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('replays', () => {
  it('forwards a signed request once: the same bytes sent again are refused, and 35.com saw one renew', async () => {
    const b = await bridge();
    const renew = await signCall(await renewCommand('sim-info.info', 'rnw_replayed'));
    const first = await send(b, renew);
    expect(first.status).toBe(200);
    expect(first.body.code).toBe(1000);
    const replay = await send(b, renew);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({
      kind: 'authentication',
      message: expect.stringMatching(/nonce/),
    });
    const s = await simState();
    expect(s.renewals).toHaveLength(1);
    expect(s.commands.RenewDomain).toBe(1);
  });

  it('refuses a replayed name-server change, which 35.com itself would take again and again', async () => {
    const b = await bridge();
    const signed = await signCall(DNS);
    expect((await send(b, signed)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send(b, signed)).status).toBe(401);
    expect((await simState()).commands.UpdateDomainDns).toBe(1);
    expect(b.metrics.render()).toContain('com35_bridge_refusals_total{reason="replayed"} 3');
  });

  it('refuses a renew of the same renewal under a fresh nonce as already sent, even past 35.com’s five-minute rule', async () => {
    const b = await bridge();
    const command = await renewCommand('sim-info.info', 'rnw_twice');
    expect((await call(b, command)).body.code).toBe(1000);
    // Past 35.com's own no-repeat window: only the bridge stands between this copy and a second charge.
    await control('advance', { ms: 6 * 60_000 });
    const again = await call(b, command);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      kind: 'conflict',
      upstreamCode: ALREADY_SENT,
      retryable: false,
    });
    // Not "not sent, retry": the first copy did reach 35.com.
    expect((again.body.error as { notSent?: boolean }).notSent).toBeUndefined();
    const s = await simState();
    expect(s.commands.RenewDomain).toBe(1);
    expect(s.renewals).toHaveLength(1);
  });

  it('refuses a concurrent copy of a renew while the first is still in flight', async () => {
    // One session, held by a balance read at the simulator: the renew waits in the queue, reserved
    // but not yet written, so only the reservation can refuse its copy.
    const b = await bridge({ poolSize: 1 });
    await control('faults', { fault: { kind: 'hold' }, match: 'GetAccountBalance', times: 1 });
    const holding = call(b, BALANCE);
    await waitFor(() => accountOf(b).pool.status().inFlight === 1);
    const command = await renewCommand('sim-info.info', 'rnw_concurrent');
    const first = call(b, command);
    await waitFor(() => accountOf(b).pool.status().queueDepth === 1);
    const second = await call(b, command);
    expect(second.status).toBe(409);
    await control('release', {});
    expect((await holding).body.code).toBe(1000);
    expect((await first).body.code).toBe(1000);
    expect((await simState()).commands.RenewDomain).toBe(1);
  });

  it('does not spend the cltrid of a renew refused unsent (queue full): the retry of that renewal goes through', async () => {
    const b = await bridge({ poolSize: 1, queueMax: 0 });
    // The one session is held at the simulator until released: no clock decides what is busy.
    await control('faults', { fault: { kind: 'hold' }, match: 'GetAccountBalance', times: 1 });
    const holding = call(b, BALANCE);
    await waitFor(() => accountOf(b).pool.status().inFlight === 1);
    const command = await renewCommand('sim-info.info', 'rnw_not_sent');
    const refused = await call(b, command);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ kind: 'upstream_unavailable', notSent: true });
    await control('release', {});
    expect((await holding).body.code).toBe(1000);
    const retried = await call(b, command);
    expect(retried.status).toBe(200);
    expect((await simState()).renewals).toHaveLength(1);
  });

  it('gives a renew re-run on a fresh session (the old one ended with 2500) a new cltrid on the wire', async () => {
    const b = await bridge({ poolSize: 1 });
    await control('config', { commandLimit: 1 });
    expect((await call(b, BALANCE)).body.code).toBe(1000);
    const command = await renewCommand('sim-info.info', 'rnw_rerun');
    const r = await call(b, command);
    expect(r.body.code).toBe(1000);
    // "Unique, never reused" (35.com manual §7.1.3.1): the refused first send used the renewal's cltrid, the re-run `-1`.
    expect(r.body.cltrid).toBe(`${command.cltrid}-1`);
    const s = await simState();
    expect(s.commandLimitHits).toBe(1);
    expect(s.renewals).toHaveLength(1);
  });

  it('remembers sent cltrids in BRIDGE_SENT_CLTRIDS_FILE across a restart', async () => {
    const file = join(tmp, 'sent-cltrids');
    const command = await renewCommand('sim-info.info', 'rnw_restart');
    const first = await bridge({ sentCltridsFile: file });
    expect((await call(first, command)).body.code).toBe(1000);
    await first.close();
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^${command.cltrid} \\d+ com35\\n$`));
    await control('advance', { ms: 6 * 60_000 });
    const restarted = await bridge({ sentCltridsFile: file });
    const again = await call(restarted, command);
    expect(again.status).toBe(409);
    expect((await simState()).renewals).toHaveLength(1);
  });

  it('refuses 503, not sent, rather than forget a nonce when its memory is full', async () => {
    const b = await bridge({ nonceCapacity: 2 });
    expect((await call(b, BALANCE)).status).toBe(200);
    expect((await call(b, BALANCE)).status).toBe(200);
    const third = await call(b, BALANCE);
    expect(third.status).toBe(503);
    expect(third.body.error).toMatchObject({ kind: 'upstream_unavailable', notSent: true });
    expect((await simState()).commands.GetAccountBalance).toBe(2);
  });
});

describe('strangers', () => {
  it('forwards only the commands the gateway sends: anything else is 403 and never reaches 35.com', async () => {
    const b = await bridge();
    const strangers = [
      { category: 'domain', action: 'DeleteDomain', params: { domaintype: '0', domain: 'sim-example.com' } },
      {
        category: 'domain',
        action: 'UpdateDomainPwd',
        params: { domaintype: '0', domain: 'sim-example.com', password: 'x' },
      },
      { category: 'account', action: 'GetCustomerInfo' },
      { category: 'client', action: 'Logout', params: { clid: '900001' } },
      // A known action under another category is not the command the gateway sends either.
      { category: 'account', action: 'CheckDomain', params: { domaintype: '0', domain: 'a.com' } },
    ];
    for (const command of strangers) {
      const r = await call(b, command);
      expect(r.status, command.action).toBe(403);
      expect(r.body.error).toMatchObject({
        kind: 'permission',
        message: expect.stringContaining(
          `${command.category}/${command.action} is not a command this gateway sends`,
        ),
      });
    }
    expect(b.metrics.render()).toContain(
      `com35_bridge_refusals_total{reason="not_allowed"} ${strangers.length}`,
    );
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('refuses a renew without its renewal’s cltrid, and a cltrid on a command that spends nothing', async () => {
    const b = await bridge();
    const { cltrid, ...bare } = await renewCommand('sim-info.info', 'rnw_bare');
    const noCltrid = await call(b, bare);
    expect(noCltrid.status).toBe(400);
    expect(noCltrid.body.error).toMatchObject({ message: expect.stringMatching(/must carry the cltrid/) });
    const stray = await call(b, { ...BALANCE, cltrid });
    expect(stray.status).toBe(400);
    expect((await call(b, { ...bare, cltrid: 'my-own-cltrid' })).status).toBe(400);
    const unknownField = await call(b, { ...BALANCE, priority: 'high' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toMatchObject({ kind: 'invalid_request' });
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('accepts the old and the new secret during a rotation, and refuses a third', async () => {
    const next = 'next-bridge-secret-0123456789';
    const b = await bridge({ secret: [next, SECRET] });
    expect((await call(b, BALANCE, { secret: next })).status).toBe(200);
    expect((await call(b, BALANCE, { secret: SECRET })).status).toBe(200);
    const third = await call(b, BALANCE, { secret: 'third-bridge-secret-0123456789' });
    expect(third.status).toBe(401);
    expect(JSON.stringify(third.body)).not.toContain(next);
    expect(JSON.stringify(third.body)).not.toContain(SECRET);
    expect((await simState()).commands.GetAccountBalance).toBe(2);
  });

  it('answers /metrics and /health on loopback, and elsewhere only to a signed request', async () => {
    const b = await bridge();
    expect((await getFrom(b, '/metrics', { localAddress: '127.0.0.1' })).status).toBe(200);
    // Another address (the server sees remoteAddress 127.0.0.2): refused unless signed.
    const stranger = await getFrom(b, '/metrics', { localAddress: '127.0.0.2' });
    expect(stranger.status).toBe(401);
    expect(stranger.body).not.toContain('com35_');
    expect((await getFrom(b, '/health', { localAddress: '127.0.0.2' })).status).toBe(401);
    const signed = await signedBridgeHeaders(SECRET, { method: 'GET', path: '/metrics', body: '' });
    const allowed = await getFrom(b, '/metrics', { localAddress: '127.0.0.2', headers: signed });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain('com35_sessions_up');
    // A signature is for one path: the same headers do not open /health.
    expect((await getFrom(b, '/health', { localAddress: '127.0.0.2', headers: signed })).status).toBe(401);
    // A reverse proxy on this host connects from loopback: what it forwards is not local.
    const proxied = await getFrom(b, '/metrics', {
      localAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(proxied.status).toBe(401);
  });
});

describe('slow and oversized requests', () => {
  it('cuts a 50 MB chunked body (no content-length) with 413 as soon as the cap is crossed, then closes', async () => {
    const b = await bridge({ maxBodyBytes: 64 * 1024 });
    const client = await rawClient(b);
    let closed = false;
    void client.closed.then(() => {
      closed = true;
    });
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const rssBefore = process.memoryUsage().rss;
    client.socket.write(
      `POST ${COMMAND_PATH} HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    // Each chunk is handed to the kernel before the next is written: `flushed` is what could reach the server.
    let flushed = 0;
    while (flushed < total && !closed) {
      const ok = await new Promise<boolean>((resolve) => {
        client.socket.write(`${chunk.length.toString(16)}\r\n`);
        client.socket.write(chunk);
        client.socket.write('\r\n', (error) => resolve(!error));
      });
      if (!ok) break;
      flushed += chunk.length;
    }
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(client.received()).toContain('larger than 65536 bytes');
    // What was flushed is bounded by the server's read and the two kernels' socket buffers.
    expect(flushed).toBeLessThan(total / 4);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(total / 4);
    expect(b.metrics.render()).toContain('com35_bridge_refusals_total{reason="body_too_large"} 1');
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('closes a connection whose headers never finish (slowloris) at headersTimeout', async () => {
    const b = await bridge({ headersTimeoutMs: 200, requestTimeoutMs: 5_000 });
    const client = await rawClient(b);
    client.socket.write(`POST ${COMMAND_PATH} HTTP/1.1\r\nHost: bridge\r\nX-Slow: `);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a request whose body never finishes at requestTimeout', async () => {
    const b = await bridge({ headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const client = await rawClient(b);
    client.socket.write(
      `POST ${COMMAND_PATH} HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"cat`,
    );
    await client.closed;
    expect(Object.keys((await simState()).commands)).toEqual(['Login']);
  });

  it('closes connections beyond maxConnections at once', async () => {
    const b = await bridge({ maxConnections: 2 }, { waitForSession: false });
    const first = await rawClient(b);
    const second = await rawClient(b);
    const third = await rawClient(b);
    await third.closed;
    expect(third.received()).toBe('');
    expect(first.socket.destroyed || second.socket.destroyed).toBe(false);
    first.socket.destroy();
    await first.closed;
    // A slot is free again: a request is served.
    await waitFor(async () => (await getFrom(b, '/health', { localAddress: '127.0.0.1' })).status !== 0);
    second.socket.destroy();
  });
});
