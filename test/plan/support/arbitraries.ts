import fc from 'fast-check';
import { addDays, type CalendarDate } from '../../../src/domain/calendar-date.js';
import { LICENSE_STATUSES, type LicenseStatus } from '../../../src/domain/decision.js';
import { LICENSE_TYPES } from '../../../src/domain/license-type.js';
import type { PlanOptions } from '../../../src/plan/plan-types.js';

// Raw listings as the API gives them (not normalised), in pairs that share some
// keys and not others, with values chosen to collide often: equal, equal after
// trimming, "" versus null, null versus "admin", dates on both sides of today.

export type Row = Record<string, unknown>;

export const DAYS_AROUND_TODAY = [-800, -366, -31, -1, 0, 1, 31, 366] as const;

/** License fields in the groups that tend to differ together. */
const LICENSE_FIELD_GROUPS = [
  ['owner_name', 'cpf', 'email', 'address', 'license_type'],
  ['status'],
  ['start_date', 'end_date'],
  ['custom_interval', 'features'],
  ['last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'],
  ['created_by'],
] as const;

const date = (today: CalendarDate): fc.Arbitrary<CalendarDate | null> =>
  fc.option(
    fc.constantFrom(...DAYS_AROUND_TODAY).map((days) => addDays(today, days)),
    { nil: null, freq: 4 },
  );

export function licenseRowFields(today: CalendarDate): fc.Arbitrary<Row> {
  return fc.record({
    owner_name: fc.constantFrom('Ana Souza', ' Ana Souza ', 'Bruno Lima', '', null),
    cpf: fc.constantFrom('123.456.789-09', '987.654.321-00', '', null),
    email: fc.constantFrom('ana@example.com', 'ANA@example.com', '  ', null),
    address: fc.constantFrom('Rua A, 1, Centro', 'Rua A, 1,Centro', null),
    license_type: fc.constantFrom(...LICENSE_TYPES),
    status: fc.constantFrom<LicenseStatus>('active', 'active', ...LICENSE_STATUSES),
    start_date: date(today),
    end_date: date(today),
    custom_interval: fc.constantFrom(60, 30, null),
    features: fc.constantFrom('core', 'core,pdv', null),
    last_seen_at: fc.constantFrom('2025-01-01 10:00:00', null),
    last_seen_ip: fc.constantFrom('10.0.0.1', null),
    last_hostname: fc.constantFrom('CAIXA-01', null),
    last_version: fc.constantFrom('2.4.1', '2.5.0', null),
    created_by: fc.constantFrom(null, 'admin', ' admin ', '', 'maria', 'joao'),
  });
}

type Presence = 'both' | 'primary' | 'backup' | 'neither';
const presence = fc.constantFrom<Presence>('both', 'both', 'primary', 'backup', 'neither');

/**
 * The backup's copy: its own values, except the fields it copies from the
 * primary. Each group of fields is copied whole (most often), in part, or not at all.
 */
function backupCopy(groups: readonly (readonly string[])[], own: fc.Arbitrary<Row>): fc.Arbitrary<(primary: Row) => Row> {
  const copiedGroup = (group: readonly string[]) =>
    fc.oneof(
      { arbitrary: fc.constant([...group]), weight: 3 },
      { arbitrary: fc.subarray([...group]), weight: 1 },
      { arbitrary: fc.constant<string[]>([]), weight: 1 },
    );
  return fc.tuple(own, fc.tuple(...groups.map(copiedGroup))).map(([row, copied]) => (primary: Row) => ({
    ...row,
    ...Object.fromEntries(copied.flat().map((field) => [field, primary[field]])),
  }));
}

export interface ListingPair {
  readonly today: CalendarDate;
  readonly primaryUsers: Row[];
  readonly backupUsers: Row[];
  readonly primaryLicenses: Row[];
  readonly backupLicenses: Row[];
}

const DEVICE_IDS = ['9F86D081884C7D659A2FEAA0C55AD015', 'DEV-0001', 'DEV-0002', 'dev-0002', 'A', 'B', 'C', 'D'];
const USERNAMES = ['maria', 'joao', 'ana', 'Ana', 'bruno'];

export const TODAYS = ['2025-06-15', '2025-01-31', '2024-02-29', '2025-12-31'] as const;

export const listingPair: fc.Arbitrary<ListingPair> = fc.constantFrom(...TODAYS).chain((today) => {
  const license = fc.record({
    where: presence,
    primary: licenseRowFields(today),
    backup: backupCopy(LICENSE_FIELD_GROUPS, licenseRowFields(today)),
    primaryPadding: fc.constantFrom('', ' '),
  });
  const userFields = fc.record({ email: fc.constantFrom('x@example.com', ' x@example.com', 'y@example.com', '', null), role: fc.constantFrom('admin', 'user') });
  const user = fc.record({ where: presence, primary: userFields, backup: backupCopy([['email'], ['role']], userFields) });
  return fc
    .record({
      licenses: fc.tuple(...DEVICE_IDS.map(() => license)),
      users: fc.tuple(...USERNAMES.map(() => user)),
      ids: fc.tuple(...DEVICE_IDS.map(() => fc.integer({ min: 1, max: 10_000 }))),
    })
    .map(({ licenses, users, ids }) => {
      const pair: ListingPair = { today, primaryUsers: [], backupUsers: [], primaryLicenses: [], backupLicenses: [] };
      licenses.forEach((entry, n) => {
        const deviceId = DEVICE_IDS[n] as string;
        const primary = { id: ids[n], device_id: `${entry.primaryPadding}${deviceId}${entry.primaryPadding}`, ...entry.primary };
        const backup = { ...entry.backup(entry.primary), id: n + 1, device_id: deviceId };
        if (entry.where === 'both' || entry.where === 'primary') pair.primaryLicenses.push(primary);
        if (entry.where === 'both' || entry.where === 'backup') pair.backupLicenses.push(backup);
      });
      users.forEach((entry, n) => {
        const username = USERNAMES[n] as string;
        const primary = { id: n + 1, username, created_at: '2025-01-01 00:00:00', ...entry.primary };
        const backup = { id: n + 100, username, created_at: null, ...entry.backup(entry.primary) };
        if (entry.where === 'both' || entry.where === 'primary') pair.primaryUsers.push(primary);
        if (entry.where === 'both' || entry.where === 'backup') pair.backupUsers.push(backup);
      });
      return pair;
    });
});

export const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  newUsers: fc.constantFrom('create' as const, 'skip' as const),
  deleteBackupOnly: fc.boolean(),
});

/** Damage a schema must catch; some keep a readable key, some do not. */
export const LICENSE_DAMAGE: readonly ((row: Row) => Row)[] = [
  ({ status: _dropped, ...row }) => row,
  (row) => ({ ...row, id: String(row.id) }),
  (row) => ({ ...row, device_id: 12345 }),
  (row) => ({ ...row, license_type: 'semanal' }),
  (row) => ({ ...row, custom_interval: 'sixty' }),
  (row) => ({ ...row, end_date: '31/12/2030' }),
  (row) => ({ ...row, device_id: null }),
];

export const USER_DAMAGE: readonly ((row: Row) => Row)[] = [
  ({ username: _dropped, ...row }) => row,
  (row) => ({ ...row, role: 7 }),
  (row) => ({ ...row, email: ['a@b.c'] }),
  (row) => ({ ...row, id: null }),
];

/** Damages or duplicates (with a disagreeing twin) a few rows of a listing. */
export function damaged(rows: readonly Row[], damage: readonly ((row: Row) => Row)[], twinOf: (row: Row) => Row): fc.Arbitrary<Row[]> {
  const change = fc.constantFrom<'keep' | 'damage' | 'duplicate'>('keep', 'keep', 'keep', 'damage', 'duplicate');
  return fc.tuple(...rows.map(() => fc.tuple(change, fc.nat(damage.length - 1)))).map((changes) =>
    rows.flatMap((row, n) => {
      const [what, which] = changes[n] ?? ['keep', 0];
      if (what === 'damage') return [(damage[which] as (row: Row) => Row)(row)];
      if (what === 'duplicate') return [row, twinOf(row)];
      return [row];
    }),
  );
}
