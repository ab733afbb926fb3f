/**
 * The simulator's own reading of 35.com's XML envelope (the 35.com API user manual, "API 用户使用手册"
 * 2.7.4; § = its sections), both ways: the server reads `<request>` and writes `<response>`; its
 * test peer (raw-client.ts) does the opposite. Independent of the gateway's codec on purpose.
 *
 * - Request (§8.5): category, action, `<params>` of `<param name>` (repeated names kept in order,
 *   account commands send no `<params>` at all, §7.6.1.6), cltrid, chksum. Some examples write
 *   `<checksum>` and pad text and names with spaces (§7.2.2.2.6, §7.2.4.3.6): accepted and trimmed.
 * - Reply (§8.5): category, action, code, msg, value, optional `<resData>` of `<data name>`,
 *   cltrid, svtrid, chksum; pretty-printed like the manual's examples. `msg` and `value` are read
 *   untrimmed: the reply checksum covers them as sent.
 * - Greeting (§7.1.2): the server's first message, no cltrid and no checksum.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Param } from './checksums';

export class NotADocument extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  ignoreDeclaration: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'param' || name === 'data',
});

type Node = string | { [key: string]: unknown };

/** The root element's children, or NotADocument with the reason. */
function rootOf(text: string, root: 'request' | 'response'): Record<string, unknown> {
  const doc = text.replace(/^[\uFEFF\s]+/, '');
  if (doc === '') throw new NotADocument('empty message');
  const valid = XMLValidator.validate(doc);
  if (valid !== true) throw new NotADocument(`not XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parsed = parser.parse(doc) as Record<string, unknown>;
  const top = parsed[root];
  if (top === undefined) throw new NotADocument(`the root element is not <${root}>`);
  return typeof top === 'object' && top !== null ? (top as Record<string, unknown>) : {};
}

function first(value: unknown): Node | undefined {
  return (Array.isArray(value) ? value[0] : value) as Node | undefined;
}

/** An element's own text, untouched. */
function textOf(node: Node | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

/** `<param name>` / `<data name>` items of a container, names and values trimmed. */
function itemsOf(container: Node | undefined, element: 'param' | 'data'): Param[] {
  if (container === undefined || typeof container === 'string') return [];
  const items = container[element];
  if (!Array.isArray(items)) return [];
  return items.map((item: Node) => ({
    name: typeof item === 'string' ? '' : String(item['@name'] ?? '').trim(),
    value: textOf(item).trim(),
  }));
}

export interface IncomingRequest {
  category: string;
  action: string;
  params: Param[];
  cltrid: string;
  /** Lowercased: compared with our own lowercase MD5. */
  chksum: string;
}

/** Read a `<request>` document; throws NotADocument for anything else. */
export function readRequest(text: string): IncomingRequest {
  const el = rootOf(text, 'request');
  const trimmed = (name: string) => textOf(first(el[name])).trim();
  return {
    category: trimmed('category'),
    action: trimmed('action'),
    params: itemsOf(first(el.params), 'param'),
    cltrid: trimmed('cltrid'),
    chksum: (trimmed('chksum') || trimmed('checksum')).toLowerCase(),
  };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

export interface OutgoingReply {
  category: string;
  action: string;
  code: number;
  msg: string;
  value: string;
  data: readonly Param[];
  /** With no data: omit `<resData>` (UpdateDomainStatus example, §7.2.2.7.6) or send it empty (Login, §7.1.3.6). */
  noData: 'absent' | 'empty';
  cltrid: string;
  svtrid: string;
  chksum: string;
}

export function renderReply(r: OutgoingReply): string {
  const lines = [
    '<?xml version="1.0"?>',
    '<response>',
    `  <category>${escapeText(r.category)}</category>`,
    `  <action>${escapeText(r.action)}</action>`,
    `  <code>${r.code}</code>`,
    `  <msg>${escapeText(r.msg)}</msg>`,
    `  <value>${escapeText(r.value)}</value>`,
  ];
  if (r.data.length > 0) {
    lines.push('  <resData>');
    for (const d of r.data)
      lines.push(`    <data name="${escapeAttribute(d.name)}">${escapeText(d.value)}</data>`);
    lines.push('  </resData>');
  } else if (r.noData === 'empty') {
    lines.push('  <resData>', '  </resData>');
  }
  lines.push(
    `  <cltrid>${escapeText(r.cltrid)}</cltrid>`,
    `  <svtrid>${escapeText(r.svtrid)}</svtrid>`,
    `  <chksum>${r.chksum}</chksum>`,
    '</response>',
  );
  return lines.join('\n');
}

/** The greeting as §7.1.2 prints it, with the server's local time. */
export function renderGreeting(svDate: string): string {
  return [
    '<?xml version="1.0"?>',
    '<response>',
    '  <category>client</category>',
    '  <action>Greeting</action>',
    '  <code>1000</code>',
    '  <msg>Your Connection with API Server is Successful</msg>',
    '  <resData>',
    `    <data name="svDate">${escapeText(svDate)}</data>`,
    '  </resData>',
    '</response>',
  ].join('\n');
}

// --- the peer's side: what a client writes and reads -------------------------------------------

export interface OutgoingRequest {
  category: string;
  action: string;
  params: readonly Param[];
  cltrid: string;
  chksum: string;
}

/** A request on one line, nothing after `</request>`; no `<params>` when there are none (§7.6.1.6). */
export function renderRequest(r: OutgoingRequest): string {
  const params =
    r.params.length === 0
      ? ''
      : `<params>${r.params.map((p) => `<param name="${escapeAttribute(p.name)}">${escapeText(p.value)}</param>`).join('')}</params>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><request><category>${escapeText(r.category)}</category>` +
    `<action>${escapeText(r.action)}</action>${params}<cltrid>${escapeText(r.cltrid)}</cltrid>` +
    `<chksum>${escapeText(r.chksum)}</chksum></request>`
  );
}

export interface IncomingReply {
  category: string;
  action: string;
  code: number;
  /** As sent (the checksum covers it). */
  msg: string;
  /** As sent (the checksum covers it); '' when absent (the greeting). */
  value: string;
  data: Param[];
  /** `data` by name; repeated names give several values in order. */
  dataMap: Record<string, string[]>;
  cltrid?: string;
  svtrid?: string;
  chksum?: string;
}

/** Read a `<response>` document; throws NotADocument for anything else or a code that is not 4 digits. */
export function readReply(text: string): IncomingReply {
  const el = rootOf(text, 'response');
  const optional = (name: string) => (el[name] === undefined ? undefined : textOf(first(el[name])).trim());
  const code = optional('code') ?? '';
  if (!/^\d{4}$/.test(code)) throw new NotADocument(`code is not four digits: ${JSON.stringify(code)}`);
  const data = itemsOf(first(el.resData), 'data');
  const dataMap: Record<string, string[]> = {};
  for (const d of data) dataMap[d.name] = [...(dataMap[d.name] ?? []), d.value];
  return {
    category: optional('category') ?? '',
    action: optional('action') ?? '',
    code: Number(code),
    msg: textOf(first(el.msg)),
    value: textOf(first(el.value)),
    data,
    dataMap,
    cltrid: optional('cltrid'),
    svtrid: optional('svtrid'),
    chksum: optional('chksum') ?? optional('checksum'),
  };
}
