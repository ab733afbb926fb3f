/**
 * Helpers for the dashboard's worker tests: a tiny browser (a cookie jar over SELF, forms posted
 * with this origin's Origin header as a browser would) and the CSRF token read from a page.
 */
import { SELF } from 'cloudflare:test';
import { BASE } from './api-support';

export type FormFields = Record<string, string> | Array<[string, string]>;

export interface Browser {
  cookies: Map<string, string>;
  /** The last Set-Cookie header of each cookie name, whole (attributes included). */
  setCookies: Map<string, string>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** A form as a record, or as pairs when a field repeats (checkboxes). */
  post(path: string, form: FormFields, headers?: Record<string, string>): Promise<Response>;
}

/** How a request reaches the worker: SELF by default, or the worker entry with other bindings. */
export type Fetcher = (request: Request) => Promise<Response>;

export function browser(fetcher: Fetcher = (request) => SELF.fetch(request)): Browser {
  const cookies = new Map<string, string>();
  const setCookies = new Map<string, string>();
  const send = async (path: string, init: RequestInit & { headers: Headers }) => {
    if (cookies.size > 0) init.headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetcher(new Request(`${BASE}${path}`, { ...init, redirect: 'manual' }));
    for (const header of res.headers.getAll('set-cookie')) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      setCookies.set(name, header);
      if (value === '' || /max-age=0/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  };
  return {
    cookies,
    setCookies,
    get: (path, headers = {}) => send(path, { headers: new Headers(headers) }),
    post: (path, form, headers = { origin: BASE }) =>
      send(path, {
        method: 'POST',
        headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
        body: new URLSearchParams(form).toString(),
      }),
  };
}

/** Signs a browser in with a key; the response of the sign-in POST. */
export async function signIn(b: Browser, key: string): Promise<Response> {
  return b.post('/app/sign-in', { key });
}

/** The CSRF token of the session, as the page's forms carry it. */
export function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The domain names in the portfolio table of a page, in order. */
export function domainsOf(html: string): string[] {
  return [...html.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => unescapeHtml(m[1]!));
}

/** The href of the "Next page" link, unescaped. */
export function nextPageOf(html: string): string | undefined {
  const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  return href?.replace(/&amp;/g, '&');
}
