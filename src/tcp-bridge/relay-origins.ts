/**
 * What an entry of BRIDGE_ALLOWED_ORIGINS must be: an exact http(s) origin. Pure (no Node API), as
 * the worker reads the bridge's declarations (config.ts) to list every variable.
 */

/** Why an entry of BRIDGE_ALLOWED_ORIGINS is not an exact origin, if it is not. */
export function originProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not an http(s) origin';
  if (url.origin !== entry)
    return 'not an exact origin (scheme://host[:port]: no path, no trailing slash, no user, no default port)';
  return undefined;
}
