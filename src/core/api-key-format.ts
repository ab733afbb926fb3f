/**
 * What the gateway's API keys look like, in one place: `api-keys.ts` makes them, `log.ts`
 * recognizes them in any text it writes (a caller may paste a key into a path or a query).
 */
export const API_KEY_PREFIX = 'rgw_';

/**
 * An API key inside a text: the prefix, then base64url. A whole key has 43 characters after the
 * prefix; 16 are enough to recognize one pasted in part without catching ordinary words.
 */
export const API_KEY_IN_TEXT = new RegExp(`${API_KEY_PREFIX}[A-Za-z0-9_-]{16,}`, 'g');
