/**
 * Turns configured accounts into live Provider instances for one request or job. Every upstream
 * call of an account whose registrar has a call rule is admitted by that account's AccountGate
 * first (see account-gate.ts); an account routed through the bridge sends its calls by the relay.
 */
import type { AccountConfig, AppConfig, Env } from '../env';
import type { Provider } from '../providers/types';
import { gatedFetch } from './account-gate';
import { GatewayError } from './errors';
import type { Logger } from './log';

export interface Accounts {
  list(): AccountConfig[];
  /** The provider of one account; `not_found` when no such account is configured. */
  get(name: string): Provider;
}

export interface AccountsOptions {
  /** Told of every upstream call (account, method, host and path; never the query, which may hold a key). */
  onUpstreamCall?: (call: string) => void;
  /** The id of the request the calls are made for, passed on where a hop can log it (the bridge). */
  requestId?: string;
}

/** The methods `new Request()` spells in upper case whatever the caller wrote (Fetch standard). */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function recording(fetcher: typeof fetch, account: string, onCall?: (call: string) => void): typeof fetch {
  if (!onCall) return fetcher;
  return (input, init) => {
    // Method and URL are read from the arguments as `new Request(input, init)` would settle them,
    // without building that Request: the gated fetch builds its own, and a Request per call is
    // CPU the worker pays on every upstream call (docs/benchmark-methods.md, the request profile).
    const isRequest = input instanceof Request;
    const raw = init?.method ?? (isRequest ? input.method : 'GET');
    const method = NORMALIZED_METHODS.has(raw.toUpperCase()) ? raw.toUpperCase() : raw;
    const url = new URL(isRequest ? input.url : input);
    onCall(`${account} ${method} ${url.host}${url.pathname}`);
    return fetcher(input, init);
  };
}

export function createAccounts(
  env: Env,
  config: AppConfig,
  logger: Logger,
  opts: AccountsOptions = {},
): Accounts {
  const cache = new Map<string, Provider>();
  const byName = new Map(config.accounts.map((a) => [a.name, a]));
  return {
    list: () => config.accounts,
    get(name) {
      const cached = cache.get(name);
      if (cached) return cached;
      const account = byName.get(name);
      if (!account) {
        throw new GatewayError('not_found', {
          message: `no registrar account named ${JSON.stringify(name)} is configured`,
        });
      }
      const provider = account.definition.create(account.name, account.config, {
        fetch: recording(
          gatedFetch(env.ACCOUNT_GATE, account.name, account.definition.gate(account.config), {
            relay: account.viaBridge ? (config.relay ?? null) : undefined,
            requestId: opts.requestId,
          }),
          account.name,
          opts.onUpstreamCall,
        ),
        logger: logger.child({ account: account.name }),
        requestId: opts.requestId,
      });
      cache.set(name, provider);
      return provider;
    },
  };
}
