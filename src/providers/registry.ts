/**
 * Every registrar the gateway knows, one line each. Adding a registrar is one folder under
 * `providers/` exporting a `ProviderDefinition`, plus one line here.
 */
import { alibaba } from './alibaba';
import { com35 } from './com35';
import { dynadot } from './dynadot';
import { logicboxes } from './logicboxes';
import { mrdomain } from './mrdomain';
import type { ProviderDefinition } from './types';

export const providers = {
  com35,
  dynadot,
  logicboxes,
  alibaba,
  mrdomain,
} as const satisfies Record<string, ProviderDefinition<unknown>>;

export type ProviderKey = keyof typeof providers;

export const PROVIDER_KEYS = Object.keys(providers) as ProviderKey[];

export function isProviderKey(value: string): value is ProviderKey {
  return Object.hasOwn(providers, value);
}
