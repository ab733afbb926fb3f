/**
 * A bare 35.com client for tests of the simulator: one socket, no pool, no retries. It writes
 * exactly what it is told, so tests can also send what our bridge never would (bad checksums,
 * commands before Login, pipelined requests). It is the simulator's peer, built on the
 * simulator's own reading of the manual (checksums.ts, wire.ts, stream.ts), never on the
 * gateway's codec or the bridge's framing.
 */
import { connect, type Socket } from 'node:net';
import {
  acceptedRequestChecksums,
  formulaOf,
  md5,
  type Param,
  replyChecksum,
  type Signer,
} from './checksums';
import { EndTagSplitter } from './stream';
import { type IncomingReply, readReply, renderRequest } from './wire';

export interface RawCommand {
  category: string;
  action: string;
  /** Repeated names as arrays, sent in order. */
  params?: Record<string, string | string[]>;
}

function paramsOf(command: RawCommand): Param[] {
  return Object.entries(command.params ?? {}).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
  );
}

/** The request document for a command, signed with the manual's formula (the literal as printed). */
export function signedRequest(command: RawCommand, signer: Signer, cltrid: string): string {
  const formula = formulaOf(command.category, command.action);
  if (!formula) throw new Error(`no checksum formula for ${command.category}/${command.action}`);
  const params = paramsOf(command);
  const [chksum] = acceptedRequestChecksums(formula, signer, cltrid, params);
  if (chksum === undefined) throw new Error(`${command.action}: a parameter its checksum needs is missing`);
  return renderRequest({ category: command.category, action: command.action, params, cltrid, chksum });
}

/** True when the reply carries a checksum that verifies for this account. */
export function replyVerifies(reply: IncomingReply, signer: Signer): boolean {
  if (!reply.chksum || reply.cltrid === undefined || reply.svtrid === undefined) return false;
  return replyChecksum(signer, { ...reply, cltrid: reply.cltrid, svtrid: reply.svtrid }) === reply.chksum;
}

export class RawCom35Client {
  private counter = 0;
  private readonly splitter = new EndTagSplitter('</response>', 1024 * 1024);
  private readonly received: Buffer[] = [];
  private waiter?: () => void;
  readonly creds: Signer;
  private ended = false;
  /** The last reply exactly as received (field names untrimmed, for the manual's odd spellings). */
  lastText = '';

  private constructor(
    readonly socket: Socket,
    clid: string,
    password: string,
  ) {
    this.creds = { clid, passwordMd5: md5(password) };
    socket.on('data', (chunk: Buffer) => {
      try {
        this.received.push(...this.splitter.push(chunk));
      } catch {
        socket.destroy(); // a reply past 1 MiB without its end tag: the stream is lost
        return;
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
    socket.on('error', () => {});
  }

  static async connect(
    port: number,
    clid: string,
    password: string,
    host = '127.0.0.1',
    /** The client's own address (any of 127/8 on Linux): tests of the account's IP allow-list. */
    localAddress?: string,
  ): Promise<RawCom35Client> {
    const socket = connect({ host, port, localAddress });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawCom35Client(socket, clid, password);
  }

  cltrid(): string {
    return `${this.creds.clid}A${Math.floor(Date.now() / 1000)}Braw${++this.counter}`;
  }

  /** The next whole reply; rejects after `timeoutMs` ("no reply …") or when the server closed. */
  async read(timeoutMs = 5_000): Promise<IncomingReply> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const next = this.received.shift();
      if (next) {
        this.lastText = next.toString('utf8');
        return readReply(this.lastText);
      }
      if (this.ended) throw new Error('the connection was closed');
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  writeRaw(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(text, 'utf8', (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Send one command (correctly signed unless `creds` says otherwise) and read its reply. */
  async send(command: RawCommand, creds: Signer = this.creds): Promise<IncomingReply> {
    await this.writeRaw(signedRequest(command, creds, this.cltrid()));
    return this.read();
  }

  login(): Promise<IncomingReply> {
    return this.send({ category: 'client', action: 'Login', params: { clid: this.creds.clid } });
  }

  logout(): Promise<IncomingReply> {
    return this.send({ category: 'client', action: 'Logout', params: { clid: this.creds.clid } });
  }

  /** Resolves when the server has closed the connection. */
  closed(timeoutMs = 2_000): Promise<boolean> {
    if (this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
