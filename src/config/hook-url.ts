import { isLoopbackHost, redactUrlCredentials } from './server-url.js';
import { fail, ok, parseText, type Parsed } from './setting-values.js';

/**
 * A webhook or ping URL. It is kept whole (query included: services put
 * tokens there), and it is a secret: a problem names only its origin.
 * Plain http only to loopback unless insecure http is allowed.
 */
export function parseHookUrl(value: unknown, allowInsecureHttp: boolean): Parsed<string> {
  const text = parseText(value);
  if (!text.ok) return text;
  let parsed: URL;
  try {
    parsed = new URL(text.value.trim());
  } catch {
    return fail('must be an absolute http:// or https:// URL');
  }
  const origin = redactUrlCredentials(`${parsed.protocol}//${parsed.host}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail(`must use https (or http to this machine), got ${parsed.protocol.slice(0, -1)}`);
  if (parsed.hostname === '') return fail('must name a host');
  if (parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname)) {
    return fail(`uses plain http to ${origin}, which is not this machine; use https, or --allow-insecure-http`);
  }
  return ok(parsed.href);
}
