/**
 * The Telegram front door end to end: real Update JSON posted to /telegram/webhook, the bot's
 * answers read from a fake Bot API on a real socket, registrar effects counted at the simulators.
 */
import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramConfirmationChannel, telegramLowBalance } from '../../src/bot/notify';
import { silentLogger } from '../../src/core/log';
import type { LowBalanceAlert } from '../../src/core/notifications';
import type { Renewal } from '../../src/core/renewals/types';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { setSoldTlds, sim } from './helpers';
import {
  botTexts,
  clearTelegramCalls,
  messageUpdate,
  OPERATOR,
  postUpdate,
  STRANGER,
  say,
  telegramCalls,
  VIEWER,
} from './telegram-support';

beforeEach(async () => {
  await clearTelegramCalls();
});

/** Runs the daily cron (reminders and alerts) as Cloudflare would at `at`, and waits for it. */
async function runDailyCron(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron: '30 6 * * *', scheduledTime: at }),
    env as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

/** A domain in the inventory that expires 6 days after `now` (inside the 7-day reminder window). */
async function seedExpiringDomain(domain: string, now: number): Promise<void> {
  const seen = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO domains (domain, account, provider, expires_at, status, first_seen, last_seen)
     VALUES (?, 'dynadot', 'dynadot', ?, '["active"]', ?, ?)`,
  )
    .bind(domain, new Date(now + 6 * 86_400_000).toISOString(), seen, seen)
    .run();
}

describe('telegram webhook', () => {
  it('refuses a wrong secret token with 401 and sends nothing', async () => {
    const res = await postUpdate(messageUpdate(OPERATOR, '/help'), 'wrong-secret');
    expect(res.status).toBe(401);
    expect(await telegramCalls()).toEqual([]);
  });

  it('politely refuses a stranger, and does nothing else', async () => {
    expect(await say(STRANGER, '/balance')).toEqual([expect.stringMatching(/private/)]);
    expect(await say(STRANGER, '/renew example.com', 'zh-hans')).toEqual([expect.stringMatching(/私有/)]);
  });

  it('answers /start and /help in English and in Chinese', async () => {
    expect((await say(VIEWER, '/start'))[0]).toMatch(/^Hello Wei!/);
    expect((await say(VIEWER, '/start', 'zh-hans'))[0]).toMatch(/你好/);
    const help = await say(VIEWER, '/help');
    for (const cmd of [
      '/check',
      '/info',
      '/expiring',
      '/balance',
      '/price',
      '/renew',
      '/renewals',
      '/subscribe',
    ]) {
      expect(help[0]).toContain(cmd);
    }
    expect((await say(VIEWER, '/help', 'zh'))[0]).toMatch(/命令/);
  });

  it('answers bad input with one clear sentence', async () => {
    expect(await say(VIEWER, '/frobnicate')).toEqual([expect.stringContaining('/frobnicate')]);
    expect(await say(VIEWER, '/check')).toEqual([expect.stringContaining('/check example.com')]);
    expect(await say(VIEWER, '/check bad..name')).toEqual([
      expect.stringMatching(/"bad\.\.name" is not a valid domain name: .*empty label/),
    ]);
    expect(await say(VIEWER, '/info exa_mple.com', 'zh')).toEqual([
      expect.stringMatching(/不是有效的域名：含有域名中不允许的字符/),
    ]);
    expect(await say(VIEWER, '/expiring soon')).toEqual([
      expect.stringContaining('"soon" is not a number of days'),
    ]);
    expect(await say(OPERATOR, '/renew example.com 11')).toEqual([
      expect.stringContaining('between 1 and 10'),
    ]);
    expect(await say(OPERATOR, '/renew')).toEqual([expect.stringContaining('/renew example.com 1')]);
  });

  it('lets only operators renew', async () => {
    expect(await say(VIEWER, '/renew example.com 1')).toEqual([
      'Only operators can renew domains. Your role is viewer.',
    ]);
    expect(await say(VIEWER, '/renew example.com 1', 'zh')).toEqual([expect.stringContaining('只有操作员')]);
  });

  it('lists domains expiring soon from the inventory', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const rows = [
      ['soon.example', new Date(now + 5 * day).toISOString()],
      ['later.example', new Date(now + 20 * day).toISOString()],
      ['far.example', new Date(now + 200 * day).toISOString()],
    ];
    for (const [domain, expires] of rows) {
      await env.DB.prepare(
        `INSERT INTO domains (domain, account, provider, expires_at, status, first_seen, last_seen)
         VALUES (?, 'dynadot', 'dynadot', ?, '["active"]', ?, ?)`,
      )
        .bind(domain, expires, new Date().toISOString(), new Date().toISOString())
        .run();
    }
    const [reply] = await say(VIEWER, '/expiring 30');
    expect(reply).toMatch(/^2 domain\(s\) expire within 30 days:/);
    expect(reply!.indexOf('soon.example')).toBeLessThan(reply!.indexOf('later.example'));
    expect(reply).not.toContain('far.example');
    expect((await say(VIEWER, '/expiring 1'))[0]).toBe('No domain or service expires within 1 days.');
  });

  it('subscribes a chat and delivers each expiry reminder to it once', async () => {
    const now = Date.now();
    await seedExpiringDomain('remind-me.example', now);
    expect(await say(VIEWER, '/subscribe', 'zh')).toEqual([expect.stringContaining('已订阅')]);
    await clearTelegramCalls();

    await runDailyCron(now);
    await runDailyCron(now);
    const sent = (await telegramCalls('sendMessage')).filter((c) =>
      String(c.payload.text).includes('remind-me.example'),
    );
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.payload.chat_id)).toBe(String(VIEWER.id));
    expect(String(sent[0]!.payload.text)).toMatch(/remind-me\.example 将在 \d+ 天后/);

    expect(await say(VIEWER, '/unsubscribe')).toEqual([expect.stringContaining('Unsubscribed')]);
  });

  it('sends no reminder or alert to the chats of a subscriber since removed from the allow-list', async () => {
    const removed = '5555'; // not in TELEGRAM_USERS (any more): subscribed while still allowed
    const groupChat = '-100777';
    const chats = [String(VIEWER.id), removed, groupChat];
    const dropSubscriptions = () =>
      env.DB.prepare('DELETE FROM telegram_subscriptions WHERE chat_id IN (?, ?, ?)')
        .bind(...chats)
        .run();
    await dropSubscriptions();
    const now = Date.now();
    const domain = `removed-user-${now}.example`;
    await seedExpiringDomain(domain, now);
    expect(await say(VIEWER, '/subscribe')).toEqual([expect.stringContaining('Subscribed')]);
    // The removed user's own chat and a group chat they subscribed, as /subscribe left them.
    const at = new Date().toISOString();
    await env.DB.batch(
      [removed, groupChat].flatMap((chat) =>
        ['reminders', 'balance'].map((kind) =>
          env.DB.prepare(
            `INSERT INTO telegram_subscriptions (chat_id, user_id, language, kind, created_at) VALUES (?, ?, 'en', ?, ?)`,
          ).bind(chat, removed, kind, at),
        ),
      ),
    );
    await clearTelegramCalls();
    try {
      await runDailyCron(now);
      const alert: LowBalanceAlert = {
        account: 'dynadot',
        provider: 'dynadot',
        available: { amount: '3.21', currency: 'USD' },
        reason: 'below_threshold',
        threshold: { amount: '50', currency: 'USD' },
      };
      expect(await telegramLowBalance(env as unknown as Env, alert, silentLogger)).toBe(true);

      const sent = await telegramCalls('sendMessage');
      const reminders = sent.filter((c) => String(c.payload.text).includes(domain));
      const alerts = sent.filter((c) => String(c.payload.text).includes('is low: 3.21 USD'));
      expect(reminders.map((c) => String(c.payload.chat_id))).toEqual([String(VIEWER.id)]);
      expect(alerts.map((c) => String(c.payload.chat_id))).toEqual([String(VIEWER.id)]);
      expect(sent.filter((c) => chats.slice(1).includes(String(c.payload.chat_id)))).toEqual([]);
    } finally {
      await dropSubscriptions();
    }
  });

  it('does not edit a renewal result into the chat of a user since removed from the allow-list', async () => {
    const renewalId = `rnw-removed-${Date.now()}`;
    await env.DB.prepare(
      `INSERT INTO bot_confirmations (token, user_id, chat_id, message_id, language, domain, account, years,
         expected_expiry, created_at, expires_at, used_at, outcome)
       VALUES (?, '5555', '5555', 77, 'en', 'gone.example', 'dynadot', 1, '2027-01-01', ?, ?, ?, 'confirmed')`,
    )
      .bind(`tok-${renewalId}`, new Date().toISOString(), new Date().toISOString(), new Date().toISOString())
      .run();
    await clearTelegramCalls();
    const renewal = { id: renewalId, domain: 'gone.example', state: 'confirmed' } as Renewal;
    const subscriber = { renewalId, channel: 'telegram', key: `tok-${renewalId}` };
    expect(
      await telegramConfirmationChannel.deliver(env as unknown as Env, renewal, subscriber, silentLogger),
    ).toBe(false);
    expect(await telegramCalls()).toEqual([]);
  });

  it('reports no renewals yet', async () => {
    expect(await say(VIEWER, '/renewals')).toEqual(['No renewals yet.']);
  });

  it('never shows the bot token or webhook secret in what it sends', async () => {
    await say(VIEWER, '/help');
    const all = JSON.stringify(await botTexts());
    expect(all).not.toContain('TEST-bot-token');
    expect(all).not.toContain(env.TELEGRAM_WEBHOOK_SECRET);
  });
});

describe('/check: unknown is never “not available”', () => {
  // The registrars with a price list sell only .com here; 35.com and Alibaba have no list and are asked.
  const LISTS = { logicboxes: ['com'], dynadot: ['com'], mrdomain: ['com'] };
  const accounts = Object.keys(JSON.parse(env.SIM_CONTROL) as Record<string, string>);

  afterEach(async () => {
    await setSoldTlds();
    for (const account of accounts) await sim(account).clearFaults();
  });

  it('says a TLD no configured registrar sells is unknown, in English and in Chinese', async () => {
    await setSoldTlds(LISTS);
    expect(await say(VIEWER, '/check nobody-sells-this.dev')).toEqual([
      '❔ nobody-sells-this.dev: unknown — not sold by any configured registrar',
    ]);
    expect(await say(VIEWER, '/check nobody-sells-this.dev', 'zh')).toEqual([
      '❔ nobody-sells-this.dev：未知——没有已配置的注册商销售这个后缀',
    ]);
  });

  it('says a name no registrar could check is unknown, with why', async () => {
    await setSoldTlds(LISTS);
    for (const account of accounts) await sim(account).faults({ fault: { kind: 'garbage' }, times: 0 });
    const [line] = await say(VIEWER, '/check gateway-bot-all-fail.com');
    expect(line).toMatch(/^⚠️ gateway-bot-all-fail\.com: unknown — could not check \(.+\)$/);
    const [zh] = await say(VIEWER, '/check gateway-bot-all-fail.com', 'zh');
    expect(zh).toMatch(/^⚠️ gateway-bot-all-fail\.com：未知——查询失败（.+）$/);
  });
});
