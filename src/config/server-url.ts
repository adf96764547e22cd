/**
 * The URL policy for license servers: http or https only, no credentials,
 * query or fragment, plain http only to loopback unless explicitly allowed.
 * Problems never echo credentials found in a URL.
 */
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
    return { url: null, problems: [`must be an absolute http:// or https:// URL, got ${JSON.stringify(redactUrlCredentials(raw))}`] };
  }
  const problems: string[] = [];
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push('must not contain a user name or password; give them as the user and password settings');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push(`must use http or https, got ${JSON.stringify(parsed.protocol.slice(0, -1))}`);
  } else if (parsed.hostname === '') {
    problems.push('must name a host');
  }
  if (parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(raw)) {
    problems.push('must not have a query (?...) or fragment (#...)');
  }
  if (parsed.protocol === 'http:' && !allowInsecureHttp && parsed.hostname !== '' && !isLoopbackHost(parsed.hostname)) {
    problems.push(
      `uses plain http to ${parsed.hostname}, which is not this machine; use https, or --allow-insecure-http (SYNC_DBS_ALLOW_INSECURE_HTTP) to send the password unencrypted`,
    );
  }
  if (problems.length > 0) return { url: null, problems };
  const path = parsed.pathname.replace(/\/+$/, '');
  return { url: `${parsed.protocol}//${parsed.host}${path}`, problems: [] };
}
