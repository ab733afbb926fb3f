/**
 * 35.com's variables on the worker's side, declared once: the bridge's URL and secret and how long
 * the worker waits for it. The bridge's own variables (the 35.com account, tuning) are declared by
 * the bridge (src/tcp-bridge/config.ts), which reads BRIDGE_SECRET from here too.
 */
import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { intFromEnv, originUrl, secretList } from '../../core/config-schema';
import { declareProviderConfig } from '../provider-config';
import { DEFAULT_BRIDGE_TIMEOUT_MS } from './client';

/** One secret, or two during a rotation (whitespace/comma separated): requests are signed with the first. */
export const bridgeSecretList = secretList.pipe(
  z.array(z.string()).max(2, 'at most two secrets (a rotation)'),
);

const vars = {
  BRIDGE_URL: {
    schema: originUrl,
    name: 'BRIDGE_URL',
    for: 'worker',
    required: true,
    description: 'Origin of the 35.com TCP bridge.',
  },
  BRIDGE_SECRET: {
    schema: bridgeSecretList,
    name: 'BRIDGE_SECRET',
    for: 'both',
    secret: true,
    required: true,
    description: 'HMAC key of worker and bridge (≥ 16 chars); a rotation: new and old, space separated.',
  },
  /** How long the worker waits for the bridge (ms); default above the bridge's queue + read timeouts. */
  BRIDGE_TIMEOUT_MS: {
    schema: intFromEnv(DEFAULT_BRIDGE_TIMEOUT_MS, 1_000),
    for: 'worker',
    description: 'How long the worker waits for the bridge; keep above queue + read timeouts.',
  },
} as const;

export const com35Config = declareProviderConfig({ prefix: 'COM35', vars });
export type Com35Config = ParsedVars<typeof vars>;
