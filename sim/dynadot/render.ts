/**
 * The simulator's reply shapes, written from the API3 document's examples (not from our client's decoder):
 * one reply model per command, rendered as API3 XML (`api3.xml`) or JSON (`api3.json`).
 *
 * XML: `<{Root}><{Header}><{CodeTag}>…</{CodeTag}><Status>…<Error>…</{Header}>{content}</{Root}>`
 * with the header/code tag names of each command's own XML example (the XML and JSON examples name the code tag differently); the
 * generic `<Response><ResponseHeader>` envelope for key/command-level errors (real fixture
 * `error_invalid_key.xml`). JSON: `{Root: {ResponseCode, Status, …content}}` as the API3
 * document's JSON examples show (the header wrapper disappears; its `search` section onwards).
 */

/** An element tree small enough to write by hand: a text leaf, or children in order. */
export type XmlNode = { name: string; text?: string; children?: XmlNode[] };

export const el = (name: string, content?: string | XmlNode[]): XmlNode =>
  typeof content === 'string' || content === undefined
    ? { name, text: content ?? '' }
    : { name, children: content };

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function toXml(node: XmlNode, indent = ''): string {
  if (node.children) {
    if (node.children.length === 0) return `${indent}<${node.name}/>`;
    const inner = node.children.map((c) => toXml(c, `${indent}  `)).join('\n');
    return `${indent}<${node.name}>\n${inner}\n${indent}</${node.name}>`;
  }
  return `${indent}<${node.name}>${escapeText(node.text ?? '')}</${node.name}>`;
}

export interface Reply {
  /** Root element, e.g. `RenewResponse`. */
  root: string;
  /** Header element, e.g. `RenewHeader`; the generic envelope uses `ResponseHeader`. */
  header: string;
  codeTag: 'SuccessCode' | 'ResponseCode';
  code: string;
  status?: string;
  error?: string;
  /** Extra header children (`PriceLevel`, `Currency`, `ResponseMsg`). */
  headerExtra?: XmlNode[];
  /** Elements after the header (the `…Content` element). */
  content?: XmlNode[];
  /** The JSON example's fields for the same reply, merged under the root. */
  json?: Record<string, unknown>;
  /** Overrides the XML rendering entirely (`search`'s `<Results>` list). */
  xml?: string;
  httpStatus?: number;
}

export function renderXml(reply: Reply): string {
  if (reply.xml !== undefined) return `<?xml version="1.0" encoding="UTF-8"?>\n${reply.xml}\n`;
  const header = el(reply.header, [
    el(reply.codeTag, reply.code),
    ...(reply.status !== undefined ? [el('Status', reply.status)] : []),
    ...(reply.error !== undefined ? [el('Error', reply.error)] : []),
    ...(reply.headerExtra ?? []),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(el(reply.root, [header, ...(reply.content ?? [])]))}\n`;
}

export function renderJson(reply: Reply): string {
  const body: Record<string, unknown> = { ResponseCode: reply.code };
  if (reply.status !== undefined) body.Status = reply.status;
  if (reply.error !== undefined) body.Error = reply.error;
  Object.assign(body, reply.json ?? {});
  return JSON.stringify({ [reply.root]: body });
}

/** The envelope for errors that belong to no command: bad key, unknown command, wrong method. */
export function genericError(error: string, httpStatus = 200): Reply {
  return {
    root: 'Response',
    header: 'ResponseHeader',
    codeTag: 'ResponseCode',
    code: '-1',
    error,
    httpStatus,
  };
}

/** A command's own envelope with code -1, `Status` error and the message. */
export function commandError(root: string, header: string, codeTag: Reply['codeTag'], error: string): Reply {
  return { root, header, codeTag, code: '-1', status: 'error', error };
}
