/**
 * The bot's settings, parsed from the worker's string vars. The bot is configured when both the
 * token and the webhook secret are set; neither → `/telegram/webhook` answers 404; only one is a
 * configuration error naming the other, found when the worker's config loads (src/env.ts).
 */
import type { UserFromGetMe } from 'grammy/types';
import { z } from 'zod';
import { ConfigError, configProblems, incompleteGroup, type SettingGroup } from '../core/config-schema';

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
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not <user id>:<viewer|operator>` });
        continue;
      }
      map.set(Number(m[1]), m[2] as Role);
    }
    return map;
  });

const schema = z.object({
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'is not a bot token (<id>:<secret>)'),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 of A-Z a-z 0-9 _ -'),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_USERS: usersSchema,
  TELEGRAM_BOT_INFO: z
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
  TELEGRAM_CONFIRM_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
});

const BOT_GROUP: SettingGroup = {
  what: 'the Telegram bot',
  needs: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
};

const cache = new WeakMap<object, BotConfig | null>();

/** The bot's config, or null when the bot is not configured. Throws ConfigError when half set. */
export function botConfig(vars: Readonly<Record<string, string | undefined>>): BotConfig | null {
  const cached = cache.get(vars);
  if (cached !== undefined) return cached;
  const incomplete = incompleteGroup(BOT_GROUP, vars);
  if (incomplete) throw new ConfigError([incomplete]);
  let config: BotConfig | null = null;
  if (vars.TELEGRAM_BOT_TOKEN) {
    const parsed = schema.safeParse(vars);
    if (!parsed.success) {
      throw new ConfigError(configProblems(parsed.error));
    }
    const p = parsed.data;
    config = {
      token: p.TELEGRAM_BOT_TOKEN,
      webhookSecret: p.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: p.TELEGRAM_API_ROOT.replace(/\/$/, ''),
      users: p.TELEGRAM_USERS,
      botInfo: p.TELEGRAM_BOT_INFO,
      confirmTtlSeconds: p.TELEGRAM_CONFIRM_TTL_SECONDS,
    };
  }
  cache.set(vars, config);
  return config;
}
