import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar-date.js';
import { allows, isExpired, licenseDecision, type DecisionInputs } from '../../src/domain/decision.js';
import { LICENSE_TYPES } from '../../src/domain/license-type.js';

const TODAY = '2025-06-15';
const YESTERDAY = addDays(TODAY, -1);
const TOMORROW = addDays(TODAY, 1);

function decide(overrides: Partial<DecisionInputs>): string {
  return licenseDecision({ status: 'active', license_type: 'anual', end_date: TOMORROW, ...overrides }, TODAY);
}

describe('licenseDecision, the /verify answer', () => {
  it('allows an active license that has not ended', () => {
    expect(decide({})).toBe('allow');
  });

  it('allows a license on its last day (expired means today is after end_date)', () => {
    expect(decide({ end_date: TODAY })).toBe('allow');
  });

  it('denies a license whose end_date has passed as expired', () => {
    expect(decide({ end_date: YESTERDAY })).toBe('deny:expired');
  });

  it('allows a license without an end_date', () => {
    expect(decide({ end_date: null })).toBe('allow');
  });

  it('never expires a vitalicia license, whatever its end_date', () => {
    expect(decide({ license_type: 'vitalicia', end_date: '2000-01-01' })).toBe('allow');
  });

  it.each(LICENSE_TYPES.filter((type) => type !== 'vitalicia'))('expires a %s license after its end_date', (type) => {
    expect(decide({ license_type: type, end_date: YESTERDAY })).toBe('deny:expired');
  });

  it('denies a blocked license as blocked', () => {
    expect(decide({ status: 'blocked' })).toBe('deny:blocked');
  });

  it('denies a pending license as pending', () => {
    expect(decide({ status: 'pending' })).toBe('deny:pending');
  });

  it('checks blocked before expired', () => {
    expect(decide({ status: 'blocked', end_date: YESTERDAY })).toBe('deny:blocked');
  });

  it('checks expired before pending', () => {
    expect(decide({ status: 'pending', end_date: YESTERDAY })).toBe('deny:expired');
  });

  it('compares whole dates across months and years', () => {
    expect(licenseDecision({ status: 'active', license_type: 'mensal', end_date: '2024-12-31' }, '2025-01-01')).toBe('deny:expired');
    expect(licenseDecision({ status: 'active', license_type: 'mensal', end_date: '2025-10-01' }, '2025-09-30')).toBe('allow');
  });
});

describe('isExpired', () => {
  it('ignores the status', () => {
    expect(isExpired({ license_type: 'anual', end_date: YESTERDAY }, TODAY)).toBe(true);
    expect(isExpired({ license_type: 'anual', end_date: TODAY }, TODAY)).toBe(false);
    expect(isExpired({ license_type: 'vitalicia', end_date: YESTERDAY }, TODAY)).toBe(false);
    expect(isExpired({ license_type: 'anual', end_date: null }, TODAY)).toBe(false);
  });
});

describe('allows', () => {
  it('is true for allow only', () => {
    expect(allows('allow')).toBe(true);
    expect(allows('deny:blocked')).toBe(false);
    expect(allows('deny:expired')).toBe(false);
    expect(allows('deny:pending')).toBe(false);
  });
});
