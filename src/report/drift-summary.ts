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

/** Why each kind is reported and not written, in one line for the operator. */
export const DRIFT_EXPLANATIONS: Readonly<Record<DriftKind, string>> = {
  'user-email': "the user's email differs; no endpoint changes a user once created",
  'user-role': "the user's role differs; no endpoint changes a user once created",
  'license-content-while-denied':
    'content differs but the primary denies the license; an upsert would re-open it on the backup, so it is left as is',
  'license-deny-reason':
    'denied on both servers for different reasons; clients are refused either way, and no endpoint sets pending or the dates',
  'license-dates': 'dates differ; no endpoint writes them and an upsert would re-date the license and e-mail the customer',
  'license-custom-interval': 'custom_interval differs; no endpoint writes it',
  'license-features': 'features differ; no endpoint writes them',
  'license-telemetry': 'last-seen fields differ; clients write them on whichever server they reach, so this is expected',
  'two-way-differs': 'differs between the sides and neither changed it since the base; left as is',
};

/** Groups in {@link DRIFT_KINDS} order, only kinds that occur, each with up to `maxExamples` examples. */
export function summariseDrift(drift: readonly DriftItem[], maxExamples: number): DriftGroup[] {
  return aggregate(drift, (item) => item.kind, DRIFT_KINDS, maxExamples).map(({ group, count, first }) => ({ kind: group, count, examples: first }));
}
