import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { renderGreeting, renderReply } from '../../sim/com35/wire';
import { sharedPath } from '../../test/node/shared-dir';
import { parseResponse } from '../providers/com35/codec';
import {
  ConnectionClosedError,
  decodeMessage,
  FramedSocket,
  FrameReader,
  FrameTooLargeError,
  ReadTimeoutError,
} from './framing';

/** GBK bytes of a string, built with the only GBK encoder at hand: a table from TextDecoder. */
function gbkEncode(text: string): Buffer {
  const table = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

let cachedTable: Map<string, number[]> | undefined;
function gbkTable(): Map<string, number[]> {
  if (cachedTable) return cachedTable;
  cachedTable = new Map();
  const decoder = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.from([hi, lo]));
      if (ch.length === 1 && ch !== '\uFFFD' && !cachedTable.has(ch)) cachedTable.set(ch, [hi, lo]);
    }
  }
  return cachedTable;
}

const seedText = readFileSync(sharedPath('seeds', '000_30487e95ae379830.txt'), 'utf8');
/** Real documents of the 35.com API user manual: every `<response>` example, fences removed. */
const seedResponses = [...seedText.matchAll(/<\?xml[^\n]*\n<response>[\s\S]*?<\/response>/g)]
  .map((m) => m[0].replace(/^\s*```\s*$/gm, ''))
  .slice(0, 40);

/**
 * The XML declarations the manual prints: `gbk` on replies (RequestModifyRegistrantEmail example,
 * §7.2.3.2.4), `UTF-8` (UpdateDomainDns request example, §7.2.2.9.6), and none (most examples,
 * and what the simulator writes).
 */
const DECLARATIONS = {
  gbk: '<?xml version="1.0" encoding="gbk"?>',
  utf8: '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
  none: '<?xml version="1.0"?>',
} as const;

/** A reply as the simulator renders it, under the chosen declaration; GBK bytes when it says gbk. */
function sampleMessage(
  i: number,
  chinese: string,
  declaration: keyof typeof DECLARATIONS = i % 2 === 0 ? 'gbk' : 'utf8',
): { text: string; bytes: Buffer } {
  const rendered = renderReply({
    category: 'account',
    action: 'GetCustomerInfo',
    code: 1000,
    msg: 'Command complateded successfully',
    value: `L${i}:no value`,
    data: [
      { name: 'r_city', value: chinese },
      { name: 'n', value: String(i) },
    ],
    cltrid: `C${i}`,
    svtrid: `C${i}-API-SRV`,
    noData: 'absent',
    chksum: '0'.repeat(32),
  });
  expect(rendered.startsWith(`${DECLARATIONS.none}\n`)).toBe(true);
  const text = DECLARATIONS[declaration] + rendered.slice(DECLARATIONS.none.length);
  return { text, bytes: declaration === 'gbk' ? gbkEncode(text) : Buffer.from(text, 'utf8') };
}

describe('FrameReader', () => {
  it("has the manual's examples to frame", () => {
    expect(seedResponses.length).toBeGreaterThan(20);
  });

  it('frames any random chunking of real messages with whitespace/BOM between them (property)', () => {
    const messages = [
      ...seedResponses.map((t) => ({ text: t, bytes: Buffer.from(t, 'utf8') })),
      sampleMessage(0, '厦门市'),
      sampleMessage(1, '福建省'),
      sampleMessage(2, '观日路 组织'),
      {
        text: renderGreeting('2026-01-01 00:00:00'),
        bytes: Buffer.from(renderGreeting('2026-01-01 00:00:00')),
      },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: messages.length - 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('', '\n', '\r\n', ' \t', '\uFEFF', '\n\uFEFF  '), {
          minLength: 8,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 30 }),
        (picks, separators, cuts) => {
          const parts: Buffer[] = [];
          picks.forEach((p, i) => {
            parts.push(Buffer.from(separators[i] ?? '', 'utf8'), messages[p]!.bytes);
          });
          const stream = Buffer.concat(parts);
          const reader = new FrameReader('</response>');
          const out: Buffer[] = [];
          let offset = 0;
          let c = 0;
          while (offset < stream.length) {
            const size = cuts[c++ % cuts.length]!;
            out.push(...reader.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(out.map((b) => decodeMessage(b))).toEqual(picks.map((p) => messages[p]!.text));
          expect(reader.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns several messages from one chunk', () => {
    const a = sampleMessage(1, '厦门').bytes;
    const b = sampleMessage(3, '福建').bytes;
    const out = new FrameReader('</response>').push(Buffer.concat([a, Buffer.from('\n'), b]));
    expect(out.map((m) => parseResponse(decodeMessage(m)).value)).toEqual(['L1:no value', 'L3:no value']);
  });

  it('decodes GBK by the declaration and UTF-8 otherwise', () => {
    const gbk = sampleMessage(0, '厦门市观日路');
    expect(gbk.bytes.equals(Buffer.from(gbk.text, 'utf8'))).toBe(false);
    expect(parseResponse(decodeMessage(gbk.bytes)).dataMap.r_city).toEqual(['厦门市观日路']);
    const utf = sampleMessage(1, '厦门市观日路');
    expect(parseResponse(decodeMessage(utf.bytes)).dataMap.r_city).toEqual(['厦门市观日路']);
    const undeclared = sampleMessage(1, '厦门市观日路', 'none');
    expect(parseResponse(decodeMessage(undeclared.bytes)).dataMap.r_city).toEqual(['厦门市观日路']);
  });

  it('rejects a message past the maximum size, with or without an end tag', () => {
    const reader = new FrameReader('</response>', 1000);
    expect(() => reader.push(Buffer.from(`<response>${'x'.repeat(1200)}`))).toThrow(FrameTooLargeError);
    const whole = new FrameReader('</response>', 1000);
    expect(() => whole.push(Buffer.from(`<response>${'x'.repeat(1200)}</response>`))).toThrow(
      FrameTooLargeError,
    );
    const ok = new FrameReader('</response>', 1000);
    expect(ok.push(Buffer.from(`<response>${'x'.repeat(900)}</response>`))).toHaveLength(1);
  });
});

describe('FramedSocket over a real socket', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function pair(onServerSocket: (s: Socket) => void, max?: number): Promise<FramedSocket> {
    server = createServer(onServerSocket);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', r));
    return new FramedSocket(socket, { endTag: '</response>', maxMessageBytes: max });
  }

  it('reads messages written byte by byte', async () => {
    const msg = sampleMessage(0, '厦门').bytes;
    const framed = await pair((s) => {
      let i = 0;
      const tick = setInterval(() => {
        if (i >= msg.length) {
          clearInterval(tick);
          return;
        }
        s.write(msg.subarray(i, i + 7));
        i += 7;
      }, 0);
    });
    const got = await framed.next(5000);
    expect(got.equals(msg)).toBe(true);
    framed.destroy();
  });

  it('times out when no complete message arrives, and reports a close', async () => {
    let serverSocket: Socket | undefined;
    const framed = await pair((s) => {
      serverSocket = s;
      s.write('<?xml version="1.0"?><response><code>10');
    });
    await expect(framed.next(50)).rejects.toBeInstanceOf(ReadTimeoutError);
    serverSocket!.destroy();
    await expect(framed.next(5000)).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('drops the session when a message exceeds the maximum size', async () => {
    const framed = await pair((s) => s.write(`<response>${'y'.repeat(5000)}`), 1024);
    await expect(framed.next(5000)).rejects.toBeInstanceOf(FrameTooLargeError);
    await new Promise((r) => setTimeout(r, 20));
    expect(framed.socket.destroyed).toBe(true);
  });
});
