/**
 * Codec fuzzing with the registrars' REAL replies (issue 13, item 2: "every codec fed mutated real
 * replies"): every file under shared/fixtures/real/ — recorded from the real services by other
 * projects — is put into a recorded simulator session at the place where the provider reads that
 * reply, and codec-fuzz.ts mutates exactly that reply. 35.com's reply is a TCP document the
 * bridge parses, so it is fuzzed against the bridge-side codec directly.
 *
 * Replies to commands the gateway never sends (Dynadot `server_list`, LogicBoxes customer calls…)
 * are fed where the provider expects some other reply of the same registrar: the envelope and
 * error paths must hold for anything the registrar could send.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type GatewayError, isGatewayError } from '../../src/core/errors';
import { parseResponse, verifyResponseChecksum } from '../../src/providers/com35/codec';
import { sharedPath } from '../../test/node/shared-dir';
import { type CodecFuzzFailure, mutation, type Session } from './codec-fuzz';

const REAL = sharedPath('fixtures', 'real');

/** Where a real reply is read: the recorded session's operation, and which of its replies. */
type Placement = { operation: string; reply: number | 'last' };

/** Per registrar, the first rule whose pattern matches a file name gives its placements. */
const PLACEMENTS: Record<string, Array<[RegExp, Placement[]]>> = {
  dynadot: [
    [/^domain_info|^error_invalid_key/, [{ operation: 'getDomain', reply: 0 }]],
    [/^list_domain/, [{ operation: 'listDomains', reply: 0 }]],
    [/^set_ns/, [{ operation: 'setNameservers', reply: 'last' }]],
    // Commands the gateway never sends: read where a domain_info reply is expected.
    [/./, [{ operation: 'getDomain', reply: 0 }]],
  ],
  logicboxes: [
    [/^domains_orderid/, [{ operation: 'getDomain', reply: 0 }]],
    [/^domains_details/, [{ operation: 'getDomain', reply: 1 }]],
    [/^domains_(idn_|premium_|thirdlevelname_)?available/, [{ operation: 'checkAvailability', reply: 0 }]],
    [/^domains_renew/, [{ operation: 'renew', reply: 2 }]],
    [/^domains_modify/, [{ operation: 'setNameservers', reply: 'last' }]],
    // Customer, contact, suggestion and register calls: read where the balance reply is expected.
    [/./, [{ operation: 'getBalance', reply: 0 }]],
  ],
  alibaba: [
    // Gateway error envelopes: any call may get one; a read and the money call.
    [
      /./,
      [
        { operation: 'getDomain', reply: 0 },
        { operation: 'renew', reply: 0 },
      ],
    ],
  ],
};

export function realFiles(provider: string): string[] {
  const dir = join(REAL, provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(json|xml)$/.test(f))
    .sort();
}

/**
 * One session per (real file, placement): a recorded session of the matching operation with the
 * real reply in place of the simulator's. Throws when a real file has no placement or no session,
 * so a new fixture cannot be skipped silently.
 */
export function realReplySessions(recorded: Session[]): Session[] {
  const out: Session[] = [];
  for (const [provider, rules] of Object.entries(PLACEMENTS)) {
    for (const file of realFiles(provider)) {
      const body = readFileSync(join(REAL, provider, file), 'utf8');
      const placements = rules.find(([pattern]) => pattern.test(file))?.[1];
      if (!placements) throw new Error(`${provider}/${file}: no placement for this real reply`);
      for (const place of placements) {
        const base = recorded.find((s) => s.provider === provider && s.operation === place.operation);
        if (!base)
          throw new Error(`${provider}/${file}: no recorded ${place.operation} session to put it in`);
        const index = place.reply === 'last' ? base.replies.length - 1 : place.reply;
        if (index >= base.replies.length)
          throw new Error(`${provider}/${file}: ${place.operation} has no reply ${index}`);
        const replies = base.replies.map((r, i) => (i === index ? { ...r, status: 200, body } : r));
        out.push({ ...base, replies, mutate: index, source: `${provider}/${file}` });
      }
    }
  }
  return out;
}

/** 35.com: the real login reply, mutated, through the bridge-side parser and checksum check. */
export function fuzzCom35RealReplies(opts: { runs: number; seed: number }): {
  cases: number;
  outcomes: Record<string, number>;
  failures: CodecFuzzFailure[];
} {
  const outcomes: Record<string, number> = {};
  const failures: CodecFuzzFailure[] = [];
  let cases = 0;
  const creds = { clid: 'fuzz', passwordMd5: '0'.repeat(32) };
  for (const file of realFiles('com35')) {
    const text = readFileSync(join(REAL, 'com35', file), 'utf8');
    fc.assert(
      fc.property(mutation, (mut) => {
        cases++;
        const mutated = mut.apply(text);
        let outcome = 'ok';
        try {
          verifyResponseChecksum(parseResponse(mutated), creds);
        } catch (error) {
          outcome = isGatewayError(error) ? (error as GatewayError).kind : 'crash';
          if (outcome !== 'protocol' && failures.length < 50)
            failures.push({
              provider: 'com35',
              operation: 'parseResponse',
              source: `com35/${file}`,
              reply: 0,
              mutated: mut.name,
              error: String(error).slice(0, 300),
            });
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }),
      { numRuns: opts.runs, seed: opts.seed, endOnFailure: false },
    );
  }
  return { cases, outcomes, failures };
}
