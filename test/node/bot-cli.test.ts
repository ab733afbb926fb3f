/** `npm run bot:setup` and `npm run bot:poll`, against the fake Bot API over real sockets. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollOnce } from '../../scripts/bot-poll';
import { setupBot } from '../../scripts/bot-setup';
import { startFakeTelegram } from '../setup/fake-telegram';

let fake: Awaited<ReturnType<typeof startFakeTelegram>>;
beforeAll(async () => {
  fake = await startFakeTelegram();
});
afterAll(() => fake.close());

describe('bot:setup', () => {
  it('registers the commands in both languages and sets the webhook with the secret', async () => {
    const webhook = await setupBot({
      token: '42:setup-token',
      secret: 'hook-secret',
      publicUrl: 'https://gateway.example/',
      apiRoot: fake.url,
    });
    expect(webhook).toBe('https://gateway.example/telegram/webhook');
    const commands = fake.calls.filter((c) => c.method === 'setMyCommands');
    expect(commands).toHaveLength(2);
    expect(commands[1]!.payload.language_code).toBe('zh');
    const names = (commands[0]!.payload.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names).toEqual(
      expect.arrayContaining(['check', 'info', 'expiring', 'balance', 'price', 'renew', 'renewals']),
    );
    const hook = fake.calls.find((c) => c.method === 'setWebhook')!;
    expect(hook.payload).toMatchObject({ url: webhook, secret_token: 'hook-secret' });
  });
});

describe('bot:poll', () => {
  it('forwards polled updates to the worker webhook with the secret token', async () => {
    const received: Array<{ secret?: string; body: unknown }> = [];
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push({
          secret: req.headers['x-telegram-bot-api-secret-token'] as string,
          body: JSON.parse(body),
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const update = {
      update_id: 77,
      message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: '/help' },
    };
    await fetch(`${fake.url}/__updates`, { method: 'POST', body: JSON.stringify(update) });
    const api = new Api('42:poll-token', { apiRoot: fake.url });
    const next = await pollOnce(
      {
        api,
        gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
        secret: 's3',
        timeout: 0,
      },
      0,
    );
    gateway.close();
    expect(next).toBe(78);
    expect(received).toEqual([{ secret: 's3', body: update }]);
  });
});
