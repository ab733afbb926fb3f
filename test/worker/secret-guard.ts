/**
 * Secret guard (issue 13, item 4): a setupFile of the worker project, so it watches EVERY worker
 * test file — the whole suite's scenarios run with recognizable secret values (the simulators'
 * `sim-…` credentials, the fixed TEST_SECRETS). It records what leaves the gateway towards a
 * person or a disk:
 *  - every log line (console.* of the worker isolate, where the worker's logger writes),
 *  - every response body the worker sends through SELF (error bodies included),
 *  - every text the bot sends to Telegram (payloads at the fake Bot API, never the URL token),
 *  - every stored row in D1, at the end of the file,
 * and fails the file if any secret value (plain, URL-encoded or base64) appears in one of them.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll } from 'vitest';
import { SECRET_VARS } from '../../src/env';
import worker from '../../src/index';

/** Values too short to be recognizable would match by chance (a 4-digit user id). */
const MIN_LENGTH = 8;

export function secretValues(
  bindings: Record<string, unknown> = env as unknown as Record<string, unknown>,
): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, value: string) => {
    if (value.length >= MIN_LENGTH) out.set(name, value);
  };
  for (const [name, value] of Object.entries(bindings)) {
    // The variables the configuration table marks secret, as the worker's own redaction uses them.
    if (!SECRET_VARS.has(name) || typeof value !== 'string') continue;
    add(name, value);
    // Lists of secrets (a rotation: "whsec_a whsec_b") and the key inside a `whsec_` value.
    value.split(/[\s,]+/).forEach((part, i) => {
      add(`${name}[${i}]`, part);
      if (part.startsWith('whsec_')) {
        try {
          const inner = atob(part.slice('whsec_'.length));
          if (/^[\x20-\x7e]+$/.test(inner)) add(`${name}[${i}] key`, inner);
        } catch {
          // not base64: the value itself is the secret
        }
      }
    });
  }
  return out;
}

/** The forms a secret could take on its way out. */
function forms(value: string): string[] {
  const all = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  try {
    all.add(btoa(value));
  } catch {
    // not latin-1: no base64 form to look for
  }
  return [...all];
}

export interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

export function findLeaks(secrets: Map<string, string>, where: string, text: string): Leak[] {
  const leaks: Leak[] = [];
  for (const [name, value] of secrets) {
    for (const form of forms(value)) {
      const at = text.indexOf(form);
      if (at < 0) continue;
      // The excerpt names the variable instead of repeating its value.
      const excerpt = `${text.slice(Math.max(0, at - 60), at)}<${name}>${text.slice(at + form.length, at + form.length + 60)}`;
      leaks.push({ secret: name, where, excerpt });
      break;
    }
  }
  return leaks;
}

const seen: Array<{ where: string; text: string }> = [];
export const guardRecord = seen;

function stringify(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' ');
}

beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const text = stringify(args);
      seen.push({ where: `console.${level}`, text });
      // The suite runs at LOG_LEVEL=debug so that every line the logger can write is checked;
      // only warnings and errors reach the test output.
      if (!/^\{"time":"[^"]+","level":"(debug|info)"/.test(text)) original(...args);
    };
  }
  // SELF calls the entry module's default export; wrapping its fetch records every response.
  const entry = worker as { fetch: (req: Request, ...rest: unknown[]) => Promise<Response> | Response };
  const original = entry.fetch;
  entry.fetch = async (req: Request, ...rest: unknown[]) => {
    const res = await original(req, ...rest);
    const body = await res.clone().text();
    seen.push({ where: `response ${res.status} ${new URL(req.url).pathname}`, text: body });
    return res;
  };
});

let historyRead = 0;

/** Everything the bot sent to the fake Bot API since the last read (payloads only, not the URL token). */
export async function telegramPayloads(): Promise<void> {
  const root = env.TELEGRAM_API_ROOT;
  if (!root) return;
  try {
    const res = await fetch(`${root}/__history?since=${historyRead}`);
    const calls = (await res.json()) as Array<{ method: string; payload: unknown }>;
    historyRead += calls.length;
    for (const call of calls)
      seen.push({ where: `telegram ${call.method}`, text: JSON.stringify(call.payload) });
  } catch {
    // the fake Bot API is not part of this run
  }
}

async function storedRows(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  for (const { name } of results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    if (rows.results.length > 0) seen.push({ where: `D1 ${name}`, text: JSON.stringify(rows.results) });
  }
}

afterAll(async () => {
  await telegramPayloads();
  await storedRows();
  const secrets = secretValues();
  const leaks = seen.flatMap((s) => findLeaks(secrets, s.where, s.text));
  seen.length = 0;
  if (leaks.length > 0) {
    const lines = leaks.slice(0, 10).map((l) => `- ${l.secret} in ${l.where}: …${l.excerpt}…`);
    throw new Error(`secret values leaked (${leaks.length}):\n${lines.join('\n')}`);
  }
});
