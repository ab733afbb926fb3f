/**
 * `npm run bot:setup`, `npm run bot:poll` and `npm run bot:local`, against the fake Bot API over
 * real sockets.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseAfter, pollLoop, pollOnce } from '../../scripts/bot-poll';
import { setupBot } from '../../scripts/bot-setup';
import { REPO_ROOT } from '../../scripts/local-stack';
import { startFakeTelegram } from '../setup/fake-telegram';
import { spawnWatched, waitUntil } from './process-tree';

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

describe('bot:poll loop', () => {
  /** A loop whose clock moves only when it sleeps: every answer came "at once". */
  async function loop(apiRoot: string, token: string, rounds: number): Promise<number[]> {
    const pauses: number[] = [];
    let clock = 0;
    await pollLoop(
      { api: new Api(token, { apiRoot }), gatewayUrl: 'http://127.0.0.1:9', secret: 's3', timeout: 30 },
      {
        sleep: async (ms) => {
          pauses.push(ms);
          clock += ms;
        },
        now: () => clock,
        stopped: () => pauses.length >= rounds,
        log: () => {},
      },
    );
    return pauses;
  }

  it('long-polls, and pauses (growing) while the server answers at once with nothing', async () => {
    const pauses = await loop(fake.url, '42:loop-token', 6);
    const polls = fake.calls.filter((c) => c.method === 'getUpdates' && c.token === '42:loop-token');
    expect(polls).toHaveLength(6);
    for (const poll of polls) expect(poll.payload.timeout).toBe(30);
    expect(pauses).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('pauses (growing, longer) after errors', async () => {
    // A Bot API that answers every call with a server error (a closed port could be reused meanwhile).
    const failing = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: 'Internal Server Error' }));
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const port = (failing.address() as AddressInfo).port;
    try {
      expect(await loop(`http://127.0.0.1:${port}`, '42:error-token', 6)).toEqual([
        1000, 2000, 4000, 8000, 16000, 30000,
      ]);
    } finally {
      await new Promise<void>((r) => failing.close(() => r()));
    }
  });

  it('does not pause while updates flow or after a long poll that ran its course', () => {
    expect(pauseAfter({ kind: 'updates' }, 4000)).toBe(0);
    expect(pauseAfter({ kind: 'empty', answeredInMs: 30_000 }, 4000)).toBe(0);
  });
});

describe('bot:local', () => {
  it('starts the product with the fake Bot API, answers a typed command, and taps a button by number', {
    timeout: 180_000,
  }, async () => {
    const run = spawnWatched(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/bot-local.ts'], {
      cwd: REPO_ROOT,
      // PORT=0: any free port, chosen (and chosen again if taken meanwhile) by the stack itself.
      env: { ...process.env, PORT: '0' },
    });
    try {
      const see = (what: RegExp) =>
        waitUntil(
          () => `${what} in:\n${run.output()}`,
          () => {
            run.watchTree();
            return what.test(run.output()) || run.child.exitCode !== null;
          },
          120_000,
        ).then(() => expect(run.output()).toMatch(what));
      await see(/^bot:local ready/m);
      run.child.stdin!.write('/check example.com\n');
      await see(/^bot> .*example\.com is (not )?available/m);
      run.child.stdin!.write('/renew sim-dynadot.com 1\n');
      await see(/^ +\[1\] Confirm +\[2\] Cancel$/m);
      run.child.stdin!.write('2\n');
      await see(
        /^bot \(edits its message \d+\)> Renewal of sim-dynadot.com cancelled\. Nothing was charged\.$/m,
      );

      // The end of input ends the chat and stops everything it started.
      run.child.stdin!.end();
      expect(await run.exited).toBe(0);
      await waitUntil(
        () => `every child gone: ${JSON.stringify(run.remaining())}`,
        () => run.remaining().length === 0,
        20_000,
      );
    } finally {
      run.kill();
    }
  });
});
