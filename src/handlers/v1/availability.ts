/**
 * `GET /v1/availability?domain=…&domain=…[&account=K]` and `POST /v1/availability` (up to 1,000
 * names). One bad name gets its own `reason`; with `Accept: application/x-ndjson` each result is
 * written as one JSON line as soon as it is known.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { soldTlds } from '../../core/account-tlds';
import {
  AVAILABILITY_REASONS,
  checkAvailability,
  MAX_AVAILABILITY_NAMES,
  tooManyNamesReason,
} from '../../core/availability';
import type { AppBindings } from '../context';
import { AccountName, AccountQueryParam, bodyErrors, Money, upstreamErrors } from './common';
import { newRoutes, route } from './scoped-routes';

const NDJSON = 'application/x-ndjson';

const AvailabilityResultSchema = z
  .object({
    domain: z
      .string()
      .openapi({ description: 'Normalized name (or the input, when it is not a valid name)' }),
    available: z.boolean().nullable().openapi({
      description:
        'true: can be registered; false: taken (or reserved, pending…, see `detail`); null: unknown — no account could say, and `reason` says why. Never false for a name nobody could check',
    }),
    premium: z.boolean(),
    price: Money.optional().openapi({
      description: 'One-year registration price, when the registrar gave it',
    }),
    account: z.string().optional().openapi({
      description:
        'The account that answered yes or no: the first account, in the documented preference order, that sells the TLD',
    }),
    provider: z.string().optional().openapi({
      description: 'The registrar of `account` (several accounts may share one)',
      example: 'dynadot',
    }),
    reason: z.enum(AVAILABILITY_REASONS).optional().openapi({
      description:
        'Set exactly when `available` is null. `invalid_name`: not a domain name (no registrar was asked); `unsupported_tld`: no configured registrar account sells this TLD; `check_failed`: the accounts that sell it failed for this name',
    }),
    detail: z.string().optional().openapi({
      description: "For people: the registrar's words on a taken name, or why no account could say",
    }),
  })
  .openapi('AvailabilityResult');

const AvailabilityReply = z
  .object({ results: z.array(AvailabilityResultSchema) })
  .openapi('AvailabilityReply');

const names = z
  .array(z.string().max(300))
  .min(1)
  .max(MAX_AVAILABILITY_NAMES, {
    error: (issue) => tooManyNamesReason(Array.isArray(issue.input) ? issue.input.length : Number.NaN),
  });

const responses = {
  200: {
    description: `One result per distinct name: JSON in input order, or NDJSON (one result per line, as they arrive) when the request accepts ${NDJSON}`,
    content: {
      'application/json': { schema: AvailabilityReply },
      [NDJSON]: { schema: AvailabilityResultSchema },
    },
  },
  ...upstreamErrors,
};

async function reply(
  c: Context<AppBindings>,
  domains: string[],
  account: string | undefined,
  withPrices: boolean,
) {
  const accounts = c.get('accounts');
  // Request-level problems (unknown account, the TLD lists unreadable) surface as a problem before
  // any streaming starts.
  if (account !== undefined) accounts.get(account);
  const tlds = await soldTlds(c.env.DB);
  const opts = { tlds, account, withPrices, signal: c.req.raw.signal, logger: c.get('logger') };
  if ((c.req.header('accept') ?? '').includes(NDJSON)) {
    c.header('content-type', NDJSON);
    c.header('cache-control', 'no-store');
    return stream(c, async (out) => {
      await checkAvailability(accounts, domains, {
        ...opts,
        onResult: async (r) => {
          await out.write(`${JSON.stringify(r)}\n`);
        },
      });
    });
  }
  const results = await checkAvailability(accounts, domains, opts);
  return c.json({ results }, 200);
}

export function availabilityRoutes() {
  const app = newRoutes();

  app.openapi(
    route({
      method: 'get',
      path: '/availability',
      summary: 'Check whether names can be registered',
      tags: ['availability'],
      scope: 'read',
      request: {
        query: z.object({
          domain: z
            .preprocess((v) => (typeof v === 'string' ? [v] : v), names)
            .openapi({
              param: { name: 'domain', in: 'query', style: 'form', explode: true },
              description: `Repeat for each name (at most ${MAX_AVAILABILITY_NAMES})`,
              example: ['example.com', 'example.net'],
            }),
          account: AccountQueryParam,
          prices: z
            .enum(['true', 'false'])
            .default('true')
            .openapi({ description: 'Ask for prices where the registrar gives them in the same call' }),
        }),
      },
      responses,
    }),
    // biome-ignore lint/suspicious/noExplicitAny: the NDJSON branch returns a raw streaming Response
    async (c): Promise<any> => {
      const q = c.req.valid('query');
      return reply(c, q.domain, q.account, q.prices === 'true');
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/availability',
      summary: `Check up to ${MAX_AVAILABILITY_NAMES} names given as a JSON list`,
      tags: ['availability'],
      scope: 'read',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .union([
                  names,
                  z.object({
                    domains: names,
                    account: AccountName.optional(),
                    prices: z.boolean().default(true),
                  }),
                ])
                .openapi('AvailabilityRequest', {
                  description: 'A JSON array of names, or an object with `domains` and options',
                  example: { domains: ['example.com', 'example.net'] },
                }),
            },
          },
        },
        query: z.object({ account: AccountQueryParam }),
      },
      responses: { ...responses, ...bodyErrors },
    }),
    // biome-ignore lint/suspicious/noExplicitAny: the NDJSON branch returns a raw streaming Response
    async (c): Promise<any> => {
      const body = c.req.valid('json');
      const query = c.req.valid('query');
      if (Array.isArray(body)) return reply(c, body, query.account, true);
      return reply(c, body.domains, body.account ?? query.account, body.prices);
    },
  );

  return app;
}
