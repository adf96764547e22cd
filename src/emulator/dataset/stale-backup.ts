import { addDays, addMonths, licenseEndDate, type CalendarDate } from '../../domain/calendar-date.js';
import { isExpired, licenseDecision, type Decision } from '../../domain/decision.js';
import { LICENSE_PERIOD_MONTHS, type LicenseType } from '../../domain/license-type.js';
import { hashPassword } from '../password-hash.js';
import { createRandom, type Random } from '../random.js';
import { FEATURE_SETS } from './brazilian-data.js';
import { DATASET_FORMAT, type Dataset, type DeviceRow, type UserRow } from './dataset-file.js';
import { generateDataset, generatedUserPassword } from './generator.js';

// A backup that fell behind its primary in every way the replication rules
// (docs/replication-rules.md) care about: what the demo syncs, and what tests use to
// see each rule at work. Every changed record follows exactly one rule, so the
// plan of a correct sync can be counted in advance (`expectedOperations`): the
// plan of the default sync (the round trip) on its first run, without --delete.

export interface StaleBackupSpec {
  readonly seed: number;
  /** The day the decisions (allow / deny) are judged on: the emulators' day. */
  readonly today: CalendarDate;
}

/** The operation a correct sync plans for a record, `none` when it only reports it. */
export type ExpectedWrite = 'create-user' | 'create-license' | 'update-license' | 'update-created-by' | 'block' | 'activate' | 'none';

interface RuleInfo {
  readonly subject: 'license' | 'user';
  /** How the backup differs, for the operator. */
  readonly description: string;
  /** What the sync must do about it. */
  readonly expected: string;
  readonly write: ExpectedWrite;
  /** The server `write` goes to when it is not the backup. */
  readonly writeTo?: 'primary';
  /** `write` only for the records the backup allows (the others are left as they are). */
  readonly writeIf?: 'backup-allows';
  /** Rows per thousand licenses (or users); at least 2 whenever enough rows qualify. */
  readonly perMille: number;
}

export const STALE_RULES = {
  'license-missing-allowed': {
    subject: 'license',
    description: 'missing on the backup, allowed by the primary',
    expected: 'create',
    write: 'create-license',
    perMille: 40,
  },
  'license-missing-denied': {
    subject: 'license',
    description: 'missing on the backup, denied by the primary',
    expected: 'create, then block',
    write: 'create-license',
    perMille: 20,
  },
  'license-content-changed': {
    subject: 'license',
    description: 'customer data or type differ, allowed by the primary',
    expected: 'upsert',
    write: 'update-license',
    perMille: 25,
  },
  'license-created-by-changed': {
    subject: 'license',
    description: 'only created_by differs',
    expected: 'update-created-by',
    write: 'update-created-by',
    perMille: 15,
  },
  'license-created-by-equivalent': {
    subject: 'license',
    description: 'created_by null on one side, "admin" on the other',
    expected: 'nothing (the same owner)',
    write: 'none',
    perMille: 10,
  },
  'license-whitespace-equivalent': {
    subject: 'license',
    description: 'customer data differ only by surrounding spaces',
    expected: 'nothing (the same after trimming)',
    write: 'none',
    perMille: 5,
  },
  'license-block-blocked': {
    subject: 'license',
    description: 'blocked on the primary, allowed by the backup',
    expected: 'block',
    write: 'block',
    perMille: 8,
  },
  'license-block-pending': {
    subject: 'license',
    description: 'pending on the primary, allowed by the backup',
    expected: 'block',
    write: 'block',
    perMille: 8,
  },
  'license-block-expired': {
    subject: 'license',
    description: 'expired on the primary, current and allowed on the backup',
    expected: 'block',
    write: 'block',
    perMille: 8,
  },
  'license-activate-blocked': {
    subject: 'license',
    description: 'allowed by the primary, blocked on the backup',
    expected: 'activate',
    write: 'activate',
    perMille: 8,
  },
  'license-activate-pending': {
    subject: 'license',
    description: 'allowed by the primary, pending on the backup',
    expected: 'activate',
    write: 'activate',
    perMille: 8,
  },
  'license-redate-expired': {
    subject: 'license',
    description: 'allowed by the primary, expired on the backup',
    expected: 'upsert (re-dated; the backup then runs longer)',
    write: 'update-license',
    perMille: 10,
  },
  'license-content-while-denied': {
    subject: 'license',
    description: 'customer data differ, denied by the primary',
    expected: 'drift reported, never upserted',
    write: 'none',
    perMille: 8,
  },
  'license-dates-only': {
    subject: 'license',
    description: 'only start_date / end_date differ',
    expected: 'no write, drift reported',
    write: 'none',
    perMille: 8,
  },
  'license-interval-only': {
    subject: 'license',
    description: 'only custom_interval differs',
    expected: 'no write, drift reported',
    write: 'none',
    perMille: 8,
  },
  'license-features-only': {
    subject: 'license',
    description: 'only features differ',
    expected: 'no write, drift reported',
    write: 'none',
    perMille: 8,
  },
  'license-telemetry-only': {
    subject: 'license',
    description: 'only last-seen telemetry differs',
    expected: 'no write, drift reported',
    write: 'none',
    perMille: 8,
  },
  'license-backup-only': {
    subject: 'license',
    description: 'exists only on the backup',
    expected: 'kept (no --delete); blocked if allowed, as the primary refuses it',
    write: 'block',
    writeIf: 'backup-allows',
    perMille: 10,
  },
  'user-missing': {
    subject: 'user',
    description: 'reseller missing on the backup',
    expected: 'create (new password to the state dir)',
    write: 'create-user',
    perMille: 100,
  },
  'user-email-differs': {
    subject: 'user',
    description: 'reseller e-mail differs',
    expected: 'drift reported (no API to fix it)',
    write: 'none',
    perMille: 40,
  },
  'user-role-differs': {
    subject: 'user',
    description: 'reseller role differs',
    expected: 'drift reported (no API to fix it)',
    write: 'none',
    perMille: 20,
  },
  'user-backup-only': {
    subject: 'user',
    description: 'reseller exists only on the backup',
    expected: 'created on the primary (new password to the state dir)',
    write: 'create-user',
    writeTo: 'primary',
    perMille: 20,
  },
} as const satisfies Record<string, RuleInfo>;

export type StaleRule = keyof typeof STALE_RULES;
export const STALE_RULE_NAMES = Object.keys(STALE_RULES) as StaleRule[];

export interface StaleBackup {
  readonly dataset: Dataset;
  /** The day its decisions were made for (the spec's). */
  readonly today: CalendarDate;
  /** The keys (device_id or username) each rule was applied to. */
  readonly changes: Readonly<Record<StaleRule, readonly string[]>>;
}

export interface StalenessLine {
  readonly rule: StaleRule;
  readonly subject: 'license' | 'user';
  readonly description: string;
  readonly expected: string;
  readonly count: number;
}

/** A deterministic stale backup of `primary`: the same primary and spec always give the same dataset. */
export function staleBackupOf(primary: Dataset, spec: StaleBackupSpec): Dataset {
  return makeStaleBackup(primary, spec).dataset;
}

/** What each rule did, in the order of STALE_RULES, for the demo to print. */
export function describeStaleness(stale: StaleBackup): StalenessLine[] {
  return STALE_RULE_NAMES.map((rule) => {
    const info: RuleInfo = STALE_RULES[rule];
    return { rule, subject: info.subject, description: info.description, expected: info.expected, count: stale.changes[rule].length };
  });
}

type WriteKind = Exclude<ExpectedWrite, 'none'>;
export type OperationCounts = Record<WriteKind, number>;

export interface ExpectedOperations {
  readonly backup: OperationCounts & {
    /** Of the `create-license` operations, those blocked right after (the primary denies them). */
    readonly createdThenBlocked: number;
  };
  /** The round trip gives the primary what only the backup has and the primary accepts: its resellers. */
  readonly primary: OperationCounts;
}

function noOperations(): OperationCounts {
  return { 'create-user': 0, 'create-license': 0, 'update-license': 0, 'update-created-by': 0, block: 0, activate: 0 };
}

/** The plan the default sync (the round trip, first run, no --delete) makes: operations per server and kind. */
export function expectedOperations(stale: StaleBackup): ExpectedOperations {
  const counts = { backup: noOperations(), primary: noOperations() };
  const onBackup = new Map(stale.dataset.devices.map((row) => [row.device_id, row]));
  const backupAllows = (key: string) => {
    const row = onBackup.get(key);
    return row !== undefined && licenseDecision(row, stale.today) === 'allow';
  };
  for (const rule of STALE_RULE_NAMES) {
    const info: RuleInfo = STALE_RULES[rule];
    if (info.write === 'none') continue;
    const keys = info.writeIf === 'backup-allows' ? stale.changes[rule].filter(backupAllows) : stale.changes[rule];
    counts[info.writeTo ?? 'backup'][info.write] += keys.length;
  }
  return { primary: counts.primary, backup: { ...counts.backup, createdThenBlocked: stale.changes['license-missing-denied'].length } };
}

/**
 * The write requests a correct sync sends, per server and kind: as `expectedOperations`,
 * but each license created for a primary that denies it also counts as a `block`.
 */
export function expectedWrites(stale: StaleBackup): { readonly backup: OperationCounts; readonly primary: OperationCounts } {
  const { primary, backup } = expectedOperations(stale);
  const { createdThenBlocked, ...operations } = backup;
  return { primary, backup: { ...operations, block: operations.block + createdThenBlocked } };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Changes one backup row (a copy of the primary's) so that it follows a rule; false when this row cannot. */
type LicenseChange = (row: Mutable<DeviceRow>, context: ChangeContext) => boolean;

interface ChangeContext {
  readonly random: Random;
  readonly today: CalendarDate;
  readonly resellers: readonly string[];
  /** How many rows the rule changed so far: cycles through a rule's variants. */
  readonly index: number;
}

const CONTENT_FIELDS = ['owner_name', 'email', 'address', 'cpf', 'license_type'] as const;

function alteredText(field: string, value: string | null, random: Random): string | null {
  if (value === null) return field === 'email' ? `novo.contato${random.int(1, 999)}@example.com.br` : `Alterado ${random.int(1, 9999)}`;
  switch (field) {
    case 'cpf':
      // Another 11-digit string; validity does not matter to the server.
      return String((Number(value.replace(/\D/g, '').slice(0, 11) || '0') + random.int(1, 1000)) % 1e11).padStart(11, '0');
    case 'email':
      return value.replace('@', `.antigo${random.int(1, 99)}@`);
    case 'address':
      return `${value.split(',')[0] ?? value}, ${random.int(1, 4000)}, Centro`;
    default:
      // Every other change clears the value: an empty field counts as a difference too.
      return random.chance(0.2) ? null : `${value} Antigo`;
  }
}

function otherType(type: LicenseType, random: Random): LicenseType {
  // Stay away from `vitalicia`: changing whether a license ever ends would change its decision too.
  const options = (['mensal', 'trimestral', 'semestral', 'anual', 'trianual'] as const).filter((t) => t !== type);
  return random.pick(options);
}

/** One content field differs; the backup's decision stays the primary's. */
const changeContent: LicenseChange = (row, { random, index }) => {
  const field = CONTENT_FIELDS[index % CONTENT_FIELDS.length] ?? 'owner_name';
  if (field === 'license_type') {
    if (row.license_type === 'vitalicia') return false;
    row.license_type = otherType(row.license_type, random);
    return true;
  }
  row[field] = alteredText(field, row[field], random);
  return true;
};

const decisionIs =
  (predicate: (decision: Decision) => boolean) =>
  (row: DeviceRow, today: CalendarDate): boolean =>
    predicate(licenseDecision(row, today));
const allowed = decisionIs((d) => d === 'allow');
const denied = decisionIs((d) => d !== 'allow');

/** Dates of a license of `type` that started recently and runs well past `today`. */
function currentDates(type: LicenseType, today: CalendarDate, random: Random): Pick<DeviceRow, 'start_date' | 'end_date'> {
  const start = addDays(today, -random.int(0, 20));
  return { start_date: start, end_date: licenseEndDate(type, start) };
}

/** Dates of a license of `type` whose period ended before `today`. */
function expiredDates(type: LicenseType, today: CalendarDate, random: Random): Pick<DeviceRow, 'start_date' | 'end_date'> {
  const months = LICENSE_PERIOD_MONTHS[type] ?? 12;
  const start = addDays(addMonths(today, -months), -random.int(2, 200));
  return { start_date: start, end_date: licenseEndDate(type, start) };
}

interface LicenseRuleSpec {
  readonly rule: StaleRule;
  readonly qualifies: (row: DeviceRow, today: CalendarDate) => boolean;
  /** Absent for `license-missing-*`: the row is dropped from the backup. */
  readonly change?: LicenseChange;
}

// Rules whose rows are rare come first, so that common rules do not use them up.
const LICENSE_RULES: readonly LicenseRuleSpec[] = [
  {
    rule: 'license-block-pending',
    qualifies: decisionIs((d) => d === 'deny:pending'),
    change: (row) => ((row.status = 'active'), true),
  },
  {
    rule: 'license-block-blocked',
    qualifies: (row) => row.status === 'blocked',
    change: (row, { random, today }) => {
      row.status = 'active';
      if (isExpired(row, today)) Object.assign(row, currentDates(row.license_type, today, random));
      return true;
    },
  },
  {
    rule: 'license-block-expired',
    qualifies: (row, today) => row.status !== 'blocked' && licenseDecision(row, today) === 'deny:expired',
    change: (row, { random, today }) => {
      Object.assign(row, { status: 'active' }, currentDates(row.license_type, today, random));
      return true;
    },
  },
  {
    rule: 'license-content-while-denied',
    qualifies: denied,
    change: changeContent,
  },
  {
    rule: 'license-missing-denied',
    qualifies: denied,
  },
  {
    rule: 'license-activate-blocked',
    qualifies: allowed,
    change: (row) => ((row.status = 'blocked'), true),
  },
  {
    rule: 'license-activate-pending',
    qualifies: allowed,
    change: (row) => ((row.status = 'pending'), true),
  },
  {
    rule: 'license-redate-expired',
    qualifies: (row, today) => allowed(row, today) && row.license_type !== 'vitalicia',
    change: (row, { random, today }) => (Object.assign(row, expiredDates(row.license_type, today, random)), true),
  },
  {
    rule: 'license-created-by-equivalent',
    qualifies: (row) => row.created_by === null || row.created_by === 'admin',
    change: (row) => ((row.created_by = row.created_by === null ? 'admin' : null), true),
  },
  {
    rule: 'license-created-by-changed',
    qualifies: () => true,
    change: (row, { random, resellers, index }) => {
      const owner = row.created_by ?? 'admin';
      const others = resellers.filter((name) => name !== owner);
      // Alternate between a reseller and the administrator (or nobody: null reads as "admin").
      if (owner !== 'admin' && index % 2 === 1) row.created_by = index % 4 === 1 ? 'admin' : null;
      else if (others.length > 0) row.created_by = random.pick(others);
      else return false;
      return true;
    },
  },
  {
    rule: 'license-whitespace-equivalent',
    qualifies: (row) => row.owner_name !== null || row.email !== null,
    change: (row) => {
      if (row.owner_name !== null) row.owner_name = ` ${row.owner_name}  `;
      if (row.email !== null) row.email = `${row.email} `;
      return true;
    },
  },
  {
    rule: 'license-dates-only',
    qualifies: (row, today) => allowed(row, today) && row.start_date !== null,
    change: (row, { random }) => {
      // Later dates: still allowed on the backup, so only the dates differ.
      const shift = random.int(1, 30);
      row.start_date = addDays(row.start_date as CalendarDate, row.end_date === null ? -shift : shift);
      if (row.end_date !== null) row.end_date = addDays(row.end_date, shift);
      return true;
    },
  },
  {
    rule: 'license-interval-only',
    qualifies: () => true,
    change: (row, { random }) => {
      row.custom_interval = row.custom_interval === null ? 60 : random.pick([15, 30, 90, 120, 240].filter((n) => n !== row.custom_interval));
      return true;
    },
  },
  {
    rule: 'license-features-only',
    qualifies: () => true,
    change: (row, { random }) => {
      const others = [...new Set(FEATURE_SETS)].filter((set) => set !== row.features);
      row.features = row.features !== null && random.chance(0.2) ? null : random.pick(others);
      return true;
    },
  },
  {
    rule: 'license-telemetry-only',
    qualifies: () => true,
    change: (row, { random, today }) => {
      row.last_seen_at = `${addDays(today, -random.int(0, 3))} ${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:07`;
      row.last_seen_ip = `10.0.${random.int(0, 255)}.${random.int(1, 254)}`;
      row.last_hostname = `BACKUP-${String(random.int(1, 99)).padStart(2, '0')}`;
      row.last_version = `3.${random.int(0, 9)}.${random.int(21, 40)}`;
      return true;
    },
  },
  {
    rule: 'license-content-changed',
    qualifies: allowed,
    change: changeContent,
  },
  {
    rule: 'license-missing-allowed',
    qualifies: allowed,
  },
];

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function targetCount(rule: StaleRule, population: number): number {
  if (population === 0) return 0;
  return Math.max(2, Math.round((population * STALE_RULES[rule].perMille) / 1000));
}

function emptyChanges(): Record<StaleRule, string[]> {
  return Object.fromEntries(STALE_RULE_NAMES.map((rule) => [rule, []])) as unknown as Record<StaleRule, string[]>;
}

/** The stale backup and, per rule, which keys it changed. */
export function makeStaleBackup(primary: Dataset, spec: StaleBackupSpec): StaleBackup {
  const random = createRandom(spec.seed);
  const changes = emptyChanges();
  const resellers = primary.users.map((user) => user.username);

  // Licenses: each primary row is used by at most one rule.
  const rows: (Mutable<DeviceRow> | null)[] = primary.devices.map((row) => ({ ...row }));
  const used = new Set<number>();
  const order = shuffled(
    primary.devices.map((_, index) => index),
    random,
  );
  for (const { rule, qualifies, change } of LICENSE_RULES) {
    const wanted = targetCount(rule, primary.devices.length);
    for (const index of order) {
      if (changes[rule].length >= wanted) break;
      const original = primary.devices[index];
      if (used.has(index) || original === undefined || !qualifies(original, spec.today)) continue;
      if (change === undefined) {
        rows[index] = null;
      } else {
        const row = { ...original };
        if (!change(row, { random, today: spec.today, resellers, index: changes[rule].length })) continue;
        rows[index] = row;
      }
      used.add(index);
      changes[rule].push(original.device_id);
    }
  }
  const backupOnlyLicenses = extraLicenses(primary, spec, resellers, targetCount('license-backup-only', primary.devices.length));
  changes['license-backup-only'].push(...backupOnlyLicenses.map((row) => row.device_id));
  const devices = [...rows.filter((row): row is DeviceRow => row !== null), ...backupOnlyLicenses].map((row, index) => ({ ...row, id: index + 1 }));

  // Users: missing, e-mail or role differing, and a few only on the backup.
  const userRows: (Mutable<UserRow> | null)[] = primary.users.map((user) => ({ ...user }));
  const userOrder = shuffled(
    primary.users.map((_, index) => index),
    random,
  );
  let next = 0;
  const takeUsers = (rule: StaleRule, apply: (user: Mutable<UserRow>, index: number) => void) => {
    const wanted = targetCount(rule, primary.users.length);
    while (changes[rule].length < wanted && next < userOrder.length) {
      const index = userOrder[next++] as number;
      const user = userRows[index] as Mutable<UserRow>;
      apply(user, index);
      changes[rule].push(user.username);
    }
  };
  takeUsers('user-missing', (_user, index) => (userRows[index] = null));
  takeUsers('user-email-differs', (user) => {
    user.email = user.email === null ? `${user.username}@revenda-antiga.com.br` : user.email.replace('@', '.antigo@');
  });
  takeUsers('user-role-differs', (user) => (user.role = user.role === 'admin' ? 'user' : 'admin'));
  const backupOnlyUsers = extraUsers(primary, spec, random, targetCount('user-backup-only', primary.users.length));
  changes['user-backup-only'].push(...backupOnlyUsers.map((user) => user.username));
  const users = [...userRows.filter((user): user is UserRow => user !== null), ...backupOnlyUsers].map((user, index) => ({ ...user, id: index + 1 }));

  return {
    dataset: { format: DATASET_FORMAT, admin_users: primary.admin_users.map((admin) => ({ ...admin })), users, devices },
    today: spec.today,
    changes,
  };
}

/** Licenses the primary never had (deleted there since, or sold on the backup by mistake). */
function extraLicenses(primary: Dataset, spec: StaleBackupSpec, resellers: readonly string[], count: number): DeviceRow[] {
  if (count === 0) return [];
  const taken = new Set(primary.devices.map((row) => row.device_id));
  const source = generateDataset({ seed: spec.seed + 7919, licenses: count + 10, users: 0, today: spec.today });
  return source.devices
    .filter((row) => !taken.has(row.device_id))
    .slice(0, count)
    .map((row, index) => ({ ...row, created_by: resellers.length > 0 && index % 2 === 0 ? (resellers[index % resellers.length] as string) : 'admin' }));
}

/** Reseller accounts created on the backup only. */
function extraUsers(primary: Dataset, spec: StaleBackupSpec, random: Random, count: number): UserRow[] {
  const taken = new Set([...primary.users, ...primary.admin_users].map((user) => user.username));
  const extra: UserRow[] = [];
  for (let n = 1; extra.length < count; n++) {
    const username = `revenda.somente-backup${n}`;
    if (taken.has(username)) continue;
    extra.push({
      id: 1,
      username,
      email: n % 2 === 0 ? null : `${username}@example.com.br`,
      role: 'user',
      created_at: `${addDays(spec.today, -random.int(1, 90))} 12:00:00`,
      password_hash: hashPassword(generatedUserPassword(username), `backup${spec.seed}x${n}`),
    });
  }
  return extra;
}
