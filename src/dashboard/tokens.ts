/**
 * The dashboard's signed tokens, all HMAC-SHA256 under one session key, none stored anywhere:
 * - the session cookie `<keyRef>.<expires>.<nonce>.<mac>`: which key signed in and until when
 *   (the key itself is never in it; every request re-checks that key, so revoking it signs out);
 * - the CSRF token of a session: a MAC of the session token, put in every state-changing form;
 * - the calendar token `<keyRef>.<mac>`: the secret part of a key's iCal URL.
 * Each MAC covers a purpose label, so one kind of token never passes for another.
 */
import { sha256Hex } from '../core/digest';

/** Signs with the key; verifies in constant time (crypto.subtle.verify). */
export interface SessionKey {
  key: CryptoKey;
}

/** Why the signing key comes from ADMIN_API_KEY when no own secret is set: docs/decisions.md. */
const DERIVATION_LABEL = 'registrar-gateway dashboard session v1';

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function hmacKey(material: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * The session key: DASHBOARD_SESSION_SECRET when set, else an HMAC of a fixed label under
 * ADMIN_API_KEY (so the admin key itself never signs a cookie); undefined with neither.
 */
export async function sessionKeyFrom(
  sessionSecret: string | undefined,
  adminApiKey: string | undefined,
): Promise<SessionKey | undefined> {
  if (sessionSecret) return { key: await hmacKey(encoder.encode(sessionSecret)) };
  if (!adminApiKey) return undefined;
  const derived = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(encoder.encode(adminApiKey)),
    encoder.encode(DERIVATION_LABEL),
  );
  return { key: await hmacKey(new Uint8Array(derived)) };
}

async function mac(key: SessionKey, purpose: string, text: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', key.key, encoder.encode(`${purpose}:${text}`));
  return base64url(new Uint8Array(signature));
}

async function macMatches(key: SessionKey, purpose: string, text: string, given: string): Promise<boolean> {
  const signature = fromBase64url(given);
  if (!signature) return false;
  return crypto.subtle.verify('HMAC', key.key, signature, encoder.encode(`${purpose}:${text}`));
}

/** A key id (UUID) or `admin-<fingerprint>`: what a session or a calendar URL names. */
const KEY_REF = /^[a-z0-9-]{1,80}$/;

/**
 * How the bootstrap ADMIN_API_KEY is named in a session: a fingerprint of its value, so setting a
 * new ADMIN_API_KEY ends the sessions (and calendar URLs) of the old one, as revoking a key does.
 */
export async function adminKeyRef(adminApiKey: string): Promise<string> {
  return `admin-${(await sha256Hex(`${DERIVATION_LABEL}:${adminApiKey}`)).slice(0, 24)}`;
}

export interface SessionClaims {
  keyRef: string;
  /** Unix seconds. */
  expiresAt: number;
}

export async function signSession(key: SessionKey, claims: SessionClaims): Promise<string> {
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(12)));
  const body = `${claims.keyRef}.${claims.expiresAt}.${nonce}`;
  return `${body}.${await mac(key, 'session', body)}`;
}

/** The claims of a session token signed with this key and not expired at `nowSeconds`, else undefined. */
export async function verifySession(
  key: SessionKey,
  token: string,
  nowSeconds: number,
): Promise<SessionClaims | undefined> {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [keyRef, expires, nonce, signature] = parts as [string, string, string, string];
  if (!KEY_REF.test(keyRef) || !/^\d{1,12}$/.test(expires)) return undefined;
  if (!(await macMatches(key, 'session', `${keyRef}.${expires}.${nonce}`, signature))) return undefined;
  const expiresAt = Number(expires);
  return expiresAt > nowSeconds ? { keyRef, expiresAt } : undefined;
}

/** The CSRF token of one session (changes with every sign-in). */
export function csrfTokenFor(key: SessionKey, sessionToken: string): Promise<string> {
  return mac(key, 'csrf', sessionToken);
}

export function csrfTokenMatches(key: SessionKey, sessionToken: string, given: string): Promise<boolean> {
  return macMatches(key, 'csrf', sessionToken, given);
}

/** The secret part of a key's calendar URL: the same for the key's whole life, dead with it. */
export async function calendarToken(key: SessionKey, keyRef: string): Promise<string> {
  return `${keyRef}.${await mac(key, 'calendar', keyRef)}`;
}

/** The key a calendar token names, when the token is genuine. */
export async function calendarKeyRef(key: SessionKey, token: string): Promise<string | undefined> {
  const [keyRef, signature, ...rest] = token.split('.');
  if (!keyRef || !signature || rest.length > 0 || !KEY_REF.test(keyRef)) return undefined;
  return (await macMatches(key, 'calendar', keyRef, signature)) ? keyRef : undefined;
}
