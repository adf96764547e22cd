import { t } from '../i18n/i18n.js';
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
    return fail(t('config:hook.notUrl'));
  }
  const origin = redactUrlCredentials(`${parsed.protocol}//${parsed.host}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail(t('config:hook.scheme', { scheme: parsed.protocol.slice(0, -1) }));
  if (parsed.hostname === '') return fail(t('config:url.noHost'));
  if (parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname)) {
    return fail(t('config:hook.insecure', { origin }));
  }
  return ok(parsed.href);
}
