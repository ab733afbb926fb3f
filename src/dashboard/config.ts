/**
 * The dashboard's variables, declared once and parsed with every other part of the configuration
 * (src/env.ts). Without DASHBOARD_SESSION_SECRET the session key is derived from ADMIN_API_KEY
 * (docs/decisions.md, "Dashboard sessions"); with neither, the dashboard has no key to sign
 * sessions with and says so instead of signing anyone in. The DASHBOARD_ACCESS_* variables turn
 * on the optional Cloudflare Access sign-in (access.ts).
 */
import { z } from 'zod';
import { defineConfigPart } from '../core/config-declaration';

/**
 * The API keys' scopes (SCOPES in src/core/api-keys.ts), spelled here because Node code (the
 * config table) reads this module and must not load the D1 code of api-keys.ts.
 */
const ACCESS_SCOPES = ['read', 'renew', 'admin'] as const;

export interface AccessConfig {
  /** `https://<team>.cloudflareaccess.com`: the tokens' issuer. */
  issuer: string;
  /** The Access application's audience tag. */
  audience: string;
  /** Where the team's signing keys are published (JWKS). */
  certsUrl: string;
  /** What a user Access let in may do here. */
  scope: (typeof ACCESS_SCOPES)[number];
}

export interface DashboardConfig {
  /** The secret that signs session cookies and calendar URLs, when set on its own. */
  sessionSecret?: string;
  /** Cloudflare Access sign-in, when its team domain and audience are set. */
  access?: AccessConfig;
}

/** `myteam`, `myteam.cloudflareaccess.com` or `https://myteam.cloudflareaccess.com/` → the host. */
const teamHost = z
  .string()
  .trim()
  .transform((value) => value.replace(/^https:\/\//, '').replace(/\/+$/, ''))
  .transform((host) => (host.includes('.') ? host : `${host}.cloudflareaccess.com`))
  .pipe(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a team name or team domain'));

export const dashboardSettings = defineConfigPart({
  vars: {
    DASHBOARD_SESSION_SECRET: {
      schema: z.string().min(32, 'must be at least 32 characters').optional(),
      for: 'worker',
      secret: true,
      description:
        'Signs dashboard sessions and calendar URLs (≥ 32 chars); unset: derived from `ADMIN_API_KEY`. Changing it signs everyone out.',
    },
    DASHBOARD_ACCESS_TEAM_DOMAIN: {
      schema: teamHost.optional(),
      for: 'worker',
      description:
        'Cloudflare Access team domain (`myteam.cloudflareaccess.com`): with `DASHBOARD_ACCESS_AUD`, the dashboard trusts Access sign-in.',
    },
    DASHBOARD_ACCESS_AUD: {
      schema: z.string().trim().min(1).optional(),
      for: 'worker',
      description: "The Access application's audience (AUD) tag; tokens for another application are refused.",
    },
    DASHBOARD_ACCESS_SCOPE: {
      schema: z.enum(ACCESS_SCOPES).default('read'),
      for: 'worker',
      description: 'What a user signed in through Cloudflare Access may do: `read`, `renew` or `admin`.',
    },
    DASHBOARD_ACCESS_CERTS_URL: {
      schema: z.url().optional(),
      for: 'worker',
      description:
        "Where the Access team's signing keys (JWKS) are read; unset: the team domain's `/cdn-cgi/access/certs`. Set only for tests.",
    },
  },
  groups: [
    {
      what: 'Cloudflare Access sign-in',
      needs: ['DASHBOARD_ACCESS_TEAM_DOMAIN', 'DASHBOARD_ACCESS_AUD'],
      alsoStartedBy: ['DASHBOARD_ACCESS_CERTS_URL'],
    },
  ],
  build: (v): DashboardConfig => ({
    sessionSecret: v.DASHBOARD_SESSION_SECRET,
    access:
      v.DASHBOARD_ACCESS_TEAM_DOMAIN && v.DASHBOARD_ACCESS_AUD
        ? {
            issuer: `https://${v.DASHBOARD_ACCESS_TEAM_DOMAIN}`,
            audience: v.DASHBOARD_ACCESS_AUD,
            certsUrl:
              v.DASHBOARD_ACCESS_CERTS_URL ??
              `https://${v.DASHBOARD_ACCESS_TEAM_DOMAIN}/cdn-cgi/access/certs`,
            scope: v.DASHBOARD_ACCESS_SCOPE,
          }
        : undefined,
  }),
});
