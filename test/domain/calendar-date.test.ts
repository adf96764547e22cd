import { describe, expect, it } from 'vitest';
import { addDays, addMonths, isCalendarDate, licenseEndDate } from '../../src/domain/calendar-date.js';

describe('addMonths', () => {
  it('keeps the day of month when it exists', () => {
    expect(addMonths('2025-03-15', 1)).toBe('2025-04-15');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', 6)).toBe('2025-09-30');
  });

  it('crosses year ends', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-12-01', 1)).toBe('2026-01-01');
  });

  it('turns 29 February into 28 February a year later', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('rejects what is not a calendar date', () => {
    expect(() => addMonths('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('31/01/2025', 1)).toThrow(RangeError);
  });
});

describe('licenseEndDate', () => {
  it.each([
    ['mensal', '2025-01-31', '2025-02-28'],
    ['trimestral', '2025-01-31', '2025-04-30'],
    ['semestral', '2025-08-31', '2026-02-28'],
    ['anual', '2024-02-29', '2025-02-28'],
    ['trianual', '2025-06-15', '2028-06-15'],
  ] as const)('%s from %s ends on %s', (type, start, end) => {
    expect(licenseEndDate(type, start)).toBe(end);
  });

  it('vitalicia never ends', () => {
    expect(licenseEndDate('vitalicia', '2025-06-15')).toBeNull();
  });
});

describe('calendar dates', () => {
  it('recognises real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate(20250101)).toBe(false);
  });

  it('adds days across months', () => {
    expect(addDays('2025-02-27', 2)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});
