/**
 * Every registrar the gateway knows, one line each. Adding a registrar is one folder under
 * `providers/` exporting a `ProviderDefinition`, plus one line here.
 */
import { alibaba } from './alibaba/provider';
import { com35 } from './com35/provider';
import { dynadot } from './dynadot/provider';
import { logicboxes } from './logicboxes/provider';
import { mrdomain } from './mrdomain/provider';
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
