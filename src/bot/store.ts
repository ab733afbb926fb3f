/**
 * The bot's own D1 state: renewal confirmations and "which account?" buttons (one use, one user,
 * short-lived) and the chats subscribed to reminders and alerts. A confirmed renewal is followed through the engine's renewal
 * subscribers: the confirmation's token is the subscriber's key on the `telegram` channel, and its
 * row names the chat and message the result is edited into.
 */
import type { RenewalSubscriber } from '../core/renewals';
import type { Lang } from './i18n';

/** The renewal subscribers' channel of the bot (registered in src/index.ts). */
export const TELEGRAM_CHANNEL = 'telegram';

/** The subscriber of a confirmed renewal: the confirmation message, by its token. */
export function confirmationSubscriber(token: string): RenewalSubscriber {
  return { channel: TELEGRAM_CHANNEL, key: token };
}

export interface Confirmation {
  token: string;
  userId: string;
  chatId: string;
  messageId?: number;
  language: Lang;
  domain: string;
  account: string;
  years: number;
  expectedExpiry: string;
  /** The second confirmation after `recently_renewed`: renew within the cooldown. */
  force: boolean;
  expiresAt: string;
  usedAt?: string;
  outcome?: 'confirmed' | 'cancelled';
}

interface Row {
  token: string;
  user_id: string;
  chat_id: string;
  message_id: number | null;
  language: string;
  domain: string;
  account: string;
  years: number;
  expected_expiry: string;
  force: number;
  expires_at: string;
  used_at: string | null;
  outcome: string | null;
}

function toConfirmation(r: Row): Confirmation {
  return {
    token: r.token,
    userId: r.user_id,
    chatId: r.chat_id,
    messageId: r.message_id ?? undefined,
    language: r.language === 'zh' ? 'zh' : 'en',
    domain: r.domain,
    account: r.account,
    years: r.years,
    expectedExpiry: r.expected_expiry,
    force: r.force === 1,
    expiresAt: r.expires_at,
    usedAt: r.used_at ?? undefined,
    outcome: (r.outcome as Confirmation['outcome']) ?? undefined,
  };
}

export function newToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function saveConfirmation(
  db: D1Database,
  c: Omit<Confirmation, 'usedAt' | 'outcome' | 'messageId'>,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO bot_confirmations (token, user_id, chat_id, language, domain, account, years, expected_expiry, force, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      c.token,
      c.userId,
      c.chatId,
      c.language,
      c.domain,
      c.account,
      c.years,
      c.expectedExpiry,
      c.force ? 1 : 0,
      new Date().toISOString(),
      c.expiresAt,
    )
    .run();
}

export async function setConfirmationMessage(
  db: D1Database,
  token: string,
  messageId: number,
): Promise<void> {
  await db
    .prepare('UPDATE bot_confirmations SET message_id = ? WHERE token = ?')
    .bind(messageId, token)
    .run();
}

export async function getConfirmation(db: D1Database, token: string): Promise<Confirmation | undefined> {
  const row = await db.prepare('SELECT * FROM bot_confirmations WHERE token = ?').bind(token).first<Row>();
  return row ? toConfirmation(row) : undefined;
}

/** Why a one-use button could not be claimed. */
export type ClaimRefusal = { ok: false; reason: 'unknown' | 'not_yours' | 'expired' | 'used' };

export type ClaimResult = { ok: true; confirmation: Confirmation } | ClaimRefusal;

/** Why the compare-and-set found nothing to claim, from the row as it is now. */
function refusal(current: { user_id: string; used_at: string | null } | null, userId: string): ClaimRefusal {
  if (!current) return { ok: false, reason: 'unknown' };
  if (current.user_id !== userId) return { ok: false, reason: 'not_yours' };
  if (current.used_at) return { ok: false, reason: 'used' };
  return { ok: false, reason: 'expired' };
}

/**
 * Use a confirmation once: compare-and-set on `used_at`, so two taps (or two Telegram
 * redeliveries) racing each other cannot both win.
 */
export async function claimConfirmation(
  db: D1Database,
  token: string,
  userId: string,
  outcome: 'confirmed' | 'cancelled',
  now = new Date(),
): Promise<ClaimResult> {
  const row = await db
    .prepare(
      `UPDATE bot_confirmations SET used_at = ?, outcome = ?
       WHERE token = ? AND user_id = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
    )
    .bind(now.toISOString(), outcome, token, userId, now.toISOString())
    .first<Row>();
  if (row) return { ok: true, confirmation: toConfirmation(row) };
  const current = await db
    .prepare('SELECT * FROM bot_confirmations WHERE token = ?')
    .bind(token)
    .first<Row>();
  return refusal(current, userId);
}

/** The commands that ask which account when several hold a domain. */
export type ChoosingCommand = 'renew' | 'info';

/** One "which account?" button: the command to go on with, for this account. */
export interface AccountChoice {
  token: string;
  userId: string;
  chatId: string;
  command: ChoosingCommand;
  domain: string;
  account: string;
  /** The years of a /renew. */
  years?: number;
  expiresAt: string;
}

/** One row per button of a "which account?" question, in one batch. */
export async function saveAccountChoices(db: D1Database, choices: AccountChoice[]): Promise<void> {
  const now = new Date().toISOString();
  await db.batch(
    choices.map((c) =>
      db
        .prepare(
          `INSERT INTO bot_account_choices (token, user_id, chat_id, command, domain, account, years, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(c.token, c.userId, c.chatId, c.command, c.domain, c.account, c.years ?? null, now, c.expiresAt),
    ),
  );
}

export type ChoiceClaim = { ok: true; choice: AccountChoice } | ClaimRefusal;

/**
 * Use a "which account?" button once, for its command only (a renew button is no info button):
 * compare-and-set on `used_at`, as for a confirmation.
 */
export async function claimAccountChoice(
  db: D1Database,
  token: string,
  command: ChoosingCommand,
  userId: string,
  now = new Date(),
): Promise<ChoiceClaim> {
  type ChoiceRow = {
    token: string;
    user_id: string;
    chat_id: string;
    command: ChoosingCommand;
    domain: string;
    account: string;
    years: number | null;
    expires_at: string;
    used_at: string | null;
  };
  const toChoice = (r: ChoiceRow): AccountChoice => ({
    token: r.token,
    userId: r.user_id,
    chatId: r.chat_id,
    command: r.command,
    domain: r.domain,
    account: r.account,
    ...(r.years !== null ? { years: r.years } : {}),
    expiresAt: r.expires_at,
  });
  const row = await db
    .prepare(
      `UPDATE bot_account_choices SET used_at = ?
       WHERE token = ? AND command = ? AND user_id = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
    )
    .bind(now.toISOString(), token, command, userId, now.toISOString())
    .first<ChoiceRow>();
  if (row) return { ok: true, choice: toChoice(row) };
  const current = await db
    .prepare('SELECT * FROM bot_account_choices WHERE token = ? AND command = ?')
    .bind(token, command)
    .first<ChoiceRow>();
  return refusal(current, userId);
}

export type SubscriptionKind = 'reminders' | 'balance';

export async function subscribe(
  db: D1Database,
  chatId: string,
  userId: string,
  language: Lang,
): Promise<void> {
  const now = new Date().toISOString();
  await db.batch(
    (['reminders', 'balance'] as const).map((kind) =>
      db
        .prepare(
          `INSERT INTO telegram_subscriptions (chat_id, user_id, language, kind, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (chat_id, kind) DO UPDATE SET language = excluded.language, user_id = excluded.user_id`,
        )
        .bind(chatId, userId, language, kind, now),
    ),
  );
}

export async function unsubscribe(db: D1Database, chatId: string): Promise<void> {
  await db.prepare('DELETE FROM telegram_subscriptions WHERE chat_id = ?').bind(chatId).run();
}

/** The chats subscribed to `kind`, each with the user who subscribed it (checked at send time). */
export async function subscribers(
  db: D1Database,
  kind: SubscriptionKind,
): Promise<Array<{ chatId: string; userId: string; language: Lang }>> {
  const { results } = await db
    .prepare('SELECT chat_id, user_id, language FROM telegram_subscriptions WHERE kind = ?')
    .bind(kind)
    .all<{ chat_id: string; user_id: string; language: string }>();
  return results.map((r) => ({
    chatId: r.chat_id,
    userId: r.user_id,
    language: r.language === 'zh' ? 'zh' : 'en',
  }));
}
