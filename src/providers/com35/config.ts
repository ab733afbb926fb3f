/**
 * 35.com's variables on the worker's side, declared once: the bridge's URL and secret and how long
 * the worker waits for it. The bridge's own variables (the 35.com account, tuning) are declared by
 * the bridge (src/tcp-bridge/config.ts), which reads BRIDGE_SECRET from here too.
 */
import { z } from 'zod';
import type { ParsedVars } from '../../core/config-declaration';
import { flagFromEnv, intFromEnv, originUrl, secretList } from '../../core/config-schema';
import { declareProviderConfig } from '../provider-config';
import { DEFAULT_BRIDGE_TIMEOUT_MS } from './client';

/** One secret, or two during a rotation (whitespace/comma separated): requests are signed with the first. */
export const bridgeSecretList = secretList.pipe(
  z.array(z.string()).max(2, 'at most two secrets (a rotation)'),
);

/**
 * `kind:id` pairs, whitespace or comma separated: `hosting:<vhostname>` (3-10 characters,
 * §7.3.2.5.1) or `mail:<mail domain>` (1-63, §7.4.2.5.1). Unset: none.
 */
const servicesList = z
  .string()
  .default('')
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z.array(
      z.union(
        [z.string().regex(/^hosting:[A-Za-z0-9_-]{3,10}$/), z.string().regex(/^mail:[A-Za-z0-9.-]{1,63}$/)],
        { message: 'each entry is hosting:<vhostname 3-10> or mail:<domain>' },
      ),
    ),
  )
  .transform((entries) =>
    entries.map((entry) => {
      const [kind, id] = entry.split(':') as ['hosting' | 'mail', string];
      return { kind, id: id.toLowerCase() };
    }),
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
  /** The account's hosts and mail domains: 35.com has no command that lists them. */
  SERVICES: {
    schema: servicesList,
    for: 'worker',
    description:
      'The hosts and mail domains to list (35.com has no listing command), e.g. `hosting:weipeng1 mail:example.com`.',
  },
  /** Normal mail renewed with exclusive-sale points (`selltype=E`, RenewMail §7.4.2.5.1) instead of money. */
  MAIL_PAY_WITH_POINTS: {
    schema: flagFromEnv,
    for: 'worker',
    shownDefault: 'false',
    description:
      'Renew normal mail (flag 1001) with the exclusive-sale points account (`selltype=E`) instead of money.',
  },
} as const;

export const com35Config = declareProviderConfig({ prefix: 'COM35', vars });
export type Com35Config = ParsedVars<typeof vars>;
