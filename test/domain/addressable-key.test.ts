import { describe, expect, it } from 'vitest';
import { unaddressableReason } from '../../src/domain/addressable-key.js';

// What the real routing (Werkzeug: `%2F` decoded before matching, a
// `<device_id>` segment without `/`, merged slashes redirected) and our URL
// parsing (dot segments removed) do to a device_id in the path.

describe('unaddressableReason', () => {
  it.each(['ABC/123', 'a//b', 'zz/', '/lead', '/', '//', 'a/b/c', 'x/deactivate', 'a/../b', './x', '%2F/'])('%j has a slash: no path reaches it', (deviceId) => {
    expect(unaddressableReason(deviceId)).toBe('slash');
  });

  it.each(['.', '..'])('%j is a dot segment that URL parsing removes', (deviceId) => {
    expect(unaddressableReason(deviceId)).toBe('dot-segment');
  });

  it('an empty id and a lone surrogate name no path segment', () => {
    expect(unaddressableReason('')).toBe('empty');
    expect(unaddressableReason('ab\uD800')).toBe('lone-surrogate');
  });

  it.each(['ABC123', '...', '.a', 'a.', '%2F', '%2E%2E', 'a b?c#d', '100%', 'back\\slash', 'ação', '😀', '\uFEFFk', 'k\u0085x'])('%j is reachable by its percent-encoded path', (deviceId) => {
    expect(unaddressableReason(deviceId)).toBeNull();
  });
});
