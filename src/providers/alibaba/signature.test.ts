import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  flattenParams,
  hmacSha1Base64,
  newNonce,
  percentEncode,
  rpcTimestamp,
  sign,
  stringToSign,
} from './signature';

// Vectors computed with two independent implementations of the Alibaba Cloud Domain "API Reference
// (New)" §3.5 (Signature). The document's own worked example (end of §3.5) is internally
// inconsistent and is NOT used: see the note in signature.ts and docs/decisions.md.

describe('percentEncode (§3.5, step 1)', () => {
  const table: Array<[string, string]> = [
    ['a b', 'a%20b'],
    ['a+b', 'a%2Bb'],
    ['*', '%2A'],
    ['~', '~'],
    ['/', '%2F'],
    [':', '%3A'],
    ["!'()", '%21%27%28%29'],
    ['é', '%C3%A9'],
    ['张三', '%E5%BC%A0%E4%B8%89'],
    ['test@test.com', 'test%40test.com'],
    ['2017-12-26T06:04:54Z', '2017-12-26T06%3A04%3A54Z'],
  ];
  it.each(table)('%s → %s', (input, output) => {
    expect(percentEncode(input)).toBe(output);
  });
});

describe('signature vectors (secret "testsecret")', () => {
  it("the document's pre-signing parameters, GET", async () => {
    const params = {
      Timestamp: '2017-12-26T06:04:54Z',
      Format: 'JSON',
      AccessKeyId: 'testid',
      Action: 'CheckDomain',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '5033a7d9-dfcb-417d-9fdf-13459fe90c1a',
      Version: '2017-12-18',
      SignatureVersion: '1.0',
    };
    expect(canonicalQuery(params)).toBe(
      'AccessKeyId=testid&Action=CheckDomain&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureNonce=5033a7d9-dfcb-417d-9fdf-13459fe90c1a&SignatureVersion=1.0&Timestamp=2017-12-26T06%3A04%3A54Z&Version=2017-12-18',
    );
    expect(stringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DCheckDomain%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D5033a7d9-dfcb-417d-9fdf-13459fe90c1a%26SignatureVersion%3D1.0%26Timestamp%3D2017-12-26T06%253A04%253A54Z%26Version%3D2017-12-18',
    );
    expect(await sign('GET', params, 'testsecret')).toBe('hNPxuNxm6HZy6ZlBkjzWFVBxgQw=');
  });

  it("the document's signed-URL parameters, GET", async () => {
    const params = {
      Format: 'JSON',
      AccessKeyId: 'testid',
      Action: 'CheckDomain',
      SignatureMethod: 'HMAC-SHA1',
      RegionId: 'cn-hangzhou',
      DomainName: 'test.com',
      SignatureNonce: 'b2d61eac-ecb7-453b-98bc-726871a7a310',
      SignatureVersion: '1.0',
      Version: '2017-12-18',
      Timestamp: '2017-12-26T06:04:54Z',
    };
    expect(await sign('GET', params, 'testsecret')).toBe('3qWE3qLxyIiAeIv0fI7U+pbg0zU=');
    // …and not the signature the document prints for the same URL (end of §3.5), which no variant reproduces.
    expect(await sign('GET', params, 'testsecret')).not.toBe('3WrgmEE+W1XqUY/FyS2GRohBbZA=');
  });

  it("the document's printed StringToSign hashed as-is", async () => {
    const printed =
      'GET&%2F&AccessKeyId%3Dtestid&Action%3DCheckDomain&Format%3DJSON&SignatureMethod%3DHMAC-SHA1&SignatureNonce%3D5033a7d9-dfcb-417d-9fdf-13459fe90c1a&SignatureVersion%3D1.0&Timestamp%3D2016-05-19T09%253A06%253A05Z&Version%3D2016-05-11';
    expect(await hmacSha1Base64('testsecret', printed)).toBe('bM0UWnqFQkv7YvKCOKuV18MHups=');
    expect(
      await hmacSha1Base64('testsecret', printed.replaceAll('&', '%26').replace('%26%2F%26', '&%2F&')),
    ).toBe('naA84rHZ+XFR/m9Qb/CLydeVLy0=');
  });

  it('single renew, POST', async () => {
    const params = {
      Action: 'SaveSingleTaskForCreatingOrderRenew',
      DomainName: 'test.com',
      CurrentExpirationDate: '1572667245000',
      SubscriptionDuration: '1',
      Format: 'JSON',
      Version: '2018-01-29',
      AccessKeyId: 'testid',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Timestamp: '2019-05-17T00:00:00Z',
    };
    expect(stringToSign('POST', params)).toBe(
      'POST&%2F&AccessKeyId%3Dtestid%26Action%3DSaveSingleTaskForCreatingOrderRenew%26CurrentExpirationDate%3D1572667245000%26DomainName%3Dtest.com%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26SubscriptionDuration%3D1%26Timestamp%3D2019-05-17T00%253A00%253A00Z%26Version%3D2018-01-29',
    );
    expect(await sign('POST', params, 'testsecret')).toBe('n9e36CvsO4rKYawNPuXhK9evF4s=');
  });

  it('batch renew flattened from structs, with encoding edge cases in the nonce, GET', async () => {
    const params = {
      Action: 'SaveBatchTaskForCreatingOrderRenew',
      ...flattenParams({
        OrderRenewParam: [
          { DomainName: 'test1.com', CurrentExpirationDate: 1572667245000, SubscriptionDuration: 1 },
          { DomainName: 'test2.com', CurrentExpirationDate: 1604289645000, SubscriptionDuration: 2 },
        ],
      }),
      Lang: 'en',
      UserClientIp: '127.0.0.1',
      Format: 'JSON',
      Version: '2018-01-29',
      AccessKeyId: 'testid',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'n-1 *~/é',
      Timestamp: '2019-05-17T00:00:00Z',
    };
    expect(canonicalQuery(params)).toContain('SignatureNonce=n-1%20%2A~%2F%C3%A9');
    expect(canonicalQuery(params)).toContain(
      'OrderRenewParam.1.CurrentExpirationDate=1572667245000&OrderRenewParam.1.DomainName=test1.com&OrderRenewParam.1.SubscriptionDuration=1&OrderRenewParam.2.CurrentExpirationDate=1604289645000',
    );
    expect(await sign('GET', params, 'testsecret')).toBe('+SFYvL2Rghwa299DYO/bcp703OE=');
  });

  it("Alibaba's published ECS example", async () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(stringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(await sign('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('sorts by parameter name, not by the name=value string (the sort-order trap)', () => {
    expect(
      canonicalQuery({ 'DomainNameServer.1': 'ns1', 'DomainName.1': 'b.com', DomainName: 'a.com' }),
    ).toBe('DomainName=a.com&DomainName.1=b.com&DomainNameServer.1=ns1');
  });

  it('leaves the Signature parameter out of the canonical query', () => {
    expect(canonicalQuery({ B: '2', Signature: 'x', A: '1' })).toBe('A=1&B=2');
  });
});

describe('common parameter helpers', () => {
  it('formats timestamps without milliseconds', () => {
    expect(rpcTimestamp(Date.UTC(2019, 4, 17, 0, 0, 0, 987))).toBe('2019-05-17T00:00:00Z');
  });

  it('gives a different nonce every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => newNonce()));
    expect(nonces.size).toBe(200);
  });

  it('flattens scalar lists 1-based and drops undefined values', () => {
    expect(
      flattenParams({ DomainName: ['a.com', 'b.com'], AliyunDns: false, Lang: undefined, PageNum: 1 }),
    ).toEqual({ 'DomainName.1': 'a.com', 'DomainName.2': 'b.com', AliyunDns: 'false', PageNum: '1' });
  });
});
