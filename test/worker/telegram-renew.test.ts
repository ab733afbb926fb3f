/**
 * /renew through the bot, against a registrar simulator: summary with buttons, confirmation only
 * by the asker, once, before it expires; a double tap renews once at the registrar.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { sim } from './helpers';
import {
  botTexts,
  callbackUpdate,
  clearTelegramCalls,
  lastButtons,
  lastKeyboard,
  OPERATOR,
  OTHER_OPERATOR,
  postUpdate,
  say,
  telegramCalls,
  VIEWER,
} from './telegram-support';

const REGISTRAR = 'dynadot';

interface SimState {
  domains: Array<{ domain?: string; name?: string; expiration?: number; expires?: number }>;
  renewals: Array<{ domain: string; years: number }>;
}

/** A domain only this registrar's simulator holds (the bot refuses a name held in two accounts). */
async function someDomain(): Promise<string> {
  const elsewhere = new Set<string>();
  for (const key of Object.keys(JSON.parse(env.SIM_CONTROL) as Record<string, string>)) {
    if (key === REGISTRAR) continue;
    const other = await sim(key).state<{ domains?: Array<{ domain?: string; name?: string }> }>();
    for (const d of other.domains ?? []) elsewhere.add(String(d.domain ?? d.name).toLowerCase());
  }
  const state = await sim(REGISTRAR).state<SimState>();
  const d = state.domains.find((x) => !elsewhere.has(String(x.domain ?? x.name).toLowerCase()));
  const name = d?.domain ?? d?.name;
  if (!name)
    throw new Error(`the ${REGISTRAR} simulator has no domain: ${JSON.stringify(state).slice(0, 300)}`);
  return name;
}

async function renewalsAt(domain: string): Promise<number> {
  return (await sim(REGISTRAR).state<SimState>()).renewals.filter((r) => r.domain === domain).length;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeEach(async () => {
  await sim(REGISTRAR).reset();
  await clearTelegramCalls();
  // Each test starts with no renewal history (the cooldown looks at confirmed renewals).
  await env.DB.batch([env.DB.prepare('DELETE FROM renewals'), env.DB.prepare('DELETE FROM renewal_keys')]);
});

/** The buttons the bot put on the message it last edited. */
async function lastEditedKeyboard(): Promise<Array<{ text: string; callback_data: string }>> {
  const last = (await telegramCalls('editMessageText')).filter((c) => c.payload.reply_markup).at(-1);
  if (!last) return [];
  const markup = (
    typeof last.payload.reply_markup === 'string'
      ? JSON.parse(last.payload.reply_markup)
      : last.payload.reply_markup
  ) as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
  return markup.inline_keyboard.flat();
}

describe('/renew in Telegram', () => {
  it('shows a summary, renews once on a double tap, and edits the message with the result', async () => {
    const domain = await someDomain();
    const [summary] = await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`);
    expect(summary).toMatch(new RegExp(`^Renew ${domain.replace('.', '\\.')} for 1 year\\(s\\)\\?`));
    expect(summary).toMatch(/Current expiry: \d{4}-\d{2}-\d{2}/);
    expect(summary).toMatch(/Balance: /);
    const keyboard = await lastKeyboard();

    await clearTelegramCalls();
    const taps = await Promise.all([
      postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId)),
      postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId)),
    ]);
    expect(taps.map((r) => r.status)).toEqual([200, 200]);
    const answers = await telegramCalls('answerCallbackQuery');
    expect(answers.some((a) => String(a.payload.text ?? '').includes('already used'))).toBe(true);

    const final = await until('the confirmed edit', async () =>
      (await botTexts()).find((t) => /confirmed/.test(t)),
    );
    expect(final).toMatch(new RegExp(`Renewal of ${domain.replace('.', '\\.')}: confirmed`));
    expect(final).toMatch(/New expiry: \d{4}-\d{2}-\d{2}/);
    expect(await renewalsAt(domain)).toBe(1);

    const [list] = await say(OPERATOR, '/renewals');
    expect(list).toContain(`${domain} +1y — confirmed`);
  });

  it('refuses a confirmation by anyone but the asker, and by a viewer', async () => {
    const domain = await someDomain();
    await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`);
    const keyboard = await lastKeyboard();
    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OTHER_OPERATOR, keyboard.confirm, keyboard.messageId, OPERATOR.id));
    await postUpdate(callbackUpdate(VIEWER, keyboard.confirm, keyboard.messageId, OPERATOR.id));
    const answers = (await telegramCalls('answerCallbackQuery')).map((a) => String(a.payload.text));
    expect(answers).toEqual([
      'Only the person who asked can confirm this renewal.',
      'Only operators can renew domains. Your role is viewer.',
    ]);
    expect(await telegramCalls('editMessageText')).toEqual([]);
    expect(await renewalsAt(domain)).toBe(0);
  });

  it('refuses an expired confirmation without renewing', async () => {
    const domain = await someDomain();
    await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`, 'zh');
    const keyboard = await lastKeyboard();
    await env.DB.prepare('UPDATE bot_confirmations SET expires_at = ? WHERE token = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), keyboard.token)
      .run();
    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId, OPERATOR.id, 'zh'));
    const [answer] = await telegramCalls('answerCallbackQuery');
    expect(String(answer!.payload.text)).toBe('确认已过期，请重新发送 /renew。');
    expect(await renewalsAt(domain)).toBe(0);
  });

  it('cancels without renewing', async () => {
    const domain = await someDomain();
    await say(OPERATOR, `/renew ${domain} 2 ${REGISTRAR}`);
    const keyboard = await lastKeyboard();
    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, keyboard.cancel, keyboard.messageId));
    expect(await botTexts()).toEqual([`Renewal of ${domain} cancelled. Nothing was charged.`]);
    expect(await renewalsAt(domain)).toBe(0);
  });

  it('requires the years (a money command has no default) and names what it did not understand', async () => {
    const domain = await someDomain();
    const confirmations = async () =>
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM bot_confirmations').first<{ n: number }>())?.n;
    const before = await confirmations();
    expect(await say(OPERATOR, `/renew ${domain}`)).toEqual([
      'Tell me what to renew and for how many years, e.g. /renew example.com 1 or /renew hosting weipeng1 1 (add the account name if several hold it)',
    ]);
    expect(await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR} please`)).toEqual([
      'I did not understand "please": /renew takes a domain, the years and, if several accounts hold it, the account.',
    ]);
    expect(await confirmations()).toBe(before);
  });

  it('asks a second confirmation for a domain renewed within the cooldown, and renews only after it', async () => {
    const domain = await someDomain();
    await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`);
    const first = await lastKeyboard();
    await postUpdate(callbackUpdate(OPERATOR, first.confirm, first.messageId));
    await until('the first renewal', async () => ((await renewalsAt(domain)) === 1 ? true : undefined));
    await until('the first renewal confirmed', async () =>
      (await botTexts()).find((t) => /: confirmed/.test(t)),
    );

    // The bot reads the new expiry for its summary; confirming it is not an explicit pin.
    await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`);
    const second = await lastKeyboard();
    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, second.confirm, second.messageId));
    const question = (await botTexts()).at(-1);
    expect(question).toMatch(
      new RegExp(`^${domain.replace('.', '\\.')} was already renewed on \\d{4}-\\d{2}-\\d{2}`),
    );
    expect(question).toContain('Nothing was charged. Renew it again for 1 more year(s)?');
    const buttons = await lastEditedKeyboard();
    expect(buttons.map((b) => b.text)).toEqual(['Renew again', 'Cancel']);
    expect(await renewalsAt(domain)).toBe(1);
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals WHERE domain = ?')
      .bind(domain)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);

    await postUpdate(callbackUpdate(OPERATOR, buttons[0]!.callback_data, second.messageId));
    await until('the second renewal', async () => ((await renewalsAt(domain)) === 2 ? true : undefined));
  });

  it('edits the result into a confirmation that joins a renewal already final', async () => {
    const domain = await someDomain();
    await say(OPERATOR, `/renew ${domain} 1 ${REGISTRAR}`);
    const keyboard = await lastKeyboard();
    const token = keyboard.confirm.split(':').at(-1);
    const asked = await env.DB.prepare('SELECT expected_expiry FROM bot_confirmations WHERE token = ?')
      .bind(token)
      .first<{ expected_expiry: string }>();
    // Meanwhile the same renewal, asked through another door, ended waiting for an operator: final,
    // yet unsettled, so this confirmation joins it instead of starting another.
    const id = `rnw_joined_${Date.now()}`;
    const now = new Date().toISOString();
    await env.DB.prepare(
      `INSERT INTO renewals (id, domain, account, provider, expected_expiry, years, request_hash, state, reason,
         source, actor, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, 'h', 'needs_attention', 'the expiry did not move', 'api', 'ops', ?, ?)`,
    )
      .bind(id, domain, REGISTRAR, REGISTRAR, asked!.expected_expiry.slice(0, 10), now, now)
      .run();

    await clearTelegramCalls();
    await postUpdate(callbackUpdate(OPERATOR, keyboard.confirm, keyboard.messageId));
    const result = await until('the joined renewal result', async () =>
      (await telegramCalls('editMessageText')).find((c) => String(c.payload.text).includes('did not move')),
    );
    expect(result.payload).toMatchObject({ message_id: keyboard.messageId });
    expect(String(result.payload.text)).toMatch(
      new RegExp(`^Renewal of ${domain.replace('.', '\\.')}: needs attention`),
    );
    const rows = await env.DB.prepare('SELECT id FROM renewals WHERE domain = ?')
      .bind(domain)
      .all<{ id: string }>();
    expect(rows.results.map((r) => r.id)).toEqual([id]);
    expect(await renewalsAt(domain)).toBe(0);
  });

  it('asks which account when several registrars hold the name', async () => {
    // The 35.com and Dynadot simulators both seed expiring-soon.com.
    expect(await say(OPERATOR, '/renew expiring-soon.com 1')).toEqual([
      expect.stringMatching(/^expiring-soon\.com is held by several accounts \(.*dynadot.*\)\. Which one\?$/),
    ]);
    const buttons = (await lastButtons()).map((b) => b.text);
    expect(buttons).toContain('dynadot');
    expect(buttons).toContain('com35');
  });

  it('says in one sentence when no account holds the domain', async () => {
    expect(await say(OPERATOR, '/renew nobody-holds-this-name.com 1')).toEqual([
      // With one account the registrar itself answers; with several, the engine's own look-up does.
      expect.stringMatching(/^Not found: .*(nobody-holds-this-name\.com|not in this \w+ account)/),
    ]);
  });
});

describe('queries against the simulators', () => {
  it('/info shows expiry, status, nameservers and the account', async () => {
    const domain = await someDomain();
    const [reply] = await say(VIEWER, `/info ${domain} ${REGISTRAR}`);
    expect(reply).toMatch(
      new RegExp(
        `^${domain.replace('.', '\\.')}\\nRegistrar account: ${REGISTRAR}\\nExpires: \\d{4}-\\d{2}-\\d{2}`,
      ),
    );
    expect(reply).toMatch(/Nameservers: /);
  });

  it('/check answers each name, available or not', async () => {
    // A name registered elsewhere at every simulator: whichever account the routing picks for .com
    // (docs/api.md, "Which account answers") says it is taken. The simulators keep no shared
    // registry, so a name one of them holds is free at the others.
    const domain = 'google.com';
    const [reply] = await say(VIEWER, `/check ${domain} surely-free-name-xyz.com`);
    expect(reply).toContain(`❌ ${domain} is not available`);
    expect(reply).toContain('✅ surely-free-name-xyz.com is available');
  });

  it('/balance lists every account', async () => {
    const [reply] = await say(VIEWER, '/balance', 'zh');
    expect(reply).toMatch(/^余额：/);
    expect(reply).toMatch(new RegExp(`• ${REGISTRAR}：\\d+(\\.\\d+)? [A-Z]{3}`));
  });

  it('/price compares renewal prices, cheapest first', async () => {
    const [reply] = await say(VIEWER, '/price com');
    expect(reply).toMatch(/^Renewal prices for \.com, cheapest first:/);
    expect(reply).toMatch(new RegExp(`• ${REGISTRAR}: \\d+(\\.\\d+)? [A-Z]{3}`));
  });
});
