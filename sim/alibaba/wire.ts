/**
 * Reply rendering for the Alibaba simulator: JSON (PascalCase, lists wrapped as the Go SDK and the
 * document's PascalCase examples show; a decision, docs/decisions.md) or XML with the
 * `<{Action}Response>` root (Alibaba Cloud Domain "API Reference (New)" §3.2), and the `<Error>`
 * envelope (§3.4). String dates in UTC+8, as every example shows.
 */
import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../shared/http-sim';

export type Format = 'JSON' | 'XML';

export function requestId(): string {
  return randomUUID().toUpperCase();
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlOf(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => xmlOf(name, v)).join('');
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlOf(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function render(
  format: Format,
  root: string,
  body: Record<string, unknown>,
  status = 200,
): SimResponse {
  if (format === 'JSON') {
    return {
      status,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(body),
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=utf-8' },
    body: `<?xml version='1.0' encoding='UTF-8'?>${xmlOf(root, body)}`,
  };
}

export interface SimError {
  status: number;
  code: string;
  message: string;
}

export function renderError(format: Format, hostId: string, error: SimError): SimResponse {
  const body = {
    RequestId: requestId(),
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://error-center.aliyun.com/status/search?Keyword=${encodeURIComponent(error.code)}&source=PopGw`,
  };
  return render(format, 'Error', body, error.status);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CST_MS = 8 * 3_600_000;

function cst(ms: number): Date {
  return new Date(ms + CST_MS);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `Nov 02, 2019 04:00:45` in UTC+8 (QueryDomainList, QueryTaskList style). */
export function styleOne(ms: number): string {
  const d = cst(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2013-12-06 00:00:00` in UTC+8 (QueryDomainByInstanceId, task detail style). */
export function styleTwo(ms: number): string {
  return cst(ms).toISOString().slice(0, 19).replace('T', ' ');
}
