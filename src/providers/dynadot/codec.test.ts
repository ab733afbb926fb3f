import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import {
  buildUrl,
  decodeAccountBalance,
  decodeAccountInfo,
  decodeAck,
  decodeDomainInfo,
  decodeEnvelope,
  decodeGetNs,
  decodeIsProcessing,
  decodeListDomain,
  decodeOrderStatus,
  decodeRenew,
  decodeSearch,
  decodeTldPrice,
  decodeTransferStatus,
  parsePrice,
  parseSearchPrice,
  requests,
} from './codec';
import { dynadotError } from './errors';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** `shared/` sits beside the repo (CI, /work/main); from a worktree it is one level further up. */
function findShared(from: string): string {
  for (let dir = path.resolve(from, '..'); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    if (existsSync(path.join(candidate, 'seeds'))) return candidate;
  }
  throw new Error(`no shared/ directory above ${from}`);
}
const shared = findShared(repoRoot);
const seedText = readFileSync(path.join(shared, 'seeds', '001_932507a9ff2a0319.txt'), 'utf8');
const realDir = path.join(shared, 'fixtures', 'real', 'dynadot');
const real = (file: string) => readFileSync(path.join(realDir, file), 'utf8');

/** Every `响应(XML格式)` block of the API3 document, with the command of the request URL above it. */
function seedXmlExamples(): Array<{ command: string; line: number; xml: string }> {
  const lines = seedText.split('\n');
  const out: Array<{ command: string; line: number; xml: string }> = [];
  let command = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /[?&]command=([a-z_]+)/.exec(line);
    if (m && /api3\./.test(line)) command = m[1] ?? '';
    if (/^响应\s*\(XML格式\)/.test(line)) {
      const block: string[] = [];
      let j = i + 1;
      while (j < lines.length && !/^(请求|响应)/.test(lines[j] ?? '')) block.push(lines[j++] ?? '');
      out.push({ command, line: i + 2, xml: block.join('\n').trim() });
    }
  }
  return out;
}

const examples = seedXmlExamples();
const example = (command: string) => {
  const found = examples.find((e) => e.command === command);
  if (!found) throw new Error(`no seed example for ${command}`);
  return found.xml;
};

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw new Error(`threw a non-GatewayError: ${String(error)}`);
  }
  throw new Error('did not throw');
}

describe('the API3 document’s examples (golden)', () => {
  it('finds all 98 XML response examples', () => {
    expect(examples).toHaveLength(98);
  });

  it('reads the header of every XML example in the API3 document', () => {
    const outcomes = examples.map((e) => {
      try {
        if (e.command === 'search') decodeSearch(e.xml);
        else decodeEnvelope(e.xml, e.command);
        return `${e.command}: ok`;
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        return `${e.command}: ${error.kind} ${error.upstreamMessage ?? error.message}`;
      }
    });
    const failures = outcomes.filter((o) => !o.endsWith(': ok'));
    expect(failures).toEqual([
      // The only error example in the whole API3 document (its `delete_contact` section).
      'delete_contact: conflict cannot delete these contacts (Jack Slater). Because they are in use.',
      // Its "XML" example is the tags' text with the tags stripped (API3 document, `set_folder_ns`): not a
      // reply.
      'set_folder_ns: protocol dynadot set_folder_ns: the reply is not XML',
    ]);
  });

  it('search: one result per name, with prices in the stated currency', () => {
    expect(decodeSearch(example('search'))).toEqual([
      { domain: 'mydomain.com', available: true, premium: false, price: { amount: '77', currency: 'USD' } },
      { domain: 'mydomain.net', available: true, premium: false, price: { amount: '44', currency: 'USD' } },
    ]);
  });

  it('domain_info: parking domain, epoch-ms dates, flags', () => {
    const d = decodeDomainInfo(example('domain_info'));
    expect(d).toMatchObject({
      name: 'domain1.com',
      expiresAt: new Date(1361430589062).toISOString(),
      registeredAt: new Date(1234567890123).toISOString(),
      nameServerType: 'Dynadot Parking',
      nameservers: [],
      locked: true,
      hold: false,
      autoRenew: false,
      renewOption: 'no renew option',
      status: ['active', 'locked'],
    });
  });

  it('list_domain: every <Domain> inside the single <DomainInfo>', () => {
    const list = [...decodeListDomain(example('list_domain'))];
    expect(list.map((d) => d.name)).toEqual(['domain-exp140.com', 'domain-exp141.com']);
    expect(list[1]?.expiresAt).toBe(new Date(1361430589062).toISOString());
  });

  it('renew: the new expiry, even the implausible 1972 value of the example', () => {
    expect(decodeRenew(example('renew'))).toEqual({
      status: 'success',
      expiresAt: new Date(73984579834).toISOString(),
    });
  });

  it('get_account_balance, tld_price, get_ns, account_info', () => {
    expect(decodeAccountBalance(example('get_account_balance'))).toEqual([
      { amount: '300', currency: 'USD' },
    ]);
    expect(decodeTldPrice(example('tld_price'))).toEqual({
      currency: 'USD',
      priceLevel: 'Regular Pricing',
      tlds: [{ tld: 'com', years: 1, register: '99', renew: '60', transfer: '92' }],
    });
    expect(decodeGetNs(example('get_ns'))).toEqual(['ns1.mydomain.com', 'ns2.mydomain.com']);
    expect(decodeAccountInfo(example('account_info'))).toEqual({
      username: 'testname',
      priceLevel: 'Regular Pricing',
      balance: { amount: '70.02', currency: 'USD' },
    });
  });

  it('acknowledgements, including the malformed lock_domain example', () => {
    expect(() => decodeAck(example('set_ns'), 'set_ns')).not.toThrow();
    expect(() => decodeAck(example('set_renew_option'), 'set_renew_option')).not.toThrow();
    expect(example('lock_domain')).toContain('<LockDomainferHeader>');
    expect(() => decodeAck(example('lock_domain'), 'lock_domain')).not.toThrow();
  });

  it('get_transfer_status, is_processing, get_order_status', () => {
    expect(decodeTransferStatus(example('get_transfer_status'))).toEqual([
      { orderId: 'testorderid', status: 'teststatus' },
      { orderId: 'testorderid2', status: 'teststatus2' },
    ]);
    expect(decodeIsProcessing(example('is_processing'))).toBe(true);
    const order = decodeOrderStatus(example('get_order_status'));
    expect(order.orderId).toBe('0');
    expect(order.status).toBe('Completed');
    expect(order.items).toHaveLength(2);
  });
});

describe('real recorded replies (golden)', () => {
  const expectations: Record<string, () => void> = {
    'domain_info.xml': () => {
      const d = decodeDomainInfo(real('domain_info.xml'));
      expect(d.name).toBe('123discounter.com');
      expect(d.expiresAt).toBe('2024-09-26T11:22:53.000Z');
      expect(d.nameservers).toEqual([
        'ns-859.awsdns-43.net',
        'ns-1893.awsdns-44.co.uk',
        'ns-1307.awsdns-35.org',
        'ns-280.awsdns-35.com',
      ]);
      expect(d.autoRenew).toBe(true);
      expect(d.locked).toBe(true);
    },
    'domain_info_flat_nameservers_2018.xml': () => {
      const d = decodeDomainInfo(real('domain_info_flat_nameservers_2018.xml'));
      expect(d.name).toBe('lggccbbj.com');
      // 13 slots on the wire, 9 of them empty padding.
      expect(d.nameservers).toEqual([
        'ns-1351.awsdns-40.org',
        'ns-943.awsdns-53.net',
        'ns-422.awsdns-52.com',
        'ns-1653.awsdns-14.co.uk',
      ]);
      expect(d.autoRenew).toBe(false);
      expect(d.renewOption).toBe('manual renewal');
    },
    'domain_info_error_not_in_account.xml': () => {
      const e = thrown(() => decodeDomainInfo(real('domain_info_error_not_in_account.xml')));
      expect(e.kind).toBe('not_found');
      expect(e.upstreamMessage).toBe('could not find domain in your account');
    },
    'error_invalid_key.xml': () => {
      const e = thrown(() => decodeAccountBalance(real('error_invalid_key.xml')));
      expect(e.kind).toBe('authentication');
      expect(e.upstreamCode).toBe('-1');
    },
    'get_contact_error_not_found.xml': () => {
      expect(thrown(() => decodeEnvelope(real('get_contact_error_not_found.xml'), 'get_contact')).kind).toBe(
        'not_found',
      );
    },
    'list_domain.xml': () => {
      const list = [...decodeListDomain(real('list_domain.xml'))];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ name: 'exmple.com', expiresAt: new Date(1546061090000).toISOString() });
      expect(list[0]?.nameservers).toHaveLength(4);
    },
    'server_list.xml': () => {
      expect(decodeEnvelope(real('server_list.xml'), 'server_list').header.code).toBe('0');
    },
    'set_ns.xml': () => {
      expect(() => decodeAck(real('set_ns.xml'), 'set_ns')).not.toThrow();
    },
    'set_ns_error_cannot_set.xml': () => {
      const e = thrown(() => decodeAck(real('set_ns_error_cannot_set.xml'), 'set_ns'));
      expect(e.kind).toBe('invalid_request');
      expect(e.upstreamMessage).toBe('Cannot set nameservers to these domains ( gglpsd.com).');
    },
    'set_ns_error_not_in_account.xml': () => {
      expect(thrown(() => decodeAck(real('set_ns_error_not_in_account.xml'), 'set_ns')).kind).toBe(
        'not_found',
      );
    },
    'set_parking_failure.xml': () => {
      const e = thrown(() => decodeAck(real('set_parking_failure.xml'), 'set_parking'));
      expect(e.upstreamCode).toBe('-1');
      expect(e.message).toContain('failure');
    },
  };

  it('has an expectation for every recorded file', () => {
    const files = readdirSync(realDir).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [file, check] of Object.entries(expectations)) it(file, check);
});

describe('requests', () => {
  it('generates indexed families and refuses overflow', () => {
    const names = Array.from({ length: 100 }, (_, i) => `n${i}.com`);
    const req = requests.search(names, { withPrices: true, currency: 'USD' });
    expect(req.params.domain0).toBe('n0.com');
    expect(req.params.domain99).toBe('n99.com');
    expect(req.params.show_price).toBe('1');
    expect(() => requests.search([...names, 'x.com'])).toThrow(GatewayError);
    const ns = requests.setNs('a.com', ['ns1.x.net', 'ns2.x.net']);
    expect(ns.params).toEqual({ domain: 'a.com', ns0: 'ns1.x.net', ns1: 'ns2.x.net' });
  });

  it('percent-encodes every value in the URL', () => {
    const url = buildUrl('https://api.dynadot.com/', 'k&y=1', requests.domainInfo('a b.com'));
    expect(url).toBe('https://api.dynadot.com/api3.xml?key=k%26y%3D1&command=domain_info&domain=a+b.com');
  });
});

describe('bad replies', () => {
  const fullList = example('list_domain');

  it('truncated, garbage and HTML replies are protocol errors', () => {
    for (const bad of [
      real('domain_info.xml').slice(0, 300),
      '\u0000garbage',
      '<!DOCTYPE html><html><body>503</body></html>',
      '',
    ]) {
      expect(thrown(() => decodeDomainInfo(bad)).kind).toBe('protocol');
    }
    expect(thrown(() => decodeListDomain(fullList.slice(0, fullList.length - 40))).kind).toBe('protocol');
  });

  it('prices in every written form', () => {
    expect(parsePrice('77.00 in USD')).toEqual({ amount: '77', currency: 'USD' });
    expect(parsePrice('$124.00')).toEqual({ amount: '124', currency: 'USD' });
    expect(parsePrice('300.00', 'eur')).toEqual({ amount: '300', currency: 'EUR' });
    expect(thrown(() => parsePrice('cheap')).kind).toBe('protocol');
  });

  it('search prices: the labelled live sentence, premium markers, and no guess at an unreadable one', () => {
    const header = (name: string, extra: string) =>
      `<SearchResponse><SearchHeader><SuccessCode>0</SuccessCode><DomainName>${name}</DomainName><Available>yes</Available>${extra}</SearchHeader></SearchResponse>`;
    const reply = `<Results>${[
      // The live sentence independent clients parse (docs/decisions.md, Dynadot: search prices).
      header(
        'plain.org',
        '<Price>Registration Price: 9.99 in USD and Renewal price: 11.99 in USD and Domain is not a Premium Domain</Price>',
      ),
      header(
        'gold.io',
        '<Price>Registration Price: 1,250.00 in USD and Renewal price: 49.99 in USD and Domain is a Premium Domain</Price>',
      ),
      header('flagged.io', '<Price>77.00 in USD</Price><IsPremium>yes</IsPremium>'),
      header('odd.com', '<Price>call us for a price</Price>'),
      header('half.com', '<Price>Registration Price: 9.99 in USD and first year only</Price>'),
    ].join('')}</Results>`;
    expect(decodeSearch(reply)).toEqual([
      {
        domain: 'plain.org',
        available: true,
        premium: false,
        price: { amount: '9.99', currency: 'USD' },
        renewalPrice: { amount: '11.99', currency: 'USD' },
      },
      {
        domain: 'gold.io',
        available: true,
        premium: true,
        price: { amount: '1250', currency: 'USD' },
        renewalPrice: { amount: '49.99', currency: 'USD' },
      },
      { domain: 'flagged.io', available: true, premium: true, price: { amount: '77', currency: 'USD' } },
      { domain: 'odd.com', available: true, premium: false, unreadablePrice: 'call us for a price' },
      {
        domain: 'half.com',
        available: true,
        premium: false,
        unreadablePrice: 'Registration Price: 9.99 in USD and first year only',
      },
    ]);
    // Clause order does not decide which price is which; the label does.
    expect(parseSearchPrice('Renewal price: 12 in EUR and Registration Price: 8 in EUR')).toEqual({
      registration: { amount: '8', currency: 'EUR' },
      renewal: { amount: '12', currency: 'EUR' },
      unread: [],
    });
    expect(parseSearchPrice('1.2.3 in USD').unread).toEqual(['1.2.3 in USD']);
  });

  it('never throws anything but a GatewayError, whatever the bytes', () => {
    const decoders = [
      decodeSearch,
      decodeDomainInfo,
      decodeAccountBalance,
      decodeTldPrice,
      decodeGetNs,
      decodeRenew,
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom(...examples.map((e) => e.xml))),
        fc.nat(4000),
        (s, cut) => {
          const input = s.slice(0, cut);
          for (const decode of decoders) {
            try {
              decode(input);
            } catch (error) {
              expect(error).toBeInstanceOf(GatewayError);
            }
          }
          try {
            for (const _ of decodeListDomain(input));
          } catch (error) {
            expect(error).toBeInstanceOf(GatewayError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('error table', () => {
  it.each([
    [{ code: '-1', error: 'invalid key' }, 'authentication'],
    [{ code: '5', status: 'system_busy' }, 'upstream_unavailable'],
    [{ code: '-1', status: 'error', error: 'not enough account balance' }, 'insufficient_funds'],
    [{ code: '-1', error: 'could not find exmple.com in your account' }, 'not_found'],
    [{ code: '-1', error: 'this command is only available to resellers' }, 'permission'],
    [{ code: '1', status: 'not_available' }, 'conflict'],
    [{ code: '-1', error: 'missing parameter: domain' }, 'invalid_request'],
    [{ code: '-1', error: 'unsupported command' }, 'unsupported'],
  ] as const)('%j → %s', (failure, kind) => {
    expect(dynadotError({ command: 'renew', ...failure }).kind).toBe(kind);
  });

  it('system_busy is retryable; a refusal is not', () => {
    expect(dynadotError({ command: 'renew', code: '5', status: 'system_busy' }).retryable).toBe(true);
    expect(
      dynadotError({ command: 'renew', code: '-1', error: 'not enough account balance' }).retryable,
    ).toBe(false);
  });
});
