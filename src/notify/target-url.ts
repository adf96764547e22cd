// Webhook and ping URLs carry their secret token in the path: only the origin
// may ever be shown.

export type PingKind = 'start' | 'success' | 'fail';

/** `scheme://host[:port]` of an http(s) URL (no user info, path or query), or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The URL to ping for `kind`, healthchecks.io style: the base for success,
 * `<base>/start` and `<base>/fail` otherwise, the query string kept in place
 * (`https://hc-ping.com/uuid?create=1` → `https://hc-ping.com/uuid/start?create=1`).
 * Null when the base is not an http(s) URL.
 */
export function pingUrlFor(baseUrl: string, kind: PingKind): string | null {
  if (originOf(baseUrl) === null) return null;
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = kind === 'success' ? path || '/' : `${path}/${kind}`;
  return url.href;
}
