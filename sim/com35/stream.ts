/**
 * Cutting 35.com's TCP stream into messages, the simulator's own way. The manual (the 35.com API
 * user manual, "API 用户使用手册" 2.7.4) has no length prefix and no terminator: one XML document
 * per message (§8.5), one command at a time (§6.5 item 3), so a message ends at its root end tag
 * (`</request>` for the server, `</response>` for its peer). Whitespace and UTF-8 BOMs between
 * messages belong to none.
 */
export class TooLong extends Error {}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export class EndTagSplitter {
  private held = Buffer.alloc(0);
  private readonly endTag: Buffer;

  constructor(
    endTag: '</request>' | '</response>',
    private readonly maxBytes: number,
  ) {
    this.endTag = Buffer.from(endTag, 'ascii');
  }

  /** Add received bytes; returns every message they complete. Throws TooLong past `maxBytes`. */
  push(chunk: Uint8Array): Buffer[] {
    // Search only where the end tag can newly appear: it may straddle the previous chunk.
    let from = Math.max(0, this.held.length - this.endTag.length + 1);
    this.held = Buffer.concat([this.held, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      const skipped = this.skipBetweenMessages();
      from = Math.max(0, from - skipped);
      const at = this.held.indexOf(this.endTag, from);
      const end = at < 0 ? -1 : at + this.endTag.length;
      if ((end < 0 ? this.held.length : end) > this.maxBytes)
        throw new TooLong(`over ${this.maxBytes} bytes`);
      if (end < 0) return messages;
      messages.push(this.held.subarray(0, end));
      this.held = this.held.subarray(end);
      from = 0;
    }
  }

  private skipBetweenMessages(): number {
    let i = 0;
    for (;;) {
      if (SPACE.has(this.held[i]!)) i++;
      else if (this.held.subarray(i, i + 3).equals(BOM)) i += 3;
      else break;
    }
    this.held = this.held.subarray(i);
    return i;
  }
}
