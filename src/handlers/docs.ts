/**
 * `GET /docs`: Swagger UI (@hono/swagger-ui) over `/openapi.json`, offline. The page references
 * its JS and CSS under `/docs/assets/swagger-ui-dist/`, which Workers Static Assets serve from
 * `public/` (copied from the `swagger-ui-dist` package by `scripts/docs-assets.mjs`, the
 * `[build]` command of wrangler.toml). Keeping the 1.7 MB bundle out of the worker script keeps
 * the worker small (issue 12's bundle budget) and needs no CDN at runtime.
 *
 * The page is where an API key is typed ("Authorize"), so it runs under a Content-Security-Policy
 * (hono's secure-headers): scripts and styles from this origin only, plus the page's one inline
 * script (the Swagger UI call with our options), allowed by its SHA-256 hash; the key is not
 * persisted (no `persistAuthorization`, which would keep it in localStorage).
 */
import { SwaggerUI, swaggerUI } from '@hono/swagger-ui';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppBindings } from './context';

/** Where the static assets of the page are served from (see public/ and scripts/docs-assets.mjs). */
export const DOCS_ASSET_BASE = '/docs/assets';

const PAGE = { url: '/openapi.json', title: 'Registrar gateway API', baseUrl: DOCS_ASSET_BASE };

/** CSP sources (`'sha256-…'`) of the inline `<script>` elements of an HTML text. */
export async function inlineScriptHashes(html: string): Promise<string[]> {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  return Promise.all(
    scripts.map(async (text) => {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
      return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
    }),
  );
}

let pageHeaders: Promise<MiddlewareHandler> | undefined;

/**
 * secure-headers for the page, made once per isolate: the inline script's hash is taken from the
 * very markup @hono/swagger-ui renders for these options (`SwaggerUI` is what its middleware puts
 * in the body), so a library update that changes the script cannot silently break the page.
 */
function docsSecurityHeaders(): Promise<MiddlewareHandler> {
  pageHeaders ??= inlineScriptHashes(SwaggerUI(PAGE)).then((hashes) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'", ...hashes],
        styleSrc: ["'self'"],
        // Swagger UI's CSS draws its icons as data: SVGs.
        imgSrc: ["'self'", 'data:'],
        // /openapi.json and "Try it out" requests.
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  return pageHeaders;
}

export function docsRoutes() {
  const app = new Hono<AppBindings>();
  app.get('/docs', async (c, next) => (await docsSecurityHeaders())(c, next), swaggerUI(PAGE));
  return app;
}
