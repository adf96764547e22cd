import type { CalendarDate } from './calendar-date.js';
import type { LicenseType } from './license-type.js';

export const LICENSE_STATUSES = ['active', 'blocked', 'pending'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** What `GET /verify` answers a client today: the thing a backup exists to reproduce. */
export type Decision = 'allow' | 'deny:blocked' | 'deny:expired' | 'deny:pending';

export interface DecisionInputs {
  readonly status: LicenseStatus;
  readonly license_type: LicenseType;
  readonly end_date: CalendarDate | null;
}

/** The contract's /verify rules, in its order: blocked, then expired, then pending. */
export function licenseDecision(license: DecisionInputs, today: CalendarDate): Decision {
  if (license.status === 'blocked') return 'deny:blocked';
  if (isExpired(license, today)) return 'deny:expired';
  if (license.status === 'pending') return 'deny:pending';
  return 'allow';
}

export function isExpired(license: Omit<DecisionInputs, 'status'>, today: CalendarDate): boolean {
  return license.license_type !== 'vitalicia' && license.end_date !== null && today > license.end_date;
}

export function allows(decision: Decision): boolean {
  return decision === 'allow';
}
