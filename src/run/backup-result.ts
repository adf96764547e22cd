import { exitCodeFor, worstOutcome } from '../outcome/outcome.js';
import type { TargetResult, Verification } from '../outcome/run-result.js';
import type { Plan } from '../plan/plan-types.js';
import { t } from '../i18n/i18n.js';

// A round trip runs two steps per backup (its work gathered into the primary,
// then the result spread to it); the report shows one result per backup.

/** The results of one backup's steps, in the order they ran, as one. */
export function backupResult(steps: readonly TargetResult[]): TargetResult {
  const [first, ...rest] = steps;
  if (first === undefined) throw new Error(t('run:backup.noSteps'));
  if (rest.length === 0) return first;
  const outcome = worstOutcome(steps.map((step) => step.outcome));
  const last = steps.at(-1) ?? first;
  return {
    server: first.server,
    url: first.url,
    outcome,
    exitCode: exitCodeFor(outcome),
    plan: joinedPlan(steps),
    applied: steps.flatMap((step) => step.applied),
    failures: steps.flatMap((step) => step.failures),
    // Both steps guard the primary's listing: one refusal or override, not one per step.
    guards: once(steps.flatMap((step) => step.guards)),
    forcedGuards: once(steps.flatMap((step) => step.forcedGuards)),
    verified: joinedVerification(steps),
    base: first.base ?? last.base,
    baseRecorded: last.baseRecorded,
  };
}

/** The items, each equal one once. */
function once<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function joinedPlan(steps: readonly TargetResult[]): Plan | null {
  const plans = steps.flatMap((step) => (step.plan === null ? [] : [step.plan]));
  if (plans.length === 0) return null;
  return {
    operations: plans.flatMap((plan) => plan.operations),
    skipped: once(plans.flatMap((plan) => plan.skipped)),
    drift: once(plans.flatMap((plan) => plan.drift)),
    conflicts: once(plans.flatMap((plan) => plan.conflicts)),
  };
}

/** A step that did not verify (it ended early) leaves the backup's verification to the ones that did; any unverified step makes it not in sync. */
function joinedVerification(steps: readonly TargetResult[]): Verification | null {
  const verified = steps.flatMap((step) => (step.verified === null ? [] : [step.verified]));
  if (verified.length === 0) return null;
  return {
    inSync: verified.length === steps.length && verified.every((entry) => entry.inSync),
    relisted: verified.some((entry) => entry.relisted),
    remaining: verified.flatMap((entry) => entry.remaining),
  };
}
