/**
 * Strict parsers for setting values. Values from the environment and .env
 * files are strings; flags and JSON config values may also be typed.
 */
import { t } from '../i18n/i18n.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T>(problem: string): Parsed<T> {
  return { ok: false, problem };
}

/** How a (non-secret) value is quoted in a problem. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number') return JSON.stringify(String(value));
  if (typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return t('config:value.list');
  return t('config:value.ofType', { type: typeof value });
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

function toNumber(value: unknown, pattern: RegExp): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const text = value.trim();
    return pattern.test(text) ? Number(text) : null;
  }
  return null;
}

export function parseInteger(value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const number = toNumber(value, INTEGER_TEXT);
  if (number === null || !Number.isSafeInteger(number) || number < min || number > max) {
    const got = describeValue(value);
    return fail(max === Number.MAX_SAFE_INTEGER ? t('config:integer.atLeast', { min, value: got }) : t('config:integer.range', { min, max, value: got }));
  }
  return ok(number);
}

/** The longest delay Node timers accept, in milliseconds. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A duration in seconds (fractions allowed), returned in whole milliseconds.
 * Without allowZero it must be at least one millisecond; with `minSeconds`, at least that.
 */
export function parseSeconds(value: unknown, options: { readonly allowZero: boolean; readonly minSeconds?: number }): Parsed<number> {
  const minText = options.minSeconds !== undefined ? String(options.minSeconds) : options.allowZero ? '0' : '0.001';
  const maxSeconds = Math.floor(MAX_TIMER_MS / 1000);
  const number = toNumber(value, DECIMAL_TEXT);
  const ms = number === null ? NaN : Math.round(number * 1000);
  const tooSmall = number !== null && options.minSeconds !== undefined && number < options.minSeconds;
  if (number === null || number < 0 || tooSmall || (!options.allowZero && ms < 1) || ms > maxSeconds * 1000) {
    return fail(t('config:seconds', { min: minText, max: maxSeconds, value: describeValue(value) }));
  }
  return ok(ms);
}

export function parseRatio(value: unknown): Parsed<number> {
  const number = toNumber(value, DECIMAL_TEXT);
  if (number === null || number < 0 || number > 1) return fail(t('config:ratio', { value: describeValue(value) }));
  return ok(number);
}

const TRUE_TEXTS = ['true', '1', 'yes'];
const FALSE_TEXTS = ['false', '0', 'no'];

export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (TRUE_TEXTS.includes(text)) return ok(true);
    if (FALSE_TEXTS.includes(text)) return ok(false);
  }
  return fail(t('config:boolean', { value: describeValue(value) }));
}

export function parseChoice<const T extends string>(value: unknown, choices: readonly T[]): Parsed<T> {
  const match = typeof value === 'string' ? choices.find((choice) => choice === value.trim()) : undefined;
  if (match === undefined) return fail(t('config:choice', { choices: choices.join(', '), value: describeValue(value) }));
  return ok(match);
}

/** A non-empty string; the value is quoted in the problem. */
export function parseText(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(t('config:text.notString', { value: describeValue(value) }));
  if (value.trim() === '') return fail(t('config:text.empty'));
  return ok(value);
}

/** A non-empty string that is a secret: the problem never quotes it. */
export function parseSecret(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(t('config:secret.notString'));
  if (value === '') return fail(t('config:text.empty'));
  return ok(value);
}

const INTERVAL_UNITS_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const INTERVAL_TEXT = /^(?:\d+(?:\.\d+)?[smhd])+$/;

/**
 * A time interval such as `90s`, `30m`, `1h`, `1h30m` or `2d` (a bare number
 * is seconds), in milliseconds; at least one second.
 */
export function parseInterval(value: unknown): Parsed<number> {
  const expected = t('config:interval', { value: describeValue(value) });
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (text === null) return fail(expected);
  let ms: number;
  if (DECIMAL_TEXT.test(text)) ms = Number(text) * 1000;
  else if (INTERVAL_TEXT.test(text)) {
    ms = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) ms += Number(amount) * (INTERVAL_UNITS_MS[unit ?? 's'] ?? 0);
  } else return fail(expected);
  ms = Math.round(ms);
  if (!(ms >= 1000) || ms > MAX_TIMER_MS) return fail(expected);
  return ok(ms);
}

/** A comma-separated list of choices, at least one, without repeats. */
export function parseChoiceList<const T extends string>(value: unknown, choices: readonly T[]): Parsed<readonly T[]> {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  const expected = t('config:choiceList', { choices: choices.join(', '), value: describeValue(value) });
  if (items === null) return fail(expected);
  const picked: T[] = [];
  for (const item of items) {
    const match = typeof item === 'string' ? choices.find((choice) => choice === item.trim()) : undefined;
    if (match === undefined) return fail(expected);
    if (!picked.includes(match)) picked.push(match);
  }
  return picked.length === 0 ? fail(expected) : ok(picked);
}

/**
 * A comma-separated list of backup names (or a JSON list of strings), at
 * least one; repeats (ignoring case) are dropped. Whether the names exist is
 * checked by whoever knows the backups.
 */
export function parseNameList(value: unknown): Parsed<readonly string[]> {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  const expected = t('config:nameList', { value: describeValue(value) });
  if (items === null) return fail(expected);
  const names: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || item.trim() === '') return fail(expected);
    const name = item.trim();
    if (!names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names.length === 0 ? fail(expected) : ok(names);
}
