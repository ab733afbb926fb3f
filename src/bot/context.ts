/** The grammY context of this bot: the user's language, role and the gateway's services. */
import type { Context } from 'grammy';
import type { Accounts } from '../core/accounts';
import type { Logger } from '../core/log';
import type { Env } from '../env';
import type { BotConfig, Role } from './config';
import type { Lang, Messages } from './i18n';

export interface BotDeps {
  env: Env;
  accounts: Accounts;
  logger: Logger;
  config: BotConfig;
}

export interface BotFlavor {
  lang: Lang;
  t: Messages;
  /** Set by the access middleware for allowed users; strangers never reach a feature. */
  role: Role;
  deps: BotDeps;
}

export type BotContext = Context & BotFlavor;
