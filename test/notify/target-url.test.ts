import { describe, expect, it } from 'vitest';
import { originOf, pingUrlFor } from '../../src/notify/target-url.js';
import { truncate } from '../../src/notify/truncate.js';

describe('pingUrlFor', () => {
  it.each([
    ['https://hc-ping.com/uuid', 'start', 'https://hc-ping.com/uuid/start'],
    ['https://hc-ping.com/uuid', 'fail', 'https://hc-ping.com/uuid/fail'],
    ['https://hc-ping.com/uuid', 'success', 'https://hc-ping.com/uuid'],
    ['https://hc-ping.com/uuid/', 'start', 'https://hc-ping.com/uuid/start'],
    ['https://hc-ping.com/uuid/', 'success', 'https://hc-ping.com/uuid'],
    ['https://hc-ping.com/uuid?create=1', 'start', 'https://hc-ping.com/uuid/start?create=1'],
    ['https://hc-ping.com/uuid/?create=1&x=y', 'fail', 'https://hc-ping.com/uuid/fail?create=1&x=y'],
    ['https://hc-ping.com/uuid?create=1', 'success', 'https://hc-ping.com/uuid?create=1'],
    ['http://127.0.0.1:8000/ping/key/check', 'start', 'http://127.0.0.1:8000/ping/key/check/start'],
  ] as const)('%s pings %s at %s', (base, kind, expected) => {
    expect(pingUrlFor(base, kind)).toBe(expected);
  });

  it.each(['not a url', 'ftp://example.com/x', ''])('%j is not a ping URL', (base) => {
    expect(pingUrlFor(base, 'start')).toBeNull();
  });
});

describe('originOf', () => {
  it.each([
    ['https://discord.com/api/webhooks/1/secret', 'https://discord.com'],
    ['http://user:pass@127.0.0.1:8080/x?token=y', 'http://127.0.0.1:8080'],
    ['https://hooks.slack.com:443/services/T/B/X', 'https://hooks.slack.com'],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });

  it.each(['nope', 'file:///etc/passwd', 'javascript:alert(1)'])('%s has none', (url) => {
    expect(originOf(url)).toBeNull();
  });
});

describe('truncate', () => {
  it('keeps short text, cuts long text to the limit with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 4)).toHaveLength(4);
    expect(truncate('abc', 0)).toBe('');
  });

  it('does not split a surrogate pair', () => {
    expect(truncate('a😀b', 3)).toBe('a…');
  });
});
