/**
 * The dashboard's one variable, declared once and parsed with every other part of the
 * configuration (src/env.ts). Without it the session key is derived from ADMIN_API_KEY
 * (docs/decisions.md, "Dashboard sessions"); with neither, the dashboard has no key to sign
 * sessions with and says so instead of signing anyone in.
 */
import { z } from 'zod';
import { defineConfigPart } from '../core/config-declaration';

export interface DashboardConfig {
  /** The secret that signs session cookies and calendar URLs, when set on its own. */
  sessionSecret?: string;
}

export const dashboardSettings = defineConfigPart({
  vars: {
    DASHBOARD_SESSION_SECRET: {
      schema: z.string().min(32, 'must be at least 32 characters').optional(),
      for: 'worker',
      secret: true,
      description:
        'Signs dashboard sessions and calendar URLs (≥ 32 chars); unset: derived from `ADMIN_API_KEY`. Changing it signs everyone out.',
    },
  },
  build: (v): DashboardConfig => ({ sessionSecret: v.DASHBOARD_SESSION_SECRET }),
});
