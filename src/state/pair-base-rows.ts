import { createHash, type Hash } from 'node:crypto';
import { isCalendarDate } from '../domain/calendar-date.js';
import { LICENSE_STATUSES } from '../domain/decision.js';
import { LICENSE_TYPES } from '../domain/license-type.js';
import { t } from '../i18n/i18n.js';
import type { BaseLicense } from '../plan/two-way/pair-base.js';

// How a pair base's licenses are stored: one row per license per side, its
// nine fields a JSON array in a fixed order. The checksum is a sha256 over
// the canonical rows, side by side, in code point order of device_id (the
// order of SQLite's BINARY collation, so a reader gets them sorted by the
// primary key).

/** The version of the row format and checksum; bump it when either changes. */
export const PAIR_BASE_FORMAT = 1;

export const BASE_SIDES = ['primary', 'peer'] as const;
export type BaseSide = (typeof BASE_SIDES)[number];

/** The order of the fields in a stored row. Never reorder: add a format version. */
export const BASE_LICENSE_FIELDS = [
  'owner_name',
  'cpf',
  'email',
  'address',
  'license_type',
  'created_by',
  'status',
  'start_date',
  'end_date',
] as const satisfies readonly (keyof BaseLicense)[];

export type EncodedLicense = { readonly ok: true; readonly fields: string } | { readonly ok: false; readonly problem: string };

/** The stored row of a license, or why a base may not hold it (naming the field, never its value). */
export function encodeLicense(license: BaseLicense): EncodedLicense {
  if (typeof license !== 'object' || license === null) return { ok: false, problem: t('state:base.row.notALicense') };
  const fields = [
    license.owner_name,
    license.cpf,
    license.email,
    license.address,
    license.license_type,
    license.created_by,
    license.status,
    license.start_date,
    license.end_date,
  ];
  const problem = fieldsProblem(fields);
  return problem === null ? { ok: true, fields: JSON.stringify(fields) } : { ok: false, problem };
}

export type DecodedLicense = { readonly ok: true; readonly license: BaseLicense } | { readonly ok: false; readonly problem: string };

/** A stored row read back; the problem never quotes the row's contents. */
export function decodeLicense(row: unknown): DecodedLicense {
  if (typeof row !== 'string') return { ok: false, problem: t('state:base.row.notText') };
  let fields: unknown;
  try {
    fields = JSON.parse(row);
  } catch {
    // JSON.parse's message quotes the text: leave it out.
    return { ok: false, problem: t('state:base.row.notJson') };
  }
  const problem = fieldsProblem(fields);
  if (problem !== null) return { ok: false, problem };
  const [owner_name, cpf, email, address, license_type, created_by, status, start_date, end_date] = fields as BaseLicenseTuple;
  return { ok: true, license: { owner_name, cpf, email, address, license_type, created_by, status, start_date, end_date } };
}

type BaseLicenseTuple = [
  BaseLicense['owner_name'],
  BaseLicense['cpf'],
  BaseLicense['email'],
  BaseLicense['address'],
  BaseLicense['license_type'],
  BaseLicense['created_by'],
  BaseLicense['status'],
  BaseLicense['start_date'],
  BaseLicense['end_date'],
];

const LICENSE_TYPE_SET: ReadonlySet<unknown> = new Set(LICENSE_TYPES);
const LICENSE_STATUS_SET: ReadonlySet<unknown> = new Set(LICENSE_STATUSES);

/**
 * Why `fields` is not the nine fields of a license in BASE_LICENSE_FIELDS
 * order; null when it is. Runs for every row saved and loaded: plain index
 * reads, no allocation.
 */
function fieldsProblem(fields: unknown): string | null {
  if (!Array.isArray(fields) || fields.length !== BASE_LICENSE_FIELDS.length) {
    return t('state:base.row.notAnArray', { count: BASE_LICENSE_FIELDS.length });
  }
  for (let index = 0; index < 4; index += 1) {
    const field: unknown = fields[index];
    if (field !== null && typeof field !== 'string') return t('state:base.row.textOrNull', { field: BASE_LICENSE_FIELDS[index] });
  }
  if (!LICENSE_TYPE_SET.has(fields[4])) return t('state:base.row.licenseType');
  if (typeof fields[5] !== 'string') return t('state:base.row.createdBy');
  if (!LICENSE_STATUS_SET.has(fields[6])) return t('state:base.row.status');
  if (!isDateOrNull(fields[7])) return t('state:base.row.date', { field: 'start_date' });
  if (!isDateOrNull(fields[8])) return t('state:base.row.date', { field: 'end_date' });
  return null;
}

/** Dates found valid: licenses share few distinct dates, so most checks are one lookup. */
const knownDates = new Set<string>();
const KNOWN_DATES_MAX = 100_000;

function isDateOrNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'string') return false;
  if (knownDates.has(value)) return true;
  if (!isCalendarDate(value)) return false;
  if (knownDates.size < KNOWN_DATES_MAX) knownDates.add(value);
  return true;
}

/**
 * Orders strings by code point, as SQLite's BINARY collation orders their
 * UTF-8 bytes. (JavaScript's default sort orders UTF-16 code units, which
 * puts characters above U+FFFF before U+E000..U+FFFF.)
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (U+D800..U+DFFF) stand for code points above U+FFFF: move them above U+E000..U+FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const AT_OR_ABOVE_SURROGATES = /[\ud800-\uffff]/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The device_ids in stored order. Throws for one holding a lone surrogate:
 * SQLite would store it as U+FFFD, another device_id than the one given.
 */
export function storedOrder(deviceIds: Iterable<string>, describeSide: string): string[] {
  const keys = [...deviceIds];
  let needsCodePointOrder = false;
  for (const key of keys) {
    if (typeof key !== 'string') throw new Error(t('state:base.sideDeviceIdNotText', { where: describeSide }));
    if (!AT_OR_ABOVE_SURROGATES.test(key)) continue;
    needsCodePointOrder = true;
    if (LONE_SURROGATE.test(key)) throw new Error(t('state:base.sideLoneSurrogate', { where: describeSide, deviceId: quoteForMessage(key) }));
  }
  return needsCodePointOrder ? keys.sort(compareCodePoints) : keys.sort();
}

/** The sha256 of a base's canonical rows, fed side by side in stored order. */
export class RowChecksum {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';

  constructor() {
    this.pending = `sync-dbs pair base ${PAIR_BASE_FORMAT}\n`;
  }

  startSide(side: BaseSide): void {
    this.add(`side ${side}\n`);
  }

  /** `fields` exactly as stored; JSON has no raw newline, and a JSON string ends at its closing quote, so rows cannot run together. */
  addRow(deviceId: string, fields: string): void {
    this.add(`${JSON.stringify(deviceId)} ${fields}\n`);
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  // One update per row costs more than the hashing itself: feed it about 64 KiB at a time.
  private add(text: string): void {
    this.pending += text;
    if (this.pending.length >= 65_536) this.flush();
  }

  private flush(): void {
    this.hash.update(this.pending, 'utf8');
    this.pending = '';
  }
}

/**
 * A device_id (or other text from the database) quoted for a message on one
 * line: JSON quoting, plus escapes for the control, format (bidirectional
 * overrides), private-use and unassigned characters JSON leaves as they are.
 */
export function quoteForMessage(text: string): string {
  return JSON.stringify(text).replace(/[\p{C}\u2028\u2029]/gu, (character) =>
    Array.from({ length: character.length }, (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`).join(''),
  );
}
