/**
 * /renew for a service end to end through the bot's webhook, against the 35.com simulator over
 * the bridge: the seeded 智强 host (flag 1002) renewed once from a Confirm, counted at the
 * simulator as one RenewVhost (price queries are counted apart), and a second press of the same
 * Confirm does nothing. The account comes from the inventory when none is named.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { api } from './api-support';
import { sim, waitUntil } from './helpers';
import {
  botTexts,
  callbackUpdate,
  clearTelegramCalls,
  lastKeyboard,
  OPERATOR,
  postUpdate,
  say,
  telegramCalls,
} from './telegram-support';

/** The simulator's seeded 智强 host (sim/com35/logic.ts). */
const HOST = 'simzq1';

interface Com35State {
  commands: Record<string, number>;
  services: Array<{ category: string; name: string; expiredate: string }>;
}

async function renewVhostCalls(): Promise<number> {
  return (await sim('com35').state<Com35State>()).commands.RenewVhost ?? 0;
}

beforeEach(async () => {
  await sim('com35').reset();
  await clearTelegramCalls();
  await env.DB.batch([
    env.DB.prepare('DELETE FROM renewals'),
    env.DB.prepare('DELETE FROM renewal_keys'),
    env.DB.prepare('DELETE FROM services'),
  ]);
});

describe('/renew hosting at 35.com', () => {
  it('renews the 智强 host once from Confirm; a second press of the same Confirm does nothing', async () => {
    // A live read through the API records the host in the inventory: the bot finds its account there.
    expect((await api(`/v1/services/com35/hosting/${HOST}`)).status).toBe(200);
    const [summary] = await say(OPERATOR, `/renew hosting ${HOST} 1`);
    expect(summary).toMatch(new RegExp(`^Renew hosting ${HOST} for 1 year\\(s\\)\\?`));
    expect(summary).toMatch(/Registrar account: com35/);
    expect(summary).toMatch(/Current expiry: \d{4}-\d{2}-\d{2}/);
    expect(summary).toMatch(/Price: 138 CNY/);
    const keyboard = await lastKeyboard();
    const confirmation = await env.DB.prepare('SELECT domain FROM bot_confirmations WHERE token = ?')
      .bind(keyboard.token)
      .first<{ domain: string }>();
    expect(confirmation?.domain).toBe(`hosting:${HOST}`);
    const before = await renewVhostCalls();

    await clearTelegramCalls();
    expect((await postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId))).status).toBe(
      200,
    );
    await waitUntil(
      async () => (await botTexts()).some((t) => /: confirmed/.test(t)),
      'the confirmed edit',
      15_000,
    );
    const final = (await botTexts()).find((t) => /: confirmed/.test(t));
    expect(final).toMatch(
      new RegExp(`^Renewal of hosting ${HOST}: confirmed ✅\\nNew expiry: \\d{4}-\\d{2}-\\d{2}`),
    );
    expect(await renewVhostCalls()).toBe(before + 1);

    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId));
    const answers = (await telegramCalls('answerCallbackQuery')).map((a) => String(a.payload.text ?? ''));
    expect(answers).toEqual(['This confirmation was already used.']);
    expect(await telegramCalls('editMessageText')).toEqual([]);
    expect(await renewVhostCalls()).toBe(before + 1);
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals WHERE domain = ?')
      .bind(`hosting:${HOST}`)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);

    const [list] = await say(OPERATOR, '/renewals');
    expect(list).toContain(`hosting ${HOST} +1y — confirmed`);
  });

  it("answers a renewal past the ten-year ceiling with the registrar's words, before any button", async () => {
    const confirmations = async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM bot_confirmations').first<{ n: number }>())!.n;
    const before = await confirmations();
    // simcap1's expiry leaves room for one more year only (sim/com35/logic.ts).
    const [reply] = await say(OPERATOR, '/renew hosting simcap1 2 com35');
    expect(reply).toMatch(/^That request is not valid: .*ten-year/);
    expect(await confirmations()).toBe(before);
    expect(await renewVhostCalls()).toBe(0);
  });

  it('prices an exclusive-sale mail in points, where the balance in money is not used', async () => {
    const [summary] = await say(OPERATOR, '/renew mail sim-exmail.com 1 com35');
    expect(summary).toMatch(/^Renew mail sim-exmail\.com for 1 year\(s\)\?/);
    expect(summary).toMatch(/\nPrice: \d+ points\n/);
    expect(summary).toMatch(/\nBalance: not used \(paid in points\)$/);
    const keyboard = await lastKeyboard();
    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, keyboard.cancel, keyboard.messageId));
    expect(await botTexts()).toEqual(['Renewal of mail sim-exmail.com cancelled. Nothing was charged.']);
    expect((await sim('com35').state<Com35State>()).commands.RenewMail ?? 0).toBe(0);
  });
});
