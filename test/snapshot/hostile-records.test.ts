// Listed records a hostile or broken server could send: every field of the
// wrong type, keys that cannot travel in a URL or are absurdly long, and
// members meant to reach an object's prototype.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { MAX_KEY_LENGTH } from '../../src/snapshot/record-key.js';
import { RecordWithRepeatedFields } from '../../src/snapshot/repeated-fields.js';
import { aLicenseRow, aUserRow } from '../plan/support/records.js';

type FieldType = 'integer' | 'nullable integer' | 'string' | 'nullable string' | 'choice';

const LICENSE_FIELDS: Readonly<Record<string, FieldType>> = {
  id: 'integer',
  device_id: 'string',
  owner_name: 'nullable string',
  cpf: 'nullable string',
  email: 'nullable string',
  address: 'nullable string',
  license_type: 'choice',
  status: 'choice',
  start_date: 'nullable string',
  end_date: 'nullable string',
  custom_interval: 'nullable integer',
  features: 'nullable string',
  last_seen_at: 'nullable string',
  last_seen_ip: 'nullable string',
  last_hostname: 'nullable string',
  last_version: 'nullable string',
  created_by: 'nullable string',
};

const USER_FIELDS: Readonly<Record<string, FieldType>> = {
  id: 'integer',
  username: 'string',
  email: 'nullable string',
  role: 'choice',
  created_at: 'nullable string',
};

/** Values of the wrong type for a field of `type`; a missing field (undefined) is wrong for every one. */
function wrongValues(type: FieldType): [string, unknown][] {
  const shared: [string, unknown][] = [
    ['true', true],
    ['an object', { value: 'x' }],
    ['an array', ['x']],
    ['missing', undefined],
  ];
  const numeric: [string, unknown][] = [
    ['a string of digits', '60'],
    ['a fraction', 1.5],
  ];
  switch (type) {
    case 'integer':
      return [...shared, ...numeric, ['null', null]];
    case 'nullable integer':
      return [...shared, ...numeric];
    case 'string':
      return [...shared, ['a number', 7], ['null', null]];
    case 'nullable string':
      return [...shared, ['a number', 7]];
    case 'choice':
      return [...shared, ['a number', 1], ['null', null], ['an unknown choice', 'anything']];
  }
}

function cases(fields: Readonly<Record<string, FieldType>>): [string, string, unknown][] {
  return Object.entries(fields).flatMap(([field, type]) => wrongValues(type).map(([name, value]): [string, string, unknown] => [field, name, value]));
}

/** `row` with `field` set to `value`, or without it when `value` is undefined. */
function withField(row: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const changed = { ...row, [field]: value };
  if (value === undefined) delete changed[field];
  return changed;
}

describe('every field of a listed record, of the wrong type', () => {
  it('the tables cover every field the schemas check', () => {
    expect(Object.keys(LICENSE_FIELDS).sort()).toEqual(Object.keys(aLicenseRow()).sort());
    expect(Object.keys(USER_FIELDS).sort()).toEqual(Object.keys(aUserRow()).sort());
  });

  it.each(cases(LICENSE_FIELDS))('license %s as %s: that record is rejected naming the field, the others are read', (field, _name, value) => {
    const bad = withField(aLicenseRow({ device_id: 'BAD' }), field, value);

    const snapshot = buildSnapshot([], [aLicenseRow({ device_id: 'A' }), bad, aLicenseRow({ device_id: 'B' })]);

    expect([...snapshot.licenses.keys()]).toEqual(['A', 'B']);
    expect(snapshot.rejected).toHaveLength(1);
    expect(snapshot.rejected[0]).toMatchObject({ kind: 'license', index: 1, key: field === 'device_id' ? null : 'BAD' });
    expect(snapshot.rejected[0]?.reason).toMatch(new RegExp(`^${field}: `));
  });

  it.each(cases(USER_FIELDS))('user %s as %s: that record is rejected naming the field, the others are read', (field, _name, value) => {
    const bad = withField(aUserRow({ username: 'bad' }), field, value);

    const snapshot = buildSnapshot([aUserRow({ username: 'ana' }), bad, aUserRow({ username: 'bia' })], []);

    expect([...snapshot.users.keys()]).toEqual(['ana', 'bia']);
    expect(snapshot.rejected).toHaveLength(1);
    expect(snapshot.rejected[0]).toMatchObject({ kind: 'user', index: 1, key: field === 'username' ? null : 'bad' });
    expect(snapshot.rejected[0]?.reason).toMatch(new RegExp(`^${field}: `));
  });

  it.each(['start_date', 'end_date'])('license %s that is a string but not a date is rejected naming it', (field) => {
    expect(buildSnapshot([], [aLicenseRow({ [field]: '15/06/2025' })]).rejected[0]?.reason).toBe(`${field}: is not a YYYY-MM-DD date`);
  });
});

describe('device_ids that cannot be put in a URL path', () => {
  it.each(['.', '..', ' .. '])('%j is rejected, keyed, so that it is left alone on every server', (deviceId) => {
    const key = deviceId.trim();
    const snapshot = buildSnapshot([], [aLicenseRow({ device_id: deviceId }), aLicenseRow({ device_id: 'ok' })]);

    expect([...snapshot.licenses.keys()]).toEqual(['ok']);
    expect(snapshot.rejected).toEqual([{ kind: 'license', key, index: 0, reason: `device_id "${key}": cannot be sent in a URL path (dot segment); left alone` }]);
  });

  it('keeps the dot-segment key of a record that is also damaged otherwise', () => {
    expect(buildSnapshot([], [aLicenseRow({ device_id: '..', status: 7 })]).rejected[0]).toMatchObject({ key: '..', reason: expect.stringMatching(/^status: /) });
  });

  it.each(['...', '.a', 'a.', 'a/..', '%2E%2E'])('%j is an ordinary device_id', (deviceId) => {
    expect([...buildSnapshot([], [aLicenseRow({ device_id: deviceId })]).licenses.keys()]).toEqual([deviceId]);
  });

  it('a username of ".." is an ordinary username (it travels in a request body)', () => {
    expect([...buildSnapshot([aUserRow({ username: '..' })], []).users.keys()]).toEqual(['..']);
  });
});

describe('keys that are not well-formed Unicode', () => {
  it.each([
    ['device_id', '\uD800abc'],
    ['device_id', 'abc\uDC00'],
    ['username', 'ana\uDBFF'],
  ])('a %s with a lone surrogate is rejected without a key', (field, value) => {
    const snapshot = field === 'device_id' ? buildSnapshot([], [aLicenseRow({ device_id: value })]) : buildSnapshot([aUserRow({ username: value })], []);

    expect(snapshot.rejected).toEqual([
      { kind: field === 'device_id' ? 'license' : 'user', key: null, index: 0, reason: `${field}: is not well-formed Unicode (a lone surrogate); it cannot be sent to a server` },
    ]);
  });

  it('a surrogate pair (an emoji) is well-formed', () => {
    expect([...buildSnapshot([], [aLicenseRow({ device_id: 'caixa-😀' })]).licenses.keys()]).toEqual(['caixa-😀']);
  });
});

describe('keys that are too long', () => {
  it(`accepts a key of exactly ${MAX_KEY_LENGTH} characters`, () => {
    const key = 'k'.repeat(MAX_KEY_LENGTH);
    expect([...buildSnapshot([], [aLicenseRow({ device_id: key })]).licenses.keys()]).toEqual([key]);
  });

  it.each([
    ['device_id', 'license'],
    ['username', 'user'],
  ] as const)('rejects a longer %s without a key, giving its length', (field, kind) => {
    const key = 'k'.repeat(MAX_KEY_LENGTH + 1);
    const snapshot = field === 'device_id' ? buildSnapshot([], [aLicenseRow({ device_id: key })]) : buildSnapshot([aUserRow({ username: key })], []);

    expect(snapshot.rejected).toEqual([{ kind, key: null, index: 0, reason: `${field}: is 1001 characters long (at most 1000)` }]);
  });

  it('never carries a 20 MB key into what it reports, whether the record is otherwise valid or not', () => {
    const huge = 'x'.repeat(20 * 1024 * 1024);
    const snapshot = buildSnapshot(
      [aUserRow({ username: huge, role: 'root' })],
      [aLicenseRow({ device_id: huge }), aLicenseRow({ device_id: huge, status: null }), new RecordWithRepeatedFields(aLicenseRow({ device_id: huge }), [{ name: 'status', count: 2 }])],
    );

    expect(snapshot.rejected.map((record) => record.key)).toEqual([null, null, null, null]);
    expect(JSON.stringify(snapshot.rejected).length).toBeLessThan(1_000);
  });
});

describe('members named __proto__ or constructor', () => {
  it('are ignored like any extra member: the record is read, and no prototype is touched', () => {
    const row = JSON.parse(
      `{${JSON.stringify(aLicenseRow({ device_id: 'P' })).slice(1, -1)},"__proto__":{"status":"blocked","polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
    ) as unknown;
    const user = JSON.parse('{"id":1,"username":"ana","email":null,"role":"user","created_at":null,"__proto__":{"role":"admin"}}') as unknown;

    const snapshot = buildSnapshot([user], [row]);

    expect(snapshot.rejected).toEqual([]);
    expect(snapshot.licenses.get('P')?.status).toBe('active');
    expect(snapshot.users.get('ana')?.role).toBe('user');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(snapshot.licenses.get('P'))).toBe(Object.prototype);
  });

  it('cannot stand in for a missing key field', () => {
    const row = JSON.parse(`{${JSON.stringify(aLicenseRow()).slice(1, -1).replace(/"device_id":"[^"]*",/, '')},"__proto__":{"device_id":"P"}}`) as unknown;

    expect(buildSnapshot([], [row]).rejected).toEqual([{ kind: 'license', key: null, index: 0, reason: expect.stringMatching(/^device_id: /) as unknown }]);
  });
});
