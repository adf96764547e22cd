import type { CalendarDate } from '../../../src/domain/calendar-date.js';
import type { Operation } from '../../../src/plan/operation.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { baseFromSnapshots, type PairBase } from '../../../src/plan/two-way/pair-base.js';
import { planTwoWay, type TwoWayOptions } from '../../../src/plan/two-way/plan-two-way.js';
import type { LicenseRecord, RejectedRecord, UserRecord } from '../../../src/snapshot/records.js';
import { aLicense, snapshotOf, TODAY } from './records.js';
import { applyTwoWay, type ServerPair } from './two-way-model.js';

// One license (or a few) on both sides and in the base, planned two-way, for
// examples that read like the rules.

export const PEER = 'render';
export const ID = aLicense().device_id;

export const OPTIONS: TwoWayOptions = { peer: PEER, conflict: 'primary', newUsers: 'create', delete: false, maxDelete: 100 };

/** What each side holds, now or in the base; absent when left out. */
export interface Sides {
  readonly primary?: LicenseRecord | readonly LicenseRecord[];
  readonly peer?: LicenseRecord | readonly LicenseRecord[];
  readonly primaryUsers?: readonly UserRecord[];
  readonly peerUsers?: readonly UserRecord[];
  readonly primaryRejected?: readonly RejectedRecord[];
  readonly peerRejected?: readonly RejectedRecord[];
}

export interface Case {
  /** Null: --resync. */
  readonly base: Sides | null;
  readonly now: Sides;
  readonly options?: Partial<TwoWayOptions>;
  readonly today?: CalendarDate;
}

function list(licenses: LicenseRecord | readonly LicenseRecord[] | undefined): readonly LicenseRecord[] {
  if (licenses === undefined) return [];
  return Array.isArray(licenses) ? (licenses as readonly LicenseRecord[]) : [licenses as LicenseRecord];
}

export function pairOf(sides: Sides): ServerPair {
  return {
    primary: snapshotOf({ licenses: list(sides.primary), users: sides.primaryUsers ?? [], rejected: sides.primaryRejected ?? [] }),
    peer: snapshotOf({ licenses: list(sides.peer), users: sides.peerUsers ?? [], rejected: sides.peerRejected ?? [] }),
  };
}

export function baseOf(sides: Sides): PairBase {
  const pair = pairOf(sides);
  return baseFromSnapshots(pair.primary, pair.peer);
}

/** The same license on both sides: what a converged base holds. */
export function onBoth(license: LicenseRecord | readonly LicenseRecord[]): Sides {
  return { primary: license, peer: license };
}

export function planCase(example: Case): Plan {
  const now = pairOf(example.now);
  return planTwoWay(now.primary, now.peer, example.base === null ? null : baseOf(example.base), { ...OPTIONS, ...example.options }, example.today ?? TODAY);
}

/** The servers after the plan, by the contract's model of them. */
export function afterPlan(example: Case, plan: Plan): ServerPair {
  return applyTwoWay(pairOf(example.now), plan.operations, PEER, example.today ?? TODAY);
}

/** The plan of the run right after this one, with the base it records. */
export function nextPlan(example: Case, plan: Plan): Plan {
  const after = afterPlan(example, plan);
  const next = baseFromSnapshots(after.primary, after.peer);
  return planTwoWay(after.primary, after.peer, next, { ...OPTIONS, ...example.options }, example.today ?? TODAY);
}

/** `server kind` per operation, in plan order. */
export function writes(plan: Plan): string[] {
  return plan.operations.map((operation) => `${operation.server} ${operation.kind}`);
}

export function only(plan: Plan): Operation {
  if (plan.operations.length !== 1) throw new Error(`expected one operation, got ${JSON.stringify(plan.operations, null, 2)}`);
  return plan.operations[0] as Operation;
}
