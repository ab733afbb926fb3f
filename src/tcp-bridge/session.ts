/**
 * One logged-in 35.com TCP session: connect, read the greeting, Login, then one command at a time
 * until the session's command budget is spent, then Logout (35.com API user manual §7.1: §7.1.2
 * greeting, §7.1.3 Login, §7.1.3.5 "最多 150 个" commands per session, §7.1.6.5 Logout always
 * closes).
 *
 * What a failure means for the caller is decided here, where we know whether the request left:
 * - nothing was written (socket already closed): `transport` with `notSent`, safe to run elsewhere;
 * - written, then the connection dropped or no reply came in time: `outcome_unknown` (35.com may
 *   have acted), and the session is destroyed because the stream is no longer in step;
 * - a reply whose checksum does not verify, or that is not a 35.com document: `protocol`.
 */
import { connect, type Socket } from 'node:net';
import { allowListRefusal } from '../core/allow-list-refusal';
import { GatewayError } from '../core/errors';
import { REPLY_LOST } from '../providers/com35/bridge-protocol';
import {
  buildRequest,
  type Com35Command,
  type Com35Credentials,
  type Com35Response,
  parseResponse,
  verifyResponseChecksum,
} from '../providers/com35/codec';
import { md5Hex } from '../providers/com35/md5';
import {
  ConnectionClosedError,
  decodeMessage,
  FramedSocket,
  FrameTooLargeError,
  ReadTimeoutError,
} from './framing';

/** How a 35.com Login refused for the client's address begins its value (the rest: the address). */
const STRANGER_REFUSED = 'IP address not allowed';

export interface SessionConfig {
  host: string;
  port: number;
  clid: string;
  password: string;
  connectTimeoutMs: number;
  /** How long to wait for each reply once the request is written. */
  readTimeoutMs: number;
  maxMessageBytes: number;
  /** Commands (Login and Logout excluded) before a transparent Logout + reconnect + Login. */
  commandBudget: number;
}

export interface SessionHooks {
  /** Called for every reply whose checksum failed to verify. */
  onChecksumFailure?(action: string): void;
  nextCltrid(): string;
}

/** What a caller may fix about one command's send. */
export interface SendOptions {
  /** Use this cltrid instead of a generated one (a money-spending command brings its own). */
  cltrid?: string;
  /**
   * Called once the request is built and the session is fit, just before its bytes are written.
   * If it throws, nothing is written and the command fails as not sent.
   */
  beforeWrite?(): void;
}

/** A failure before the request was written: the command may run on another session. */
export class NotSentError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super('transport', { message, provider: 'com35', retryable: true, notSent: true, cause });
  }
}

export function isNotSent(error: unknown): error is NotSentError {
  return error instanceof NotSentError;
}

let sessionIds = 0;

export class Com35Session {
  readonly id = ++sessionIds;
  /** Commands sent on this session since Login. */
  commandsUsed = 0;
  private busy = false;
  private dead = false;
  private readonly creds: Com35Credentials;

  private constructor(
    private readonly framed: FramedSocket,
    private readonly config: SessionConfig,
    private readonly hooks: SessionHooks,
  ) {
    this.creds = { clid: config.clid, passwordMd5: md5Hex(config.password) };
    framed.socket.on('close', () => {
      this.dead = true;
    });
  }

  /** Connect, wait for the greeting, Login. Throws `transport`/`authentication`/`protocol`. */
  static async open(config: SessionConfig, hooks: SessionHooks): Promise<Com35Session> {
    const socket = await connectSocket(config);
    const framed = new FramedSocket(socket, {
      endTag: '</response>',
      maxMessageBytes: config.maxMessageBytes,
    });
    const session = new Com35Session(framed, config, hooks);
    try {
      const greeting = await session.read(config.connectTimeoutMs, 'Greeting');
      if (greeting.action !== 'Greeting' || greeting.code !== 1000) {
        throw new GatewayError('protocol', {
          message: `35.com greeted with ${greeting.action} ${greeting.code} instead of Greeting 1000`,
          provider: 'com35',
        });
      }
      // A refused Login cannot be verified when our password is the problem: judge it by code.
      const login = await session.exchange(
        { category: 'client', action: 'Login', params: { clid: config.clid } },
        config.readTimeoutMs,
        { verifyFailures: false },
      );
      if (login.code === 2500 && login.value.startsWith(STRANGER_REFUSED)) {
        // 35.com answers a client address outside the account's allow-list so (docs/decisions.md,
        // 35.com, "A caller outside the allow-list"): the fix is the registrar's list, not a password.
        throw allowListRefusal({
          provider: 'com35',
          operation: 'Login',
          upstreamCode: String(login.code),
          upstreamMessage: login.value,
        });
      }
      if (login.code !== 1000) {
        throw new GatewayError(
          login.code === 2500 || login.code === 2201 || login.code === 2202
            ? 'authentication'
            : 'upstream_unavailable',
          {
            message: `35.com refused the bridge's Login (${login.code})`,
            provider: 'com35',
            upstreamCode: String(login.code),
            upstreamMessage: login.msg,
            retryable: false,
          },
        );
      }
      return session;
    } catch (error) {
      framed.destroy();
      if (error instanceof GatewayError && error.kind !== 'outcome_unknown') throw error;
      throw new GatewayError('transport', {
        message: `35.com session could not be opened: ${error instanceof Error ? error.message : String(error)}`,
        provider: 'com35',
        cause: error,
      });
    }
  }

  /** Called once when the connection closes, whoever closed it. */
  onClose(callback: () => void): void {
    if (this.framed.socket.destroyed) callback();
    else this.framed.socket.once('close', callback);
  }

  get alive(): boolean {
    return !this.dead && !this.framed.closed;
  }

  get exhausted(): boolean {
    return this.commandsUsed >= this.config.commandBudget;
  }

  /** Run one command. At most one is ever in flight on a session. */
  async execute(command: Com35Command, send: SendOptions = {}): Promise<Com35Response> {
    if (this.busy) throw new Error('35.com session already has a command in flight');
    if (!this.alive) throw new NotSentError('35.com session is closed');
    this.busy = true;
    try {
      this.commandsUsed++;
      const reply = await this.exchange(command, this.config.readTimeoutMs, {}, send);
      // The server ends the session itself on these (§8.4: 2500, 2501) or has forgotten our Login.
      if (reply.code === 2500 || reply.code === 2501 || reply.code === 5500) this.kill();
      return reply;
    } finally {
      this.busy = false;
    }
  }

  /** Logout (the server closes after it, §7.1.6.5) and close; never throws. */
  async logout(timeoutMs = 2_000): Promise<void> {
    if (!this.alive) return;
    try {
      await this.exchange(
        { category: 'client', action: 'Logout', params: { clid: this.config.clid } },
        timeoutMs,
      );
    } catch {
      // Best effort: the connection is closed below either way.
    } finally {
      this.kill();
    }
  }

  kill(): void {
    this.dead = true;
    this.framed.destroy();
  }

  private async exchange(
    command: Com35Command,
    timeoutMs = this.config.readTimeoutMs,
    opts: { verifyFailures?: boolean } = {},
    send: SendOptions = {},
  ): Promise<Com35Response> {
    const cltrid = send.cltrid ?? this.hooks.nextCltrid();
    const text = buildRequest(command, this.creds, cltrid); // may throw invalid_request: nothing sent
    if (!this.alive) throw new NotSentError('35.com session is closed');
    if (this.framed.unread > 0) {
      // Something arrived unasked (a server-side timeout notice, a late reply): the next read
      // would be out of step. Drop the session before anything is sent.
      this.kill();
      throw new NotSentError('35.com sent an unsolicited message; session dropped');
    }
    try {
      send.beforeWrite?.();
    } catch (error) {
      throw new NotSentError(
        `35.com ${command.action}: not sent: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
    try {
      await this.framed.write(text);
    } catch (error) {
      this.kill();
      throw lost(command.action, 'the connection failed while the request was being written', error);
    }
    const reply = await this.read(timeoutMs, command.action);
    if (reply.cltrid !== cltrid) {
      this.kill();
      throw new GatewayError('protocol', {
        message: `35.com answered ${command.action} with another transaction's reply`,
        provider: 'com35',
      });
    }
    const mustVerify = opts.verifyFailures !== false || reply.code < 2000;
    if (mustVerify && !verifyResponseChecksum(reply, this.creds)) {
      this.hooks.onChecksumFailure?.(command.action);
      throw new GatewayError('protocol', {
        message: `35.com's reply to ${command.action} failed its checksum`,
        provider: 'com35',
        upstreamCode: String(reply.code),
      });
    }
    return reply;
  }

  private async read(timeoutMs: number, action: string): Promise<Com35Response> {
    let bytes: Buffer;
    try {
      bytes = await this.framed.next(timeoutMs);
    } catch (error) {
      this.kill();
      if (error instanceof FrameTooLargeError) throw error;
      if (error instanceof ReadTimeoutError)
        throw lost(action, `no reply within ${timeoutMs} ms`, error, false);
      if (error instanceof ConnectionClosedError)
        throw lost(action, 'the connection closed before the reply', error);
      throw lost(action, 'the connection failed before the reply', error);
    }
    try {
      return parseResponse(decodeMessage(bytes));
    } catch (error) {
      // A reply we cannot read may be followed by anything: do not reuse this stream.
      this.kill();
      throw error;
    }
  }
}

/**
 * The request left and no reply will come. `over` marks a connection the peer closed: 35.com is
 * done with the command one way or the other. After a read timeout it may still be working on it.
 */
function lost(action: string, why: string, cause: unknown, over = true): GatewayError {
  return new GatewayError('outcome_unknown', {
    message: `35.com ${action}: ${why}; the request was sent and 35.com may have acted`,
    provider: 'com35',
    retryable: false,
    upstreamCode: over ? REPLY_LOST : undefined,
    cause,
  });
}

function connectSocket(config: SessionConfig): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: config.host, port: config.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect timed out after ${config.connectTimeoutMs} ms`));
    }, config.connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
