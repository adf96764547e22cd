import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { aLicense, aLicenseRow, aUserRow } from '../plan/support/records.js';

const ID = aLicense().device_id;

function licensesOnly(...rows: unknown[]) {
  return buildSnapshot([], rows);
}

function usersOnly(...rows: unknown[]) {
  return buildSnapshot(rows, []);
}

describe('buildSnapshot with valid records', () => {
  it('keys licenses by device_id and users by username', () => {
    const snapshot = buildSnapshot([aUserRow({ username: 'ana' }), aUserRow({ id: 4, username: 'bia' })], [aLicenseRow({ device_id: 'X1' }), aLicenseRow({ device_id: 'X2' })]);

    expect([...snapshot.users.keys()]).toEqual(['ana', 'bia']);
    expect([...snapshot.licenses.keys()]).toEqual(['X1', 'X2']);
    expect(snapshot.rejected).toEqual([]);
  });

  it('keeps every license field but the server-local row id', () => {
    const row = aLicenseRow({ id: 42 });
    const { id: _id, ...expected } = row;

    expect(licensesOnly(row).licenses.get(ID)).toEqual(expected);
  });

  it('keeps only username, email and role of a user', () => {
    expect(usersOnly(aUserRow({ username: 'ana', email: 'ana@example.com', role: 'admin' })).users.get('ana')).toEqual({
      username: 'ana',
      email: 'ana@example.com',
      role: 'admin',
    });
  });

  it('trims strings and reads the empty string as null', () => {
    const license = licensesOnly(
      aLicenseRow({ device_id: `  ${ID}\t`, owner_name: '  Ana  Souza ', cpf: '', email: '   ', address: ' Rua A, 1 ', features: ' core ', last_hostname: '' }),
    ).licenses.get(ID);

    expect(license).toMatchObject({ device_id: ID, owner_name: 'Ana  Souza', cpf: null, email: null, address: 'Rua A, 1', features: 'core', last_hostname: null });
  });

  it('trims usernames and user emails, reading "" as null', () => {
    const snapshot = usersOnly(aUserRow({ username: ' maria ', email: '' }));

    expect(snapshot.users.get('maria')).toEqual({ username: 'maria', email: null, role: 'user' });
  });

  it.each([
    ['null', null],
    ['the empty string', ''],
    ['blanks', '   '],
  ])('reads a license’s created_by %s as "admin"', (_name, createdBy) => {
    expect(licensesOnly(aLicenseRow({ created_by: createdBy })).licenses.get(ID)?.created_by).toBe('admin');
  });

  it('keeps a real created_by, trimmed', () => {
    expect(licensesOnly(aLicenseRow({ created_by: ' maria ' })).licenses.get(ID)?.created_by).toBe('maria');
  });

  it('accepts null dates, interval and features (vitalicia, old rows)', () => {
    const license = licensesOnly(aLicenseRow({ license_type: 'vitalicia', start_date: null, end_date: null, custom_interval: null, features: null })).licenses.get(ID);

    expect(license).toMatchObject({ start_date: null, end_date: null, custom_interval: null, features: null });
  });

  it('ignores extra fields the contract does not list', () => {
    const snapshot = buildSnapshot([aUserRow({ password_hash: 'x', extra: 1 })], [aLicenseRow({ notes: 'x', nested: { a: 1 } })]);

    expect(snapshot.rejected).toEqual([]);
    expect(snapshot.licenses.get(ID)).not.toHaveProperty('notes');
    expect(snapshot.licenses.get(ID)).not.toHaveProperty('nested');
    expect(snapshot.users.get('maria')).not.toHaveProperty('password_hash');
  });

  it('reads an empty listing as an empty snapshot', () => {
    expect(buildSnapshot([], [])).toEqual({ users: new Map(), licenses: new Map(), rejected: [] });
  });
});

describe('buildSnapshot rejects a damaged license record, naming the field', () => {
  const { status: _status, ...withoutStatus } = aLicenseRow();

  it.each([
    ['missing status', withoutStatus, 'status', ID],
    ['id as a string', aLicenseRow({ id: '7' }), 'id', ID],
    ['a fractional id', aLicenseRow({ id: 7.5 }), 'id', ID],
    ['device_id as a number (no trustworthy key)', aLicenseRow({ device_id: 12345 }), 'device_id', null],
    ['an unknown license_type', aLicenseRow({ license_type: 'semanal' }), 'license_type', ID],
    ['an unknown status', aLicenseRow({ status: 'suspended' }), 'status', ID],
    ['custom_interval "sixty"', aLicenseRow({ custom_interval: 'sixty' }), 'custom_interval', ID],
    ['end_date "31/12/2030"', aLicenseRow({ end_date: '31/12/2030' }), 'end_date', ID],
    ['a start_date that does not exist', aLicenseRow({ start_date: '2025-02-30' }), 'start_date', ID],
    ['device_id null (no key)', aLicenseRow({ device_id: null }), 'device_id', null],
    ['device_id blank (no key)', aLicenseRow({ device_id: '   ' }), 'device_id', null],
    ['owner_name as a number', aLicenseRow({ owner_name: 5 }), 'owner_name', ID],
    ['created_by missing', (({ created_by: _c, ...row }) => row)(aLicenseRow()), 'created_by', ID],
  ])('%s', (_name, row, field, key) => {
    const snapshot = licensesOnly(aLicenseRow({ device_id: 'GOOD' }), row);

    expect(snapshot.rejected).toEqual([{ kind: 'license', key, index: 1, reason: expect.stringMatching(new RegExp(`\\b${field}\\b`)) }]);
    expect([...snapshot.licenses.keys()]).toEqual(['GOOD']);
  });

  it.each([
    ['null', null],
    ['a string', 'garbage'],
    ['an array', [1, 2]],
  ])('that is not an object at all (%s), with no key', (_name, item) => {
    const snapshot = licensesOnly(item);

    expect(snapshot.rejected).toEqual([{ kind: 'license', key: null, index: 0, reason: expect.any(String) }]);
    expect(snapshot.licenses.size).toBe(0);
  });
});

describe('buildSnapshot rejects a damaged user record, naming the field', () => {
  const { username: _username, ...withoutUsername } = aUserRow();

  it.each([
    ['missing username (no key)', withoutUsername, 'username', null],
    ['role 7', aUserRow({ role: 7 }), 'role', 'maria'],
    ['role "owner"', aUserRow({ role: 'owner' }), 'role', 'maria'],
    ['email as an array', aUserRow({ email: ['a@b.c'] }), 'email', 'maria'],
    ['id null', aUserRow({ id: null }), 'id', 'maria'],
  ])('%s', (_name, row, field, key) => {
    const snapshot = usersOnly(aUserRow({ username: 'good' }), row);

    expect(snapshot.rejected).toEqual([{ kind: 'user', key, index: 1, reason: expect.stringMatching(new RegExp(`\\b${field}\\b`)) }]);
    expect([...snapshot.users.keys()]).toEqual(['good']);
  });
});

describe('buildSnapshot with a key listed more than once', () => {
  it('rejects every copy of a duplicated device_id, each at its own index', () => {
    const snapshot = licensesOnly(aLicenseRow({ status: 'active' }), aLicenseRow({ device_id: 'OTHER' }), aLicenseRow({ status: 'blocked' }), aLicenseRow({ id: 9 }));

    expect([...snapshot.licenses.keys()]).toEqual(['OTHER']);
    expect([...snapshot.rejected].sort((a, b) => a.index - b.index)).toEqual(
      [0, 2, 3].map((index) => ({ kind: 'license', key: ID, index, reason: 'device_id listed more than once' })),
    );
  });

  it('counts keys after trimming', () => {
    const snapshot = licensesOnly(aLicenseRow({ device_id: ID }), aLicenseRow({ device_id: ` ${ID} ` }));

    expect(snapshot.licenses.size).toBe(0);
    expect(snapshot.rejected.map((record) => record.key)).toEqual([ID, ID]);
  });

  it('tells keys apart by case (they are exact strings)', () => {
    const snapshot = licensesOnly(aLicenseRow({ device_id: 'abc' }), aLicenseRow({ device_id: 'ABC' }));

    expect([...snapshot.licenses.keys()]).toEqual(['abc', 'ABC']);
  });

  it('rejects every copy of a duplicated username', () => {
    const snapshot = usersOnly(aUserRow({ role: 'user' }), aUserRow({ id: 4, role: 'admin' }));

    expect(snapshot.users.size).toBe(0);
    expect([...snapshot.rejected].sort((a, b) => a.index - b.index)).toEqual([
      { kind: 'user', key: 'maria', index: 0, reason: 'username listed more than once' },
      { kind: 'user', key: 'maria', index: 1, reason: 'username listed more than once' },
    ]);
  });

  it('rejects the readable copy too when the other copy is malformed', () => {
    for (const rows of [
      [aLicenseRow(), aLicenseRow({ status: 'unknown' })],
      [aLicenseRow({ status: 'unknown' }), aLicenseRow()],
    ]) {
      const snapshot = licensesOnly(...rows);

      expect(snapshot.licenses.size).toBe(0);
      expect(snapshot.rejected.map((record) => [record.index, record.key]).sort()).toEqual([
        [0, ID],
        [1, ID],
      ]);
    }
  });

  it('does not mix users and licenses: a username may equal a device_id', () => {
    const snapshot = buildSnapshot([aUserRow({ username: 'X1' })], [aLicenseRow({ device_id: 'X1' })]);

    expect(snapshot.rejected).toEqual([]);
  });
});
