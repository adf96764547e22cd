import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The checks every dashboard request passes, free of the web framework.

/** A fresh random secret (the session cookie's value, the CSRF token), base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal secrets, compared in constant time (digests first, so the length does not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S.*)$/i.exec(authorization ?? '');
  return match?.[1]?.trim() ?? null;
}

/**
 * Whether the browser says the request comes from another site: a
 * `Sec-Fetch-Site` other than same-origin (or none, a typed address); from a
 * browser without that header, an `Origin` other than this server's. A client
 * that sends neither is not a browser page and is let through (the token
 * still applies).
 */
export function isCrossSite(headers: { readonly origin: string | undefined; readonly secFetchSite: string | undefined; readonly host: string | undefined }): boolean {
  const site = headers.secFetchSite?.toLowerCase();
  // Sec-Fetch-* cannot be set by a page; Origin may be `null` on our own form posts under a strict referrer policy.
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (headers.origin === undefined) return false;
  if (headers.host === undefined) return true;
  const origin = headers.origin.toLowerCase();
  const host = headers.host.toLowerCase();
  // https: behind a TLS reverse proxy that keeps the Host header.
  return origin !== `http://${host}` && origin !== `https://${host}`;
}
