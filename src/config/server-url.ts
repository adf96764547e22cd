/**
 * The URL policy for license servers: http or https only, no credentials,
 * query or fragment, plain http only to loopback unless explicitly allowed.
 * Problems never echo credentials found in a URL.
 */
import { t } from '../i18n/i18n.js';

export interface ServerUrlCheck {
  /** The normalised URL, or null when the URL was rejected. */
  readonly url: string | null;
  readonly problems: readonly string[];
}

/** Hides anything between `//` and `@`, where a URL carries credentials. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\/\/[^/?#]*@/g, '//***@');
}

/** localhost, 127.0.0.0/8 and [::1], as the WHATWG URL parser spells hosts. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

export function checkServerUrl(raw: string, allowInsecureHttp: boolean): ServerUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return { url: null, problems: [t('config:url.notUrl', { value: JSON.stringify(redactUrlCredentials(raw)) })] };
  }
  const problems: string[] = [];
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push(t('config:url.credentials'));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push(t('config:url.scheme', { scheme: JSON.stringify(parsed.protocol.slice(0, -1)) }));
  } else if (parsed.hostname === '') {
    problems.push(t('config:url.noHost'));
  }
  if (parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(raw)) {
    problems.push(t('config:url.queryOrFragment'));
  }
  if (parsed.protocol === 'http:' && !allowInsecureHttp && parsed.hostname !== '' && !isLoopbackHost(parsed.hostname)) {
    problems.push(t('config:url.insecure', { host: parsed.hostname }));
  }
  if (problems.length > 0) return { url: null, problems };
  const path = parsed.pathname.replace(/\/+$/, '');
  return { url: `${parsed.protocol}//${parsed.host}${path}`, problems: [] };
}
