import { describe, expect, it } from 'vitest';
import { defineProvider } from '../providers/define';
import type { Provider } from '../providers/types';
import { orThrow, parsePart } from './config-declaration';
import { priceSettings } from './core-config';
import { GatewayError } from './errors';
import type { Price } from './model';
import { comparePrices, multiplyDecimals } from './prices';
import type { ProviderLookup as Accounts } from './provider-lookup';

/** The operator's rates, parsed as the worker's config parses them. */
const parseExchangeRates = (vars: Record<string, string>) => orThrow(parsePart(priceSettings, vars));

function priced(account: string, prices: Price[] | GatewayError): Provider {
  return defineProvider(
    { key: `fake-${account}`, account, limits: { availabilityBatch: 1, concurrency: 1 } },
    {
      async getPrices() {
        if (prices instanceof GatewayError) throw prices;
        return prices;
      },
    },
  );
}

function accountsOf(...providers: Provider[]): Accounts {
  return {
    list: () => providers.map((p) => ({ name: p.account })),
    get: (name) => providers.find((p) => p.account === name)!,
  };
}

const renew = (amount: string, currency: string, years = 1, tld = 'com'): Price => ({
  tld,
  operation: 'renew',
  years,
  amount: { amount, currency },
});

describe('multiplyDecimals', () => {
  it('multiplies exactly and rounds half up to the scale', () => {
    expect(multiplyDecimals('10.99', '0.138')).toBe('1.5166');
    expect(multiplyDecimals('0.1', '0.2')).toBe('0.02');
    expect(multiplyDecimals('3', '1')).toBe('3');
    expect(multiplyDecimals('2.5', '0.00005', 4)).toBe('0.0001');
    expect(multiplyDecimals('123456789012345678.5', '2')).toBe('246913578024691357');
  });
});

describe('the exchange rates', () => {
  it('reads CUR=rate pairs against the base currency, and refuses anything else', () => {
    expect(parseExchangeRates({})).toBeUndefined();
    const rates = parseExchangeRates({ PRICE_RATES: 'cny=0.138, EUR=1.08', PRICE_BASE_CURRENCY: 'usd' })!;
    expect(rates.base).toBe('USD');
    expect(Object.fromEntries(rates.rates)).toEqual({ USD: '1', CNY: '0.138', EUR: '1.08' });
    expect(() => parseExchangeRates({ PRICE_RATES: 'CNY:0.1' })).toThrow(/PRICE_RATES: .*CUR=rate/);
    expect(() => parseExchangeRates({ PRICE_RATES: 'CNY=-1' })).toThrow(/PRICE_RATES: .*CUR=rate/);
  });
});

describe('comparePrices', () => {
  const accounts = accountsOf(
    priced('cheap-usd', [renew('8.50', 'USD'), renew('17', 'USD', 2)]),
    priced('dear-usd', [renew('12', 'USD')]),
    priced('cny', [renew('60', 'CNY')]),
    priced('down', new GatewayError('transport', { message: 'connection refused' })),
    priced('no-net', [renew('9', 'USD', 1, 'net')]),
  );

  it('without rates: no conversion, sorted by currency then amount, and says so', async () => {
    const result = await comparePrices(accounts, { tld: 'com', operation: 'renew', years: 1 });
    expect(result.prices.map((p) => [p.account, p.price.amount, p.price.currency])).toEqual([
      ['cny', '60', 'CNY'],
      ['cheap-usd', '8.50', 'USD'],
      ['dear-usd', '12', 'USD'],
    ]);
    expect(result.comparable).toBe(false);
    expect(result.prices.every((p) => p.converted === undefined)).toBe(true);
    expect(result.unavailable).toEqual([
      { account: 'down', provider: 'fake-down', kind: 'transport', message: 'connection refused' },
      {
        account: 'no-net',
        provider: 'fake-no-net',
        kind: 'not_found',
        message: 'no renew price for .com over 1 year(s)',
      },
    ]);
  });

  it('with rates: converts into the base currency and sorts cheapest first across currencies', async () => {
    const rates = parseExchangeRates({ PRICE_RATES: 'CNY=0.138' });
    const result = await comparePrices(accounts, { tld: 'com', operation: 'renew', years: 1, rates });
    expect(result.prices.map((p) => [p.account, p.converted?.amount])).toEqual([
      ['cny', '8.28'],
      ['cheap-usd', '8.5'],
      ['dear-usd', '12'],
    ]);
    expect(result.comparable).toBe(true);
    expect(result.baseCurrency).toBe('USD');
  });

  it('matches the requested term exactly', async () => {
    const result = await comparePrices(accounts, {
      tld: 'com',
      operation: 'renew',
      years: 2,
      account: 'cheap-usd',
    });
    expect(result.prices).toHaveLength(1);
    expect(result.prices[0]!.price.amount).toBe('17');
  });
});
