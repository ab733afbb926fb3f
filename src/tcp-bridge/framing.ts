/**
 * Message framing on 35.com's raw TCP stream. The document (the 35.com API user manual,
 * "API 用户使用手册" 2.7.4) defines no length prefix and no terminator (§6.1, §6.5 item 3, §7.1.2):
 * each message is one XML document, so the only boundary is the root end tag (`</response>` from
 * the server, `</request>` to it).
 *
 * `FrameReader` is the pure byte-level part (chunks in, whole messages out); `FramedSocket` adds
 * the socket, a read timeout and the maximum message size. Messages are decoded by their own XML
 * declaration: the manual shows `encoding="gbk"` on many responses (e.g. the examples of
 * §7.2.3.2.4 and §7.3.2.3.6) and UTF-8 or no declaration on others.
 */
import type { Socket } from 'node:net';
import { GatewayError } from '../core/errors';

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

export class FrameTooLargeError extends GatewayError {
  constructor(limit: number) {
    super('protocol', {
      message: `35.com sent a message larger than ${limit} bytes without an end tag`,
      provider: 'com35',
    });
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** Accumulates stream bytes and cuts them after each end tag. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly endTag: Buffer;
  /** Where the next search for the end tag starts (avoids rescanning a long partial message). */
  private searchFrom = 0;

  constructor(
    endTag: string,
    private readonly maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    this.endTag = Buffer.from(endTag, 'ascii');
  }

  /** Bytes held that do not yet form a message (leading whitespace excluded). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Feed a chunk; returns every message it completes, in order. Throws past the size limit. */
  push(chunk: Uint8Array): Buffer[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      this.skipLeadingNoise();
      const at = this.buffer.indexOf(this.endTag, this.searchFrom);
      if (at < 0) {
        // The end tag may straddle two chunks: resume the search just before the tail.
        this.searchFrom = Math.max(0, this.buffer.length - this.endTag.length + 1);
        if (this.buffer.length > this.maxBytes) throw new FrameTooLargeError(this.maxBytes);
        return messages;
      }
      const end = at + this.endTag.length;
      if (end > this.maxBytes) throw new FrameTooLargeError(this.maxBytes);
      messages.push(this.buffer.subarray(0, end));
      this.buffer = this.buffer.subarray(end);
      this.searchFrom = 0;
    }
  }

  /** Whitespace and UTF-8 BOMs between messages are not part of any message. */
  private skipLeadingNoise(): void {
    let i = 0;
    const b = this.buffer;
    for (;;) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else if (c === BOM[0] && b[i + 1] === BOM[1] && b[i + 2] === BOM[2]) i += 3;
      else break;
    }
    if (i > 0) {
      this.buffer = b.subarray(i);
      this.searchFrom = Math.max(0, this.searchFrom - i);
    }
  }
}

/** Decode a message by its XML declaration (`encoding="gbk"` → GBK); UTF-8 when none. */
export function decodeMessage(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 200))).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_-]+)["']/.exec(head)?.[1]?.toLowerCase();
  let label = 'utf-8';
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    // GB2312 and GBK are both subsets of GB18030, which Node's full-ICU decoder reads.
    label = ['gbk', 'gb2312', 'gb18030', 'cp936'].includes(declared) ? 'gbk' : declared;
  }
  try {
    return new TextDecoder(label, { fatal: false, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new GatewayError('protocol', {
      message: `35.com sent a message in an encoding we cannot read (${declared})`,
      provider: 'com35',
    });
  }
}

export interface FramedSocketOptions {
  endTag: string;
  maxMessageBytes?: number;
}

/**
 * A socket read one whole message at a time. `next(timeoutMs)` resolves with the next message's
 * bytes, or rejects on timeout, close or an oversized message; after any rejection other than a
 * timeout the socket is destroyed (the stream can no longer be trusted to be in step).
 */
export class FramedSocket {
  private readonly reader: FrameReader;
  private readonly queue: Buffer[] = [];
  private waiter?: { resolve: (b: Buffer) => void; reject: (e: Error) => void };
  private failure?: Error;
  closed = false;

  constructor(
    readonly socket: Socket,
    opts: FramedSocketOptions,
  ) {
    this.reader = new FrameReader(opts.endTag, opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = this.reader.push(chunk);
      } catch (error) {
        this.fail(error as Error);
        socket.destroy();
        return;
      }
      for (const m of messages) this.deliver(m);
    });
    socket.on('close', () => {
      this.closed = true;
      this.fail(new ConnectionClosedError());
    });
    socket.on('error', (error) => this.fail(error));
  }

  private deliver(message: Buffer): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(message);
    } else this.queue.push(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(this.failure);
    }
  }

  /** Messages received but not yet read (a server that answers twice, or unprompted). */
  get unread(): number {
    return this.queue.length;
  }

  next(timeoutMs: number): Promise<Buffer> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ReadTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiter = {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  write(text: string): Promise<void> {
    if (this.failure || this.closed) return Promise.reject(this.failure ?? new ConnectionClosedError());
    return new Promise((resolve, reject) => {
      this.socket.write(text, 'utf8', (error) => (error ? reject(error) : resolve()));
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export class ReadTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`);
    this.name = 'ReadTimeoutError';
  }
}

export class ConnectionClosedError extends Error {
  constructor() {
    super('the connection was closed');
    this.name = 'ConnectionClosedError';
  }
}
