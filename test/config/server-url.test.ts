import { describe, expect, it } from 'vitest';
import { checkServerUrl, isLoopbackHost, redactUrlCredentials } from '../../src/config/server-url.js';

describe('checkServerUrl', () => {
  it.each([
    ['https://licenses.example.com', 'https://licenses.example.com'],
    ['https://licenses.example.com/', 'https://licenses.example.com'],
    ['https://licenses.example.com/api/v1///', 'https://licenses.example.com/api/v1'],
    ['HTTPS://LICENSES.Example.COM/Api', 'https://licenses.example.com/Api'],
    ['https://licenses.example.com:443/x', 'https://licenses.example.com/x'],
    ['https://licenses.example.com:8443', 'https://licenses.example.com:8443'],
    ['  https://licenses.example.com  ', 'https://licenses.example.com'],
    ['http://localhost:5000/', 'http://localhost:5000'],
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://127.3.4.5', 'http://127.3.4.5'],
    ['http://[::1]:8080/base/', 'http://[::1]:8080/base'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(checkServerUrl(raw, false)).toEqual({ url: expected, problems: [] });
  });

  it.each([
    ['licenses.example.com', 'must be an absolute http:// or https:// URL, got "licenses.example.com"'],
    ['', 'must be an absolute http:// or https:// URL, got ""'],
    ['ftp://licenses.example.com', 'must use http or https, got "ftp"'],
    ['file:///etc/passwd', 'must use http or https, got "file"'],
    ['https://licenses.example.com/?key=1', 'must not have a query (?...) or fragment (#...)'],
    ['https://licenses.example.com/?', 'must not have a query (?...) or fragment (#...)'],
    ['https://licenses.example.com/#top', 'must not have a query (?...) or fragment (#...)'],
    ['https://admin@licenses.example.com', 'must not contain a user name or password; give them as the user and password settings'],
  ])('rejects %j', (raw, problem) => {
    expect(checkServerUrl(raw, false)).toEqual({ url: null, problems: [problem] });
  });

  it('rejects plain http to other hosts unless insecure http is allowed', () => {
    for (const raw of ['http://licenses.example.com', 'http://10.0.0.5', 'http://128.0.0.1', 'http://localhost.example.com', 'http://[::2]']) {
      const host = new URL(raw).hostname;
      expect(checkServerUrl(raw, false)).toEqual({
        url: null,
        problems: [
          `uses plain http to ${host}, which is not this machine; use https, or --allow-insecure-http (SYNC_DBS_ALLOW_INSECURE_HTTP) to send the password unencrypted`,
        ],
      });
      expect(checkServerUrl(raw, true).url).toBe(raw);
    }
  });

  it('lists every problem of one URL, and never echoes credentials', () => {
    const result = checkServerUrl('ftp://admin:hunter2@licenses.example.com/?a#b', false);
    expect(result.url).toBeNull();
    expect(result.problems).toEqual([
      'must not contain a user name or password; give them as the user and password settings',
      'must use http or https, got "ftp"',
      'must not have a query (?...) or fragment (#...)',
    ]);
    expect(checkServerUrl('https://admin:hunter2@bad host/', false).problems).toEqual([
      'must be an absolute http:// or https:// URL, got "https://***@bad host/"',
    ]);
    expect(JSON.stringify(checkServerUrl('http://u:hunter2@example.com', false))).not.toContain('hunter2');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['126.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['127.0.0.256', false],
    ['example.com', false],
    ['[::ffff:7f00:1]', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('redactUrlCredentials', () => {
  it('hides what sits between // and @', () => {
    expect(redactUrlCredentials('https://a:b@h/x')).toBe('https://***@h/x');
    expect(redactUrlCredentials('https://h/x@y')).toBe('https://h/x@y');
  });
});
