/**
 * A fake Telegram Bot API on 127.0.0.1 port 0, for the bot's tests: it answers the methods the
 * bot uses the way Telegram does (`{ok, result}`) and records every call. Tests read the record at
 * `GET /__calls` and clear it with `DELETE /__calls`. Used as a vitest globalSetup (providing
 * `telegramApiRoot`) and directly by Node tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

export interface TelegramCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    telegramApiRoot: string;
  }
}

/** A call with the fake's answer to it (a sent message's `message_id` is in `result`). */
export interface AnsweredCall extends TelegramCall {
  result: unknown;
}

export async function startFakeTelegram(
  opts: {
    /** Told of every Bot API call as it is answered (`npm run bot:local` prints the bot's replies). */
    onCall?: (call: AnsweredCall) => void;
  } = {},
): Promise<{
  url: string;
  calls: TelegramCall[];
  close(): Promise<void>;
}> {
  const calls: TelegramCall[] = [];
  /** Every call since start, never cleared: `GET /__history?since=n` (the secret guard reads it). */
  const history: TelegramCall[] = [];
  /** Updates waiting for getUpdates (long polling tests); POST /__updates queues one. */
  const queued: unknown[] = [];
  let nextMessageId = 100;
  const answer = (method: string, token: string, payload: Record<string, unknown>): unknown => {
    const chat = { id: Number(payload.chat_id ?? 0), type: 'private' };
    const date = Math.floor(Date.now() / 1000);
    switch (method) {
      case 'sendMessage':
        return { message_id: nextMessageId++, date, chat, text: payload.text };
      case 'editMessageText':
        return { message_id: payload.message_id, date, chat, text: payload.text };
      case 'getMe':
        return { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Fake', username: 'fake_bot' };
      case 'getUpdates':
        return queued.splice(0);
      default:
        return true;
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/__updates' && req.method === 'POST') {
        queued.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        return reply(200, { ok: true });
      }
      if (url.pathname === '/__calls') {
        if (req.method === 'DELETE') calls.length = 0;
        return reply(200, calls);
      }
      if (url.pathname === '/__history') {
        return reply(200, history.slice(Number(url.searchParams.get('since') ?? 0)));
      }
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = m as unknown as [string, string, string];
      const text = Buffer.concat(chunks).toString('utf8');
      let payload: Record<string, unknown> = {};
      try {
        payload = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        payload = Object.fromEntries(new URLSearchParams(text));
      }
      calls.push({ method, token, payload });
      history.push({ method, token, payload });
      const result = answer(method, token, payload);
      opts.onCall?.({ method, token, payload, result });
      return reply(200, { ok: true, result });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export default async function setup(project: TestProject) {
  const fake = await startFakeTelegram();
  project.provide('telegramApiRoot', fake.url);
  return () => fake.close();
}
