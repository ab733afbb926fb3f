import { unsupported } from '../core/errors';
import { parseProviderConfig } from './provider-config';
import {
  type BatchLimits,
  CAPABILITIES,
  type Capability,
  type Provider,
  type ProviderDefinition,
  type ProviderOperations,
} from './types';

/**
 * Build a Provider from the operations a registrar really has. Every operation left out throws
 * `unsupported` when called, and `capabilities` lists exactly the ones given, so the two can never
 * disagree.
 */
export function defineProvider(
  base: {
    key: string;
    account: string;
    limits: BatchLimits;
    /** The service kinds given operations serve; none by default. */
    serviceKinds?: Provider['serviceKinds'];
    resumeRenewal?: Provider['resumeRenewal'];
    ping?: Provider['ping'];
  },
  operations: Partial<ProviderOperations>,
): Provider {
  const capabilities = new Set<Capability>(CAPABILITIES.filter((c) => operations[c] !== undefined));
  const refusal = (operation: Capability) => () => {
    throw unsupported(base.key, operation);
  };
  const filled = Object.fromEntries(
    CAPABILITIES.map((c) => [c, operations[c]?.bind(operations) ?? refusal(c)]),
  ) as unknown as ProviderOperations;
  // The listings are async iterables: the refusal must surface when iteration starts.
  const refusedListing = (listing: Capability) => () => ({
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unsupported(base.key, listing)) }),
  });
  if (!operations.listDomains) filled.listDomains = refusedListing('listDomains');
  if (!operations.listServices) filled.listServices = refusedListing('listServices');
  return { ...filled, ...base, serviceKinds: base.serviceKinds ?? [], capabilities };
}

/** A registrar's definition, its `parseConfig` read from its declared variables. */
export function defineProviderDefinition<Config>(
  def: Omit<ProviderDefinition<Config>, 'parseConfig'>,
): ProviderDefinition<Config> {
  return { ...def, parseConfig: (vars) => parseProviderConfig(def.config, vars) };
}
