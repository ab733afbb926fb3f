/** What every request handler can reach: built once per request by the middleware in app.ts. */
import type { Accounts } from '../core/accounts';
import type { Logger } from '../core/log';
import type { AppConfig, Env } from '../env';
import type { Principal } from './auth';

export interface AppVariables {
  requestId: string;
  config: AppConfig;
  logger: Logger;
  accounts: Accounts;
  redact: (text: string) => string;
  /** Upstream calls made for this request, for the request's log line. */
  providerCalls: string[];
  /** Who is calling: set by apiAuth() on authenticated routes. */
  principal: Principal;
}

export interface AppBindings {
  Bindings: Env;
  Variables: AppVariables;
}
