/**
 * A bare 35.com client for tests and the benchmark's baseline: one socket, no pool, no retries.
 * It writes exactly what it is told, so tests can also send what our bridge never would
 * (bad checksums, commands before Login, pipelined requests).
 */
import { connect } from 'node:net';
import {
  buildRequest,
  type Com35Command,
  type Com35Credentials,
  type Com35Response,
  parseResponse,
} from '../../src/providers/com35/codec';
import { md5Hex } from '../../src/providers/com35/md5';
import { decodeMessage, FramedSocket } from '../../src/tcp-bridge/framing';

export class RawCom35Client {
  private counter = 0;
  readonly creds: Com35Credentials;

  private constructor(
    readonly framed: FramedSocket,
    clid: string,
    password: string,
  ) {
    this.creds = { clid, passwordMd5: md5Hex(password) };
  }

  static async connect(
    port: number,
    clid: string,
    password: string,
    host = '127.0.0.1',
  ): Promise<RawCom35Client> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawCom35Client(new FramedSocket(socket, { endTag: '</response>' }), clid, password);
  }

  cltrid(): string {
    return `${this.creds.clid}A${Math.floor(Date.now() / 1000)}Braw${++this.counter}`;
  }

  async read(timeoutMs = 5_000): Promise<Com35Response> {
    return parseResponse(decodeMessage(await this.framed.next(timeoutMs)));
  }

  async writeRaw(text: string): Promise<void> {
    await this.framed.write(text);
  }

  /** Send one command (correctly signed unless `creds` says otherwise) and read its reply. */
  async send(command: Com35Command, creds: Com35Credentials = this.creds): Promise<Com35Response> {
    await this.framed.write(buildRequest(command, creds, this.cltrid()));
    return this.read();
  }

  login(): Promise<Com35Response> {
    return this.send({ category: 'client', action: 'Login', params: { clid: this.creds.clid } });
  }

  logout(): Promise<Com35Response> {
    return this.send({ category: 'client', action: 'Logout', params: { clid: this.creds.clid } });
  }

  /** Resolves when the server has closed the connection. */
  closed(timeoutMs = 2_000): Promise<boolean> {
    if (this.framed.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.framed.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.framed.destroy();
  }
}
