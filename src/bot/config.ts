/**
 * The bot's variables, declared once, and the settings made of them. The bot is configured when
 * both the token and the webhook secret are set; neither → `/telegram/webhook` answers 404; only
 * one is a configuration error naming the other, found when the worker's config loads with every
 * other part (src/env.ts).
 */
import type { UserFromGetMe } from 'grammy/types';
import { z } from 'zod';
import { defineConfigPart } from '../core/config-declaration';

export type Role = 'viewer' | 'operator';

export interface BotConfig {
  token: string;
  webhookSecret: string;
  apiRoot: string;
  /** Telegram user id → role. Everyone else is refused. */
  users: ReadonlyMap<number, Role>;
  botInfo?: UserFromGetMe;
  confirmTtlSeconds: number;
}

const usersSchema = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const map = new Map<number, Role>();
    for (const entry of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^(\d{1,15}):(viewer|operator)$/.exec(entry);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'each entry must be <user id>:<viewer|operator>' });
        continue;
      }
      map.set(Number(m[1]), m[2] as Role);
    }
    return map;
  });

export const botSettings = defineConfigPart({
  vars: {
    TELEGRAM_BOT_TOKEN: {
      schema: z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]+$/, 'is not a bot token (<id>:<secret>)')
        .optional(),
      for: 'worker',
      secret: true,
      description: 'Bot token from @BotFather.',
    },
    TELEGRAM_WEBHOOK_SECRET: {
      schema: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 of A-Z a-z 0-9 _ -')
        .optional(),
      for: 'worker',
      secret: true,
      description: 'Secret token Telegram sends with each update (wrong → 401).',
    },
    TELEGRAM_API_ROOT: {
      schema: z.string().url().default('https://api.telegram.org'),
      for: 'worker',
      description: 'Bot API root (tests point it at a fake).',
    },
    TELEGRAM_USERS: {
      schema: usersSchema,
      for: 'worker',
      description: 'Allow-list `<user id>:<viewer|operator>`, comma separated; everyone else is refused.',
    },
    TELEGRAM_BOT_INFO: {
      schema: z
        .string()
        .optional()
        .transform((value, ctx) => {
          if (!value) return undefined;
          try {
            return JSON.parse(value) as UserFromGetMe;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'is not JSON (the result of getMe)' });
            return z.NEVER;
          }
        }),
      for: 'worker',
      description: 'Optional getMe JSON, so no isolate calls getMe.',
    },
    TELEGRAM_CONFIRM_TTL_SECONDS: {
      schema: z.coerce.number().int().min(30).max(3600).default(300),
      for: 'worker',
      description: 'How long a renewal Confirm button works.',
    },
  },
  groups: [{ what: 'the Telegram bot', needs: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'] }],
  /** Null when the bot is not configured (the group above makes it both or neither). */
  build: (v): BotConfig | null =>
    v.TELEGRAM_BOT_TOKEN && v.TELEGRAM_WEBHOOK_SECRET
      ? {
          token: v.TELEGRAM_BOT_TOKEN,
          webhookSecret: v.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: v.TELEGRAM_API_ROOT.replace(/\/$/, ''),
          users: v.TELEGRAM_USERS,
          botInfo: v.TELEGRAM_BOT_INFO,
          confirmTtlSeconds: v.TELEGRAM_CONFIRM_TTL_SECONDS,
        }
      : null,
});
