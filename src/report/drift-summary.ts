import { t } from '../i18n/i18n.js';
import { DRIFT_KINDS, type DriftItem, type DriftKind } from '../plan/plan-types.js';
import { aggregate } from './aggregate.js';

// Differences the API cannot repair. A 100,000-license backup may carry a
// drift item per license, so reports show them per kind: a count, a few
// examples and what the kind means.

export interface DriftGroup {
  readonly kind: DriftKind;
  readonly count: number;
  /** The first items of this kind, in plan order. */
  readonly examples: readonly DriftItem[];
}

const EXPLANATIONS = {
  'user-email': () => t('report:drift.explain.user-email'),
  'user-role': () => t('report:drift.explain.user-role'),
  'license-content-while-denied': () => t('report:drift.explain.license-content-while-denied'),
  'license-deny-reason': () => t('report:drift.explain.license-deny-reason'),
  'license-dates': () => t('report:drift.explain.license-dates'),
  'license-custom-interval': () => t('report:drift.explain.license-custom-interval'),
  'license-features': () => t('report:drift.explain.license-features'),
  'license-telemetry': () => t('report:drift.explain.license-telemetry'),
  'two-way-differs': () => t('report:drift.explain.two-way-differs'),
} as const satisfies Record<DriftKind, () => string>;

/** Why each kind is reported and not written, in one line for the operator (current language). */
export function driftExplanation(kind: DriftKind): string {
  return EXPLANATIONS[kind]();
}

const EXPECTED = {
  'user-email': () => t('report:expected.explain.other'),
  'user-role': () => t('report:expected.explain.other'),
  'license-content-while-denied': () => t('report:expected.explain.other'),
  'license-deny-reason': () => t('report:expected.explain.license-deny-reason'),
  'license-dates': () => t('report:expected.explain.license-dates'),
  'license-custom-interval': () => t('report:expected.explain.license-custom-interval'),
  'license-features': () => t('report:expected.explain.license-features'),
  'license-telemetry': () => t('report:expected.explain.license-telemetry'),
  'two-way-differs': () => t('report:expected.explain.two-way-differs'),
} as const satisfies Record<DriftKind, () => string>;

/** Why a kind of the sync's own differences is expected (current language). */
export function expectedExplanation(kind: DriftKind): string {
  return EXPECTED[kind]();
}

/** Groups in {@link DRIFT_KINDS} order, only kinds that occur, each with up to `maxExamples` examples. */
export function summariseDrift(drift: readonly DriftItem[], maxExamples: number): DriftGroup[] {
  return aggregate(drift, (item) => item.kind, DRIFT_KINDS, maxExamples).map(({ group, count, first }) => ({ kind: group, count, examples: first }));
}
