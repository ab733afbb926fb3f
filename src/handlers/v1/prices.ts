/** `GET /v1/prices?tld=com[&operation=renew][&years=1]`: every account's price, cheapest first. */
import { z } from '@hono/zod-openapi';
import { normalizeTld } from '../../core/domain-name';
import { comparePrices } from '../../core/prices';
import { AccountQueryParam, Money, upstreamErrors } from './common';
import { newRoutes, route } from './scoped-routes';

const OPERATIONS = ['register', 'renew', 'transfer', 'restore'] as const;

/** A TLD (`com`, `co.uk`, `.中国`), normalized through the domain-name normalizer. */
const Tld = z
  .string()
  .min(1)
  .max(253)
  .transform((value, ctx) => {
    const result = normalizeTld(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: `not a TLD: ${result.reason}` });
      return z.NEVER;
    }
    return result.name;
  });

const PriceQuoteSchema = z
  .object({
    account: z.string(),
    provider: z.string(),
    tld: z.string(),
    operation: z.enum(OPERATIONS),
    years: z.number().int(),
    price: Money,
    converted: Money.optional().openapi({ description: 'In the base currency, when rates are configured' }),
  })
  .openapi('PriceQuote');

const PriceComparisonSchema = z
  .object({
    tld: z.string(),
    operation: z.enum(OPERATIONS),
    years: z.number().int(),
    prices: z.array(PriceQuoteSchema),
    comparable: z.boolean().openapi({
      description: 'True when the order is cheapest-first across all quotes (one currency, or all converted)',
    }),
    baseCurrency: z.string().optional(),
    unavailable: z.array(
      z.object({ account: z.string(), provider: z.string(), kind: z.string(), message: z.string() }),
    ),
  })
  .openapi('PriceComparison');

export function pricesRoutes() {
  const app = newRoutes();
  app.openapi(
    route({
      method: 'get',
      path: '/prices',
      summary: "Every configured account's price for one TLD side by side, cheapest first",
      tags: ['prices'],
      scope: 'read',
      request: {
        query: z.object({
          tld: Tld.openapi({ param: { name: 'tld', in: 'query' }, example: 'com' }),
          operation: z.enum(OPERATIONS).default('renew'),
          years: z.coerce.number().int().min(1).max(10).default(1),
          account: AccountQueryParam,
        }),
      },
      responses: {
        200: { description: 'Prices', content: { 'application/json': { schema: PriceComparisonSchema } } },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const comparison = await comparePrices(c.get('accounts'), {
        ...q,
        rates: c.get('config').prices,
        signal: c.req.raw.signal,
      });
      return c.json(comparison, 200);
    },
  );
  return app;
}
