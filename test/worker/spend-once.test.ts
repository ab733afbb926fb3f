/**
 * A spend is sent once: for every registrar in the registry, a renewal whose connection is dropped
 * after the registrar acted is never sent again by the provider, and ends as the provider's
 * contract says (`outcome_unknown`, or confirmed by re-reading the domain). A query under the same
 * fault is a retryable failure the gateway may repeat, and Dynadot's client does repeat it. The
 * service renew commands (35.com RenewVhost and RenewMail, MrDomain service/renew and ssl/renew)
 * are held to the same rule through the provider's `renewService`.
 *
 * Requests are counted at the simulators (over real sockets): each counts every request it
 * received per command, including one whose reply the `drop_after` fault then cut.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENT_CSR } from '../../sim/mrdomain/document-csr';
import { addYears, sameDay } from '../../src/core/dates';
import { isGatewayError } from '../../src/core/errors';
import type { RenewalResult, ServiceRef } from '../../src/core/model';
import { callUpstream } from '../../src/providers/http';
import { PROVIDER_KEYS, type ProviderKey } from '../../src/providers/registry';
import { providerFor, sim } from './helpers';
import { daysFromNow, quietLogger, seedDomain, upstreamRenewals } from './renewals-support';

interface SimulatorView {
  /** The simulator's name for the renew request (fault match and counter key). */
  renew: string;
  /** Its name for the first request `getDomain` makes. */
  read: string;
  /** Requests received per command, from the simulator's own state. */
  received(state: Record<string, unknown>): Record<string, number>;
  /** What the provider's contract makes of a renewal whose reply was lost after it acted. */
  lostRenewal: 'outcome_unknown' | 'reconciled';
  /** The provider's client repeats a failed query itself (the others leave it to the caller). */
  retriesQueries: boolean;
  /** A control call that finishes the registrar's queued work (Alibaba renews in a task). */
  settle?: string;
}

const counter = (field: string) => (state: Record<string, unknown>) =>
  (state[field] ?? {}) as Record<string, number>;

/** Every registry key must have a view here: a new provider does not compile until it is tested. */
const SIMULATORS: Record<ProviderKey, SimulatorView> = {
  com35: {
    renew: 'RenewDomain',
    read: 'InfoDomain',
    received: counter('commands'),
    lostRenewal: 'reconciled',
    retriesQueries: false,
  },
  dynadot: {
    renew: 'renew',
    read: 'domain_info',
    received: counter('calls'),
    lostRenewal: 'reconciled',
    retriesQueries: true,
  },
  logicboxes: {
    renew: 'domains/renew',
    read: 'domains/orderid',
    received: counter('calls'),
    lostRenewal: 'outcome_unknown',
    retriesQueries: false,
  },
  alibaba: {
    renew: 'SaveSingleTaskForCreatingOrderRenew',
    read: 'QueryDomainList',
    received: counter('requests'),
    lostRenewal: 'outcome_unknown',
    retriesQueries: false,
    settle: 'settle',
  },
  mrdomain: {
    renew: 'domain/renew',
    read: 'domain/getinfo',
    received: counter('calls'),
    lostRenewal: 'outcome_unknown',
    retriesQueries: false,
  },
};

async function received(key: ProviderKey, command: string): Promise<number> {
  return SIMULATORS[key].received(await sim(key).state<Record<string, unknown>>())[command] ?? 0;
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/**
 * A renewal of one year from `before` whose reply was lost ends as the provider's contract says:
 * `outcome_unknown`, or confirmed because re-reading the item proved it happened (no second send).
 */
function expectSettledAsContracted(
  view: SimulatorView,
  outcome: { value?: RenewalResult; error?: unknown },
  before: string,
): void {
  if (view.lostRenewal === 'outcome_unknown') {
    expect(outcome.error).toMatchObject({ kind: 'outcome_unknown', retryable: false });
  } else {
    expect(outcome.error).toBeUndefined();
    expect(outcome.value?.outcome).toBe('confirmed');
    expect(sameDay(outcome.value?.newExpiry ?? '', addYears(before, 1))).toBe(true);
  }
}

const domainOf = (key: ProviderKey) => `spend-once-${key}.com`;

describe.each(PROVIDER_KEYS)('%s', (key) => {
  const view = SIMULATORS[key];
  const domain = domainOf(key);

  beforeEach(async () => {
    await sim(key).reset();
    await seedDomain(key, domain, daysFromNow(40));
  });

  it('sends a renewal whose reply was lost after the registrar acted exactly once', async () => {
    const provider = providerFor(key);
    const before = (await provider.getDomain(domain, {})).expiresAt;
    await sim(key).faults({ fault: { kind: 'drop_after' }, match: view.renew, times: 1 });

    const outcome = await settle(provider.renew(domain, { years: 1, expectedExpiry: before }, {}));

    expect(await received(key, view.renew)).toBe(1);
    if (view.settle) await sim(key).call(view.settle);
    expect(await upstreamRenewals(key, domain)).toHaveLength(1);
    expectSettledAsContracted(view, outcome, before);
  });

  it('treats a query under the same fault as repeatable', async () => {
    const provider = providerFor(key);
    await sim(key).faults({ fault: { kind: 'drop_after' }, match: view.read, times: 1 });

    const outcome = await settle(provider.getDomain(domain, {}));

    if (view.retriesQueries) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.value?.domain).toBe(domain);
      expect(await received(key, view.read)).toBe(2);
    } else {
      expect(isGatewayError(outcome.error) && outcome.error.kind).toBe('transport');
      expect(outcome.error).toMatchObject({ retryable: true });
      expect(await received(key, view.read)).toBe(1);
      // The caller may repeat it: nothing was spent, and the repeat is answered.
      expect((await provider.getDomain(domain, {})).domain).toBe(domain);
      expect(await received(key, view.read)).toBe(2);
    }
  });
});

/**
 * A service renew command of each registrar that has them, on a service its simulator seeds at
 * reset (docs/providers/com35.md and mrdomain.md, "simulator"); a lost reply ends as the same
 * registrar's domain renewal does.
 */
const SERVICE_CASES: Array<{ account: ProviderKey; ref: ServiceRef; renew: string }> = [
  { account: 'com35', ref: { kind: 'hosting', id: 'simzq1' }, renew: 'RenewVhost' },
  { account: 'com35', ref: { kind: 'mail', id: 'sim-mail.com' }, renew: 'RenewMail' },
  { account: 'mrdomain', ref: { kind: 'hosting', id: 'hosting-shop.com' }, renew: 'service/renew' },
  { account: 'mrdomain', ref: { kind: 'certificate', id: '132442' }, renew: 'ssl/renew' },
];

/** A certificate's reissue needs a CSR and an admin contact the account has. */
const certificateOf = (ref: ServiceRef) =>
  ref.kind === 'certificate' ? { certificate: { csr: DOCUMENT_CSR, adminContactId: 'SIM-12312' } } : {};

describe.each(SERVICE_CASES)('$account $ref.kind ($renew)', (c) => {
  beforeEach(async () => {
    await sim(c.account).reset();
  });

  it('sends a renewal whose reply was lost after the registrar acted exactly once', async () => {
    const provider = providerFor(c.account);
    const before = (await provider.getService(c.ref, {})).expiresAt ?? '';
    await sim(c.account).faults({ fault: { kind: 'drop_after' }, match: c.renew, times: 1 });

    const outcome = await settle(
      provider.renewService(c.ref, { years: 1, expectedExpiry: before, ...certificateOf(c.ref) }, {}),
    );

    expect(await received(c.account, c.renew)).toBe(1);
    const state = await sim(c.account).state<{ serviceRenewals: unknown[] }>();
    expect(state.serviceRenewals).toHaveLength(1);
    expectSettledAsContracted(SIMULATORS[c.account], outcome, before);
  });
});

describe('the operation of an upstream call', () => {
  it('must declare its kind; one that got past the type unread counts as a spend', async () => {
    const lost = async (): Promise<Response> => {
      throw new TypeError('Network connection lost');
    };
    const call = callUpstream(
      { fetch: lost, logger: quietLogger },
      {
        provider: 'test',
        // @ts-expect-error an operation is `query(…)`, `change(…)` or `spend(…)`, never a name alone
        operation: 'getDomain',
        url: 'http://registrar.test/',
      },
    );
    await expect(call).rejects.toMatchObject({ kind: 'outcome_unknown', retryable: false });
  });
});
