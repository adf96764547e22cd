import { LICENSE_TYPES, LICENSE_PERIOD_MONTHS } from '../domain/license-type.js';
import { addMonths } from '../domain/calendar-date.js';
import { licenseKey } from './operation.js';
import type { DateSpan, DriftItem, Plan } from './plan-types.js';

// The sync's own, unavoidable differences (docs/expected-differences.md): what
// a run right after a good sync still finds different, because the API sets it
// itself on create/upsert, because no call can write it, or because clients
// write it on each server. They are told apart from drift so that an hourly
// report does not repeat thousands of them; nothing here hides a difference a
// client would notice (the answer to /verify is the same on every server).

/** What `POST /admin/devices/create` gives a license it inserts (the contract). */
export const CREATED_CUSTOM_INTERVAL = 60;
export const CREATED_FEATURES = 'core';

export interface DriftSplit {
  /** Differences worth an operator's attention. */
  readonly drift: readonly DriftItem[];
  /** The sync's own differences, in plan order. */
  readonly expected: readonly DriftItem[];
}

/** The plan's drift split in two, each in plan order. */
export function splitDrift(plan: Pick<Plan, 'drift' | 'operations'> | null): DriftSplit {
  if (plan === null) return { drift: [], expected: [] };
  const written = new Set(plan.operations.map((operation) => operation.key));
  const drift: DriftItem[] = [];
  const expected: DriftItem[] = [];
  for (const item of plan.drift) (isExpectedDifference(item, written) ? expected : drift).push(item);
  return { drift, expected };
}

/**
 * True for a difference the sync itself leaves (or that differs by nature).
 * `writtenKeys`: operation keys of the plan (`license:<device_id>`...).
 */
export function isExpectedDifference(item: DriftItem, writtenKeys: ReadonlySet<string>): boolean {
  switch (item.kind) {
    case 'license-telemetry':
      // Written by the clients on whichever server they reach.
      return true;
    case 'license-dates':
      // Create and upsert date the license from the day of the call; no call writes dates.
      return isApiDatedSpan(item.target);
    case 'license-custom-interval':
      return item.target === CREATED_CUSTOM_INTERVAL;
    case 'license-features':
      return item.target === CREATED_FEATURES;
    case 'license-deny-reason':
      // The source denies it as expired or pending, which no call can write: the sync blocks it instead.
      return item.target === 'deny:blocked' && (item.source === 'deny:expired' || item.source === 'deny:pending');
    case 'two-way-differs':
      // Only the status differs and the plan writes nothing to it: both sides give clients the same answer
      // (the block stands for an expiry or a pending state no call can write).
      return (
        item.differs.code === 'tracked' &&
        item.differs.content.length === 0 &&
        item.differs.owner === null &&
        item.differs.status !== null &&
        (item.differs.status.primary === 'blocked' || item.differs.status.peer === 'blocked') &&
        !writtenKeys.has(licenseKey(item.key))
      );
    case 'user-email':
    case 'user-role':
    case 'license-content-while-denied':
      return false;
  }
}

/** Dates as the API sets them on create/upsert: an end one license period after the start, or none (vitalicia). */
function isApiDatedSpan(span: DateSpan): boolean {
  if (span.start === null) return false;
  if (span.end === null) return true;
  const start = span.start;
  return LICENSE_TYPES.some((type) => {
    const months = LICENSE_PERIOD_MONTHS[type];
    return months !== null && addMonths(start, months) === span.end;
  });
}
