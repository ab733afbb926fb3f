/**
 * Structured JSON logs, one object per line, with secrets redacted three times over: by field name
 * (anything called key, password, secret, token, signature…), by value (every configured secret is
 * replaced wherever it appears, e.g. inside a URL's query string) and by shape (anything that looks
 * like one of the gateway's API keys, which are not configured values but rows in D1).
 */
import { API_KEY_IN_TEXT } from './api-key-format';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The header a request's id travels in: a caller's to the worker, the worker's to the 35.com
 * bridge, so the bridge's log lines of a call carry the id of the worker request that made it.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether a received id may be kept (it goes into log lines, so only a short plain token). */
export function isRequestId(value: string | undefined): value is string {
  return value !== undefined && REQUEST_ID.test(value);
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_FIELD =
  /(pass(word|wd)?|secret|token|api[-_]?key|^key$|signature|checksum|authorization|cookie)/i;
export const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of the given secret values (and their URL-encoded forms) in text, and
 * every API-key-shaped string.
 */
export function createRedactor(secrets: Iterable<string>): (text: string) => string {
  // The same secrets come with every request of an isolate (the config's list, a client's key):
  // building the redactor is a sort and an encoding per secret, so it is built once per list.
  const list = [...secrets];
  const key = list.join('\u0000');
  const known = redactors.get(key);
  if (known) return known;
  if (redactors.size >= MAX_REDACTORS) redactors.clear();
  const redactor = buildRedactor(list);
  redactors.set(key, redactor);
  return redactor;
}

/** Redactors by their secrets (NUL-joined); a handful per isolate, bounded should secrets rotate. */
const redactors = new Map<string, (text: string) => string>();
const MAX_REDACTORS = 32;

function buildRedactor(secrets: readonly string[]): (text: string) => string {
  const values = new Set<string>();
  for (const s of secrets) {
    // Very short values would redact ordinary words; a credential (LogicBoxes reseller ids are
    // numbers) is at least this long.
    if (!s || s.length < 4) continue;
    values.add(s);
    values.add(encodeURIComponent(s));
  }
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of sorted) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out.replace(API_KEY_IN_TEXT, REDACTED);
  };
}

/**
 * A URL as it may be stored or logged: origin and path only. User-info and the query string are
 * where callback URLs carry their credentials (`https://user:pass@host/hook?token=…`).
 */
export function urlWithoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '[unparseable URL]';
  }
}

function scrub(value: unknown, redact: (t: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== undefined && v !== null ? REDACTED : scrub(v, redact, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  secrets?: Iterable<string>;
  level?: LogLevel;
  /** Where lines go; defaults to console.log (workerd and Node both collect it). */
  sink?: (line: string) => void;
  base?: Record<string, unknown>;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: LoggerOptions = {}): Logger {
  const redact = createRedactor(opts.secrets ?? []);
  const min = ORDER[opts.level ?? 'info'];
  const sink = opts.sink ?? ((line: string) => console.log(line));
  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      const record = scrub({ time: new Date().toISOString(), level, msg, ...base, ...fields }, redact);
      sink(JSON.stringify(record));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(opts.base ?? {});
}

/** A logger that drops everything, for pure code paths and tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ sink: () => {} });
