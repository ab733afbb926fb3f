/**
 * Services in Telegram, through the bot's webhook: /services and /expiring read the service
 * inventory (seeded through its owner, core/services.ts: D1 state, as a sync leaves it), and
 * /renew for a service refuses what it cannot do with a sentence — a certificate (needs a CSR), an
 * unknown kind, a service no inventory row names without an account, bad years — or asks which
 * account when several hold it. Results and reminders name a service as a person does.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { telegramConfirmationChannel, telegramReminder } from '../../src/bot/notify';
import { silentLogger } from '../../src/core/log';
import type { ServiceInfo } from '../../src/core/model';
import type { Renewal } from '../../src/core/renewals/types';
import { upsertService } from '../../src/core/services';
import type { Env } from '../../src/env';
import { clearTelegramCalls, lastButtons, OPERATOR, say, telegramCalls, VIEWER } from './telegram-support';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function service(p: Partial<ServiceInfo> & Pick<ServiceInfo, 'kind' | 'id'>): ServiceInfo {
  return { name: p.id, status: 'active', rawStatus: 'ok', ref: {}, ...p };
}

/** Seeded as a sync would record them: two accounts, every kind, money and points. */
async function seedServices(): Promise<void> {
  const now = new Date().toISOString();
  const db = env.DB;
  await db.batch([
    upsertService(
      db,
      'com35',
      'com35',
      service({ kind: 'hosting', id: 'web-soon', expiresAt: inDays(5) }),
      now,
      {
        amount: '138',
        currency: 'CNY',
      },
    ),
    upsertService(
      db,
      'com35',
      'com35',
      service({ kind: 'mail', id: 'mail.example.cn', name: 'mail.example.cn', expiresAt: inDays(20) }),
      now,
      { amount: '300', currency: 'POINTS' },
    ),
    upsertService(
      db,
      'mrdomain',
      'mrdomain',
      service({ kind: 'hosting', id: 'shared1', name: 'Shop hosting', expiresAt: inDays(200) }),
      now,
    ),
    upsertService(
      db,
      'mrdomain',
      'mrdomain',
      service({
        kind: 'certificate',
        id: '4711',
        name: 'shop.example',
        status: 'pending',
        rawStatus: 'process',
      }),
      now,
    ),
    // The same host name at two accounts: /renew must ask which one.
    upsertService(
      db,
      'com35',
      'com35',
      service({ kind: 'hosting', id: 'twin', expiresAt: inDays(300) }),
      now,
    ),
    upsertService(
      db,
      'mrdomain',
      'mrdomain',
      service({ kind: 'hosting', id: 'twin', expiresAt: inDays(310) }),
      now,
    ),
  ]);
}

async function confirmations(): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM bot_confirmations').first<{ n: number }>())!.n;
}

beforeEach(async () => {
  await env.DB.batch([env.DB.prepare('DELETE FROM services'), env.DB.prepare('DELETE FROM domains')]);
  await seedServices();
  await clearTelegramCalls();
});

describe('/services', () => {
  it('lists the inventory soonest expiry first, with status, price (points as points) and "being issued"', async () => {
    const [reply] = await say(VIEWER, '/services');
    const day = (n: number) => inDays(n).slice(0, 10);
    expect(reply!.split('\n')).toEqual([
      '6 service(s), soonest expiry first:',
      `• hosting web-soon — ${day(5)} (com35) — active — 138 CNY/year`,
      `• mail mail.example.cn — ${day(20)} (com35) — active — 300 points/year`,
      `• hosting shared1 (Shop hosting) — ${day(200)} (mrdomain) — active`,
      `• hosting twin — ${day(300)} (com35) — active`,
      `• hosting twin — ${day(310)} (mrdomain) — active`,
      '• certificate 4711 (shop.example) — being issued (mrdomain) — pending',
    ]);
  });

  it('filters by kind and by account, in either language', async () => {
    const [hosting] = await say(VIEWER, '/services hosting mrdomain');
    expect(hosting!.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^• hosting shared1 \(Shop hosting\) — /),
      expect.stringMatching(/^• hosting twin — .* \(mrdomain\)/),
    ]);
    const [zh] = await say(VIEWER, '/services mail', 'zh');
    expect(zh).toMatch(
      /^1 个服务，按到期日排序：\n• mail mail\.example\.cn — .*（com35）— 正常 — 300 积分\/年$/,
    );
  });

  it('answers a word that is neither a kind nor an account with the accepted kinds', async () => {
    const [reply] = await say(VIEWER, '/services vps');
    expect(reply).toMatch(
      /^I did not understand "vps": \/services takes a kind \(hosting, mail, certificate\) and\/or an account \(.*com35.*\)\.$/,
    );
    expect(await say(VIEWER, '/services certificate com35')).toEqual([
      'No service in the inventory matches.',
    ]);
  });
});

describe('/expiring with services', () => {
  it('lists domains and services of the window together, by expiry', async () => {
    const seen = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO domains (domain, account, provider, expires_at, status, first_seen, last_seen)
       VALUES ('soon-domain.com', 'dynadot', 'dynadot', ?, '["active"]', ?, ?)`,
    )
      .bind(inDays(10), seen, seen)
      .run();
    const [reply] = await say(VIEWER, '/expiring 30');
    expect(reply!.split('\n')).toEqual([
      '1 domain(s) and 2 service(s) expire within 30 days:',
      expect.stringMatching(/^• hosting web-soon — /),
      expect.stringMatching(/^• soon-domain\.com — /),
      expect.stringMatching(/^• mail mail\.example\.cn — /),
    ]);
    expect(await say(VIEWER, '/expiring 1')).toEqual(['No domain or service expires within 1 days.']);
  });
});

describe('/renew for a service: refusals before any confirmation', () => {
  it('refuses a certificate with the sentence that sends it to the API or the webhook', async () => {
    const before = await confirmations();
    const [reply] = await say(OPERATOR, '/renew certificate 4711 1 mrdomain');
    expect(reply).toMatch(/^Renewing certificate 4711 needs a certificate signing request \(CSR\)/);
    expect(reply).toContain('POST /v1/services/{account}/certificate/4711/renew');
    expect(reply).toContain('service.renew');
    expect(await confirmations()).toBe(before);
  });

  it('refuses an unknown kind, naming the kinds it renews', async () => {
    expect(await say(OPERATOR, '/renew vps web1 1 com35')).toEqual([
      '"vps" is neither a domain name nor a kind of service I can renew (hosting, mail).',
    ]);
    // `domain` is a kind too: the usual domain flow, here told the name is not valid.
    expect((await say(OPERATOR, '/renew domain bad..name 1'))[0]).toMatch(
      /^"bad\.\.name" is not a valid domain name/,
    );
    // A bare word followed by the years is still a domain, told what its name lacks.
    expect((await say(OPERATOR, '/renew example 1'))[0]).toMatch(/^"example" is not a valid domain name/);
  });

  it('asks for the account when no inventory row names the service', async () => {
    expect(await say(OPERATOR, '/renew hosting ghost 1')).toEqual([
      'No account in the inventory holds hosting ghost. Tell me which account, e.g. /renew hosting ghost 1 <account>.',
    ]);
  });

  it('refuses bad years, extra words and a bad id with a sentence, and a viewer', async () => {
    const before = await confirmations();
    expect(await say(OPERATOR, '/renew hosting web-soon 0')).toEqual([
      '"0" is not a number of years between 1 and 10.',
    ]);
    expect(await say(OPERATOR, '/renew hosting web-soon 1 com35 please')).toEqual([
      'I did not understand "please": /renew for a service takes its kind, its id, the years and, if needed, the account.',
    ]);
    expect((await say(OPERATOR, '/renew mail bad/id 1 com35'))[0]).toMatch(
      /^"bad\/id" is not a service id: /,
    );
    expect(await say(VIEWER, '/renew hosting web-soon 1')).toEqual([
      'Only operators can renew domains. Your role is viewer.',
    ]);
    expect(await say(OPERATOR, '/renew hosting')).toEqual([
      'Tell me what to renew and for how many years, e.g. /renew example.com 1 or /renew hosting weipeng1 1 (add the account name if several hold it)',
    ]);
    expect(await confirmations()).toBe(before);
  });

  it('says plainly when the named account does not renew that kind', async () => {
    const [reply] = await say(OPERATOR, '/renew hosting web-soon 1 dynadot');
    expect(reply).toBe(
      'This registrar does not offer that: account dynadot (dynadot) does not renew hosting web-soon',
    );
  });

  it('asks which account when several inventory rows hold the service', async () => {
    const [question] = await say(OPERATOR, '/renew hosting twin 1');
    expect(question).toBe('hosting twin is held by several accounts (com35, mrdomain). Which one?');
    expect((await lastButtons()).map((b) => b.text)).toEqual(['com35', 'mrdomain']);
    const rows = await env.DB.prepare(
      "SELECT domain, account, years FROM bot_account_choices WHERE domain = 'hosting:twin' ORDER BY account",
    ).all<{ domain: string; account: string; years: number }>();
    expect(rows.results).toEqual([
      { domain: 'hosting:twin', account: 'com35', years: 1 },
      { domain: 'hosting:twin', account: 'mrdomain', years: 1 },
    ]);
  });
});

describe('service results and reminders read as a person says them', () => {
  it('edits "Renewal of hosting web-soon: confirmed" into the confirmation of a service', async () => {
    const renewalId = `rnw-svc-${Date.now()}`;
    const now = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO bot_confirmations (token, user_id, chat_id, message_id, language, domain, account, years,
         expected_expiry, created_at, expires_at, used_at, outcome)
       VALUES (?, ?, ?, 78, 'en', 'hosting:web-soon', 'com35', 1, '2027-01-01', ?, ?, ?, 'confirmed')`,
    )
      .bind(`tok-${renewalId}`, String(OPERATOR.id), String(OPERATOR.id), now, now, now)
      .run();
    const renewal = {
      id: renewalId,
      domain: 'hosting:web-soon',
      kind: 'hosting',
      item: 'web-soon',
      state: 'confirmed',
      newExpiry: '2028-01-01T00:00:00.000Z',
    } as Renewal;
    const subscriber = { renewalId, channel: 'telegram', key: `tok-${renewalId}` };
    expect(
      await telegramConfirmationChannel.deliver(env as unknown as Env, renewal, subscriber, silentLogger),
    ).toBe(true);
    const [edit] = await telegramCalls('editMessageText');
    expect(edit!.payload.text).toBe('Renewal of hosting web-soon: confirmed ✅\nNew expiry: 2028-01-01');
  });

  it('sends a service reminder naming the kind and id', async () => {
    await say(VIEWER, '/subscribe');
    await clearTelegramCalls();
    try {
      const sent = await telegramReminder(
        env as unknown as Env,
        {
          domain: 'mail:mail.example.cn',
          kind: 'mail',
          id: 'mail.example.cn',
          account: 'com35',
          provider: 'com35',
          expiresAt: '2027-03-01T00:00:00.000Z',
          daysLeft: 7,
          windowDays: 7,
        },
        silentLogger,
      );
      expect(sent).toBe(true);
      const texts = (await telegramCalls('sendMessage')).map((c) => String(c.payload.text));
      expect(texts).toEqual(['⏰ mail mail.example.cn expires in 7 day(s), on 2027-03-01.']);
    } finally {
      await say(VIEWER, '/unsubscribe');
    }
  });
});
