import { describe, expect, it } from 'vitest';
import { ERROR_KINDS } from '../../core/errors';
import { BLOCK_CODES, MRDOMAIN_ERROR_CODES, mappingFor } from './errors';

describe('MrDomain error table (User Manual §10.1.1 Error codes)', () => {
  it('lists the 66 documented codes, 0 Success included, each with a gateway kind', () => {
    const codes = Object.keys(MRDOMAIN_ERROR_CODES).map(Number);
    expect(codes).toHaveLength(66);
    expect(codes).not.toContain(1008); // the document skips 1008
    for (const code of codes) expect(ERROR_KINDS).toContain(mappingFor(code).kind);
  });

  it.each([
    [1100, 'insufficient_funds'],
    [2008, 'not_found'],
    [3001, 'not_found'],
    [200, 'authentication'],
    [201, 'authentication'],
    [1004, 'authentication'],
    [1030, 'permission'],
    [1007, 'permission'],
    [300, 'permission'],
    [101, 'invalid_request'],
    [105, 'invalid_request'],
    [2001, 'invalid_request'],
    [2100, 'conflict'],
    [2202, 'conflict'],
    [2201, 'unsupported'],
    [2003, 'upstream_unavailable'],
    [4001, 'not_found'],
    [5001, 'not_found'],
    [4009, 'conflict'],
    [5000, 'invalid_request'],
  ])('%i → %s', (code, kind) => {
    expect(mappingFor(code).kind).toBe(kind);
  });

  it('every "Account blocked" code is rate_limited and never retried automatically (User Manual §1.2 API Intended use)', () => {
    expect([...BLOCK_CODES].sort()).toEqual([1000, 1006, 1010, 1011, 1012, 1013]);
    for (const code of BLOCK_CODES) {
      expect(mappingFor(code)).toMatchObject({
        kind: 'rate_limited',
        retryable: false,
        definition: 'Account blocked',
      });
    }
  });

  it('a code the document does not list is reported as an upstream failure, not guessed', () => {
    expect(mappingFor(7777)).toMatchObject({ kind: 'upstream_unavailable', retryable: false });
  });
});
