import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { aLicenseRow, aUserRow } from '../plan/support/records.js';

// Keys are read as the server's Python str.strip() leaves them: a key and one
// that differs only by a character the server keeps are two keys.

describe('keys stripped like the server strips them', () => {
  it('keeps a leading or trailing U+FEFF: an ordinary key and its U+FEFF twin are two licenses and two users', () => {
    const snapshot = buildSnapshot(
      [aUserRow({ id: 1, username: 'ana' }), aUserRow({ id: 2, username: '\uFEFFana' })],
      [aLicenseRow({ id: 1, device_id: 'K1' }), aLicenseRow({ id: 2, device_id: '\uFEFFK1' }), aLicenseRow({ id: 3, device_id: 'K1\uFEFF' })],
    );
    expect(snapshot.rejected).toEqual([]);
    expect([...snapshot.licenses.keys()]).toEqual(['K1', '\uFEFFK1', 'K1\uFEFF']);
    expect([...snapshot.users.keys()]).toEqual(['ana', '\uFEFFana']);
  });

  it('strips U+001C to U+001F and U+0085 as the server does, and keeps them inside a key', () => {
    const snapshot = buildSnapshot(
      [aUserRow({ username: '\u001Fbia\u0085' })],
      [aLicenseRow({ id: 1, device_id: '\u001CK2\u001F' }), aLicenseRow({ id: 2, device_id: 'K\u0085\u001F3' }), aLicenseRow({ id: 3, device_id: '\u0085K4 ', owner_name: '\u001Eowner\u0085' })],
    );
    expect(snapshot.rejected).toEqual([]);
    expect([...snapshot.licenses.keys()]).toEqual(['K2', 'K\u0085\u001F3', 'K4']);
    expect(snapshot.licenses.get('K4')?.owner_name).toBe('owner');
    expect([...snapshot.users.keys()]).toEqual(['bia']);
  });
});
