import { addDays, addMonths, licenseEndDate, type CalendarDate } from '../../domain/calendar-date.js';
import { LICENSE_PERIOD_MONTHS, type LicenseType } from '../../domain/license-type.js';
import { hashPassword } from '../password-hash.js';
import { createRandom, type Random } from '../random.js';
import {
  asciiSlug,
  CITIES,
  EMAIL_DOMAINS,
  FEATURE_SETS,
  FIRST_NAMES,
  NAME_PARTICLES,
  NEIGHBOURHOODS,
  STREET_NAMES,
  STREET_TYPES,
  SURNAMES,
} from './brazilian-data.js';
import { randomCpf } from './cpf.js';
import { DATASET_FORMAT, type Dataset, type DeviceRow, type UserRow } from './dataset-file.js';

export interface DatasetSpec {
  readonly seed: number;
  readonly licenses: number;
  /** Reseller accounts; default one per ten licenses, between 3 and 1,000. */
  readonly users?: number;
  /** The day the data is relative to (expired, current, long-running licenses). */
  readonly today: CalendarDate;
}

export const MAX_LICENSES = 1_000_000;

/** Every generated reseller's password: the username followed by `-senha`. */
export function generatedUserPassword(username: string): string {
  return `${username}-senha`;
}

export function defaultUserCount(licenses: number): number {
  return Math.min(1000, Math.max(3, Math.round(licenses / 10)));
}

type Status = DeviceRow['status'];

/** How a license relates to `today`; the first rows cover every combination that the sync rules care about. */
interface Profile {
  readonly type: LicenseType;
  readonly status: Status;
  readonly timing: 'current' | 'expired' | 'fresh';
  readonly owner?: 'none' | 'admin';
  readonly emptyCustomer?: boolean;
}

const COVERAGE_PROFILES: readonly Profile[] = [
  { type: 'mensal', status: 'active', timing: 'expired' },
  { type: 'trimestral', status: 'blocked', timing: 'current' },
  { type: 'semestral', status: 'pending', timing: 'current' },
  { type: 'anual', status: 'active', timing: 'fresh' },
  { type: 'trianual', status: 'active', timing: 'fresh' },
  { type: 'vitalicia', status: 'active', timing: 'current' },
  { type: 'anual', status: 'blocked', timing: 'expired' },
  { type: 'mensal', status: 'pending', timing: 'expired' },
  { type: 'anual', status: 'active', timing: 'current', owner: 'none' },
  { type: 'vitalicia', status: 'blocked', timing: 'current', owner: 'admin', emptyCustomer: true },
];

const TYPE_WEIGHTS: readonly [LicenseType, number][] = [
  ['mensal', 25],
  ['trimestral', 10],
  ['semestral', 10],
  ['anual', 35],
  ['trianual', 10],
  ['vitalicia', 10],
];

function weighted<T>(random: Random, options: readonly [T, number][]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (options[options.length - 1] as [T, number])[0];
}

function hex(random: Random, length: number): string {
  let text = '';
  while (text.length < length) text += random.int(0, 0xffff).toString(16).padStart(4, '0');
  return text.slice(0, length);
}

function personName(random: Random): string {
  const parts = [random.pick(FIRST_NAMES)];
  if (random.chance(0.3)) parts.push(random.pick(NAME_PARTICLES));
  parts.push(random.pick(SURNAMES));
  if (random.chance(0.5)) parts.push(random.pick(SURNAMES));
  return parts.join(' ');
}

function emailFor(random: Random, name: string): string {
  const [first, ...rest] = name.split(' ');
  const last = rest.filter((part) => !NAME_PARTICLES.includes(part)).pop() ?? 'cliente';
  return `${asciiSlug(first ?? 'cliente')}.${asciiSlug(last)}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`;
}

function address(random: Random): string {
  const complement = random.chance(0.4) ? `, Apto ${random.int(1, 1504)}` : '';
  const cep = `${random.int(10000, 99999)}-${String(random.int(0, 999)).padStart(3, '0')}`;
  return `${random.pick(STREET_TYPES)} ${random.pick(STREET_NAMES)}, ${random.int(1, 4000)}${complement}, ${random.pick(NEIGHBOURHOODS)}, ${random.pick(CITIES)}, ${cep}`;
}

function timestampWithin(random: Random, today: CalendarDate, daysBack: number): string {
  const day = addDays(today, -random.int(0, daysBack));
  const time = [random.int(0, 23), random.int(0, 59), random.int(0, 59)].map((n) => String(n).padStart(2, '0')).join(':');
  return `${day} ${time}`;
}

/** A start date making the license expired, current, or just started ("fresh"). */
function startDate(random: Random, type: LicenseType, timing: Profile['timing'], today: CalendarDate): CalendarDate {
  if (timing === 'fresh') return today;
  const months = LICENSE_PERIOD_MONTHS[type];
  if (months === null) return addDays(today, -random.int(0, 2000));
  const periodStart = addMonths(today, -months);
  if (timing === 'expired') return addDays(periodStart, -random.int(2, 700));
  const daysInPeriod = Math.max(0, Math.round((Date.parse(today) - Date.parse(periodStart)) / 86_400_000) - 1);
  return addDays(today, -random.int(0, daysInPeriod));
}

function generateUsers(random: Random, count: number, today: CalendarDate): UserRow[] {
  const taken = new Set<string>(['admin']);
  const createdAt = Array.from({ length: count }, () => timestampWithin(random, today, 1100)).sort();
  return createdAt.map((created_at, index) => {
    const name = personName(random);
    let username = `revenda.${asciiSlug(name.split(' ')[0] ?? 'x')}`;
    while (taken.has(username)) username = `revenda.${asciiSlug(name.split(' ')[0] ?? 'x')}${random.int(2, 9999)}`;
    taken.add(username);
    return {
      id: index + 1,
      username,
      // The first two cover what the sync must handle: an admin-role reseller and one without e-mail.
      email: index === 1 || random.chance(0.25) ? null : emailFor(random, name),
      role: index === 0 || random.chance(0.1) ? 'admin' : 'user',
      created_at,
      password_hash: hashPassword(generatedUserPassword(username), hex(random, 16)),
    };
  });
}

function generateDevice(random: Random, id: number, deviceId: string, profile: Profile, owners: readonly string[], today: CalendarDate): DeviceRow {
  const name = personName(random);
  const customer = !profile.emptyCustomer;
  const start = startDate(random, profile.type, profile.timing, today);
  const seen = random.chance(0.7);
  const createdBy =
    profile.owner === 'none' ? null : profile.owner === 'admin' ? 'admin' : owners.length > 0 ? random.pick(owners) : 'admin';
  return {
    id,
    device_id: deviceId,
    owner_name: customer ? name : null,
    cpf: customer && random.chance(0.9) ? randomCpf(random) : null,
    email: customer && random.chance(0.85) ? emailFor(random, name) : null,
    address: customer && random.chance(0.9) ? address(random) : null,
    license_type: profile.type,
    status: profile.status,
    start_date: start,
    end_date: licenseEndDate(profile.type, start),
    custom_interval: random.chance(0.05) ? null : weighted(random, [[60, 80], [30, 8], [120, 8], [240, 4]]),
    features: random.chance(0.05) ? null : random.pick(FEATURE_SETS),
    last_seen_at: seen ? timestampWithin(random, today, 30) : null,
    last_seen_ip: seen ? `${random.pick([177, 179, 186, 189, 191, 200, 201])}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}` : null,
    last_hostname: seen ? (random.chance(0.5) ? `DESKTOP-${hex(random, 7).toUpperCase()}` : `CAIXA-${String(random.int(1, 20)).padStart(2, '0')}`) : null,
    last_version: seen ? `3.${random.int(0, 9)}.${random.int(0, 20)}` : null,
    created_by: createdBy,
  };
}

function randomProfile(random: Random): Profile {
  const type = weighted(random, TYPE_WEIGHTS);
  const status = weighted<Status>(random, [
    ['active', 80],
    ['blocked', 12],
    ['pending', 8],
  ]);
  const timing = type === 'vitalicia' ? 'current' : weighted<Profile['timing']>(random, [['current', 70], ['expired', 25], ['fresh', 5]]);
  const ownerRoll = random.next();
  return { type, status, timing, ...(ownerRoll < 0.08 ? { owner: 'none' } : ownerRoll < 0.25 ? { owner: 'admin' } : {}) };
}

/**
 * A whole server's data, deterministic for a given seed, size and `today`:
 * resellers (with and without e-mail, both roles) and licenses of all six
 * types and three statuses, expired, current and long-running, owned by
 * resellers, by `admin` or by nobody (old rows).
 */
export function generateDataset(spec: DatasetSpec): Dataset {
  if (!Number.isInteger(spec.licenses) || spec.licenses < 0 || spec.licenses > MAX_LICENSES) {
    throw new RangeError(`licenses must be a whole number from 0 to ${MAX_LICENSES}, got ${spec.licenses}`);
  }
  const userCount = spec.users ?? defaultUserCount(spec.licenses);
  if (!Number.isInteger(userCount) || userCount < 0) throw new RangeError(`users must be a whole number, got ${userCount}`);

  const random = createRandom(spec.seed);
  const users = generateUsers(random, userCount, spec.today);
  const owners = users.map((user) => user.username);
  const deviceIds = new Set<string>();
  const devices: DeviceRow[] = [];
  for (let index = 0; index < spec.licenses; index++) {
    let deviceId = hex(random, 32);
    if (random.chance(0.1)) deviceId = deviceId.toUpperCase();
    while (deviceIds.has(deviceId)) deviceId = hex(random, 32);
    deviceIds.add(deviceId);
    const profile = COVERAGE_PROFILES[index] ?? randomProfile(random);
    devices.push(generateDevice(random, index + 1, deviceId, profile, owners, spec.today));
  }
  return {
    format: DATASET_FORMAT,
    admin_users: [{ username: 'admin', password_hash: hashPassword('admin123', hex(random, 16)), must_change_password: true }],
    users,
    devices,
  };
}
