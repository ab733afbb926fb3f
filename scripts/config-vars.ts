/**
 * Every configuration variable of the product: the worker's and the bridge's, each declared once
 * beside the code that reads it (gathered in src/config-vars.ts), and those only the local scripts
 * read, declared here. `npm start` passes each one the worker or the bridge reads through to them,
 * and the README's table and `.dev.vars.example` are generated from this list.
 */
import { z } from 'zod';
import { SERVICE_VARS } from '../src/config-vars';
import { type ConfigVar, configRows, declareVars } from '../src/core/config-declaration';

export type { ConfigVar } from '../src/core/config-declaration';

const PORT_RULE = 'must be a TCP port number (1–65535), or 0 for any free port';

/** What `npm start` and the bot's CLI scripts read from their own environment. */
export const SCRIPT_VARS = declareVars({
  PUBLIC_URL: {
    schema: z.string().url().optional(),
    for: 'bot-cli',
    description: 'Public origin of the worker, for `npm run bot:setup`.',
  },
  GATEWAY_URL: {
    schema: z.string().url().default('http://127.0.0.1:8787'),
    for: 'bot-cli',
    description: 'Local worker for `npm run bot:poll`.',
  },
  PORT: {
    schema: z.coerce
      .number({ error: PORT_RULE })
      .int(PORT_RULE)
      .min(0, PORT_RULE)
      .max(65535, PORT_RULE)
      .default(8787),
    for: 'start',
    description: 'Port of the local worker (`npm start`); 0 picks a free one (printed on the `ready` line).',
  },
  LOCAL_STATE_DIR: {
    schema: z.string().default('.wrangler/state'),
    for: 'start',
    description: 'Where `npm start` keeps the local D1 and Durable Object state between runs.',
  },
  LOCAL_ALLOWLIST: {
    schema: z
      .enum(['1', '0', 'true', 'false'], { error: 'must be 1 or 0 (true or false)' })
      .default('0')
      .transform((value) => value === '1' || value === 'true'),
    for: 'start',
    shownDefault: '0',
    description:
      '`1`: the HTTP simulators answer only 127.0.0.2; the local bridge relays every simulated HTTP account from it (`<ACCOUNT>_VIA_BRIDGE=true`). Linux only.',
  },
});

export const CONFIG_VARS: readonly ConfigVar[] = [...SERVICE_VARS, ...configRows(SCRIPT_VARS)];
