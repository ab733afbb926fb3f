/**
 * The 35.com simulator's transport: a TCP server that speaks first (the greeting, manual §7.1.2),
 * frames requests by `</request>`, answers one request at a time, and applies injected faults at
 * the socket level. Control (state, reset, faults, latency, seeding) is an HTTP server with the
 * same `/__sim/*` API as the HTTP simulators (sim/shared/http-sim.ts), sharing its FaultInjector.
 *
 * One command at a time (§6.5 注意事项, item 3: "请勿多命令同时执行，避免无法接收到结果的返回" — do not run several
 * commands at once, or results may not come back): a request written while the previous one is
 * still being processed is read and discarded without any reply, and counted in
 * `overlappingRequests` / `maxInFlightPerSession`. That is the document's own warning made
 * literal; a client that pipelines waits for a reply that never comes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Fault, FaultInjector } from '../shared/faults';
import { sleep } from '../shared/faults';
import { md5 } from './checksums';
import { type Com35Registrar, operationNameOf, type Session } from './logic';
import { EndTagSplitter } from './stream';
import { readRequest, renderGreeting } from './wire';

export interface TcpServerHandle {
  port: number;
  /** Close every open connection (a server restart, or a network drop). */
  dropAll(): void;
  close(): Promise<void>;
}

const GARBAGE = '\u0000\u0013garbage\uFFFD not a reply</response>';

function svDate(ms: number): string {
  // The greeting's svDate is a local "YYYY-MM-DD HH:MM:SS" (§7.1.2); China Standard Time.
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function startTcpServer(
  registrar: Com35Registrar,
  faults: FaultInjector,
  opts: { host?: string; port?: number; now: () => number },
): Promise<TcpServerHandle> {
  const sockets = new Set<Socket>();
  let nextSession = 1;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    registrar.counters.connections++;
    const session: Session = { id: nextSession++, commands: 0, clientAddress: socket.remoteAddress };
    const reader = new EndTagSplitter('</request>', 256 * 1024);
    const pending: string[] = [];
    let busy = false;
    let closed = false;
    let idleTimer: NodeJS.Timeout | undefined;

    const armIdle = () => {
      clearTimeout(idleTimer);
      if (registrar.config.idleTimeoutMs > 0) {
        idleTimer = setTimeout(() => socket.destroy(), registrar.config.idleTimeoutMs);
      }
    };
    const loginTimer = setTimeout(() => {
      if (closed || session.clid) return;
      const reply = registrar.loginTimeout(session);
      socket.end(reply.text);
    }, registrar.config.loginTimeoutMs);

    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
      clearTimeout(loginTimer);
      clearTimeout(idleTimer);
    });
    socket.on('error', () => {});

    const send = async (text: string, fault: Fault | undefined): Promise<boolean> => {
      const bytes = Buffer.from(text, 'utf8');
      if (fault?.kind === 'split') {
        const size = Math.max(1, fault.chunk ?? 7);
        for (let i = 0; i < bytes.length && !closed; i += size) {
          // Yield between chunks (not after the last: the reply is complete once written).
          if (i > 0) await new Promise((r) => setImmediate(r));
          socket.write(bytes.subarray(i, i + size));
        }
        return true;
      }
      if (fault?.kind === 'truncate') {
        const cut = Math.max(1, Math.min(bytes.length - 1, fault.bytes ?? Math.floor(bytes.length / 2)));
        socket.write(bytes.subarray(0, cut));
        socket.destroy();
        return false;
      }
      socket.write(bytes);
      return true;
    };

    const process = async (text: string) => {
      let operation = '';
      try {
        operation = operationNameOf(readRequest(text));
      } catch {}
      const fault = faults.take(operation);
      // The simulated RTT is a floor on when the reply may arrive, counted from the request's
      // arrival: the simulator's own processing overlaps it instead of adding to it.
      const due = performance.now() + faults.latencyMs;
      const untilDue = async () => {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      };
      if (fault?.kind === 'delay') await sleep(fault.ms);
      if (fault?.kind === 'hold') await faults.hold();
      if (closed) return;
      if (fault?.kind === 'drop_before') {
        await untilDue();
        socket.destroy();
        return;
      }
      if (fault?.kind === 'garbage' || fault?.kind === 'html' || fault?.kind === 'http_status') {
        await untilDue();
        await send(GARBAGE, undefined);
        return;
      }
      // The registrar acts from here on: every fault below happens after the state change.
      const reply = registrar.handle(session, text);
      if (session.clid) clearTimeout(loginTimer);
      await untilDue();
      if (closed) return;
      if (fault?.kind === 'drop_after') {
        socket.destroy();
        return;
      }
      if (fault?.kind === 'timeout_after') {
        await sleep(fault.ms);
        socket.destroy();
        return;
      }
      let out = reply.text;
      if (fault?.kind === 'bad_checksum') {
        out = out.replace(/<chksum>[0-9a-f]{32}<\/chksum>/, `<chksum>${md5(`wrong${out}`)}</chksum>`);
      }
      const whole = await send(out, fault);
      if (whole && reply.close) socket.end();
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (let text = pending.shift(); text !== undefined && !closed; text = pending.shift()) {
          await process(text);
          armIdle();
        }
      } catch (error) {
        console.error('[sim com35]', error);
        socket.destroy();
      } finally {
        busy = false;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const m of messages) {
        if (busy || pending.length > 0) {
          registrar.counters.overlappingRequests++;
          registrar.counters.maxInFlightPerSession = Math.max(registrar.counters.maxInFlightPerSession, 2);
          continue; // discarded: see the header comment
        }
        registrar.counters.maxInFlightPerSession = Math.max(registrar.counters.maxInFlightPerSession, 1);
        pending.push(m.toString('utf8'));
      }
      void pump();
    });

    // The server speaks first. With a simulated RTT the greeting reaches the client 2 RTT after
    // it started connecting, as over a real network: the TCP handshake (SYN → SYN/ACK → ACK) lets
    // the server accept only 1.5 RTT in, and the greeting then needs half an RTT to arrive. On
    // loopback the handshake is free, so both are added here.
    void (async () => {
      if (faults.latencyMs > 0) await sleep(2 * faults.latencyMs);
      if (!closed) socket.write(renderGreeting(svDate(opts.now())));
      armIdle();
    })();
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
