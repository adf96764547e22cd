import type { Decision } from '../../domain/decision.js';
import type { PolicyNote, RunsLonger, Sides } from '../../plan/reasons.js';

// Words shared by the wording of several families of codes.

/** How a reason names its two servers: by role in a one-way run (`the primary`, `the backup`), by name in a two-way run. */
export function sideWords(sides: Sides): { readonly source: string; readonly target: string } {
  return sides.mode === 'one-way' ? { source: 'the primary', target: 'the backup' } : { source: sides.source, target: sides.target };
}

/** A decision in one word: `blocked`, `expired`, `pending`; `allowed` for an allow. */
export function decisionWord(decision: Decision): string {
  switch (decision) {
    case 'allow':
      return 'allowed';
    case 'deny:blocked':
      return 'blocked';
    case 'deny:expired':
      return 'expired';
    case 'deny:pending':
      return 'pending';
  }
}

/** A value as the operator reads it: `none` for null, JSON otherwise (`"a@b.c"`, `30`). */
export function show(value: string | number | null): string {
  return value === null ? 'none' : JSON.stringify(value);
}

/** What settles a conflict, in parentheses: `(--conflict primary)`, `(resync)`. */
export function policyNoteText(policy: PolicyNote): string {
  return policy === 'resync' ? '(resync)' : `(--conflict ${policy})`;
}

/** `runs until 2026-06-15 (the primary ends 2025-12-01)`, `never expires (primary ends never)`. */
export function runsLongerText(runs: RunsLonger, sides: Sides): string {
  const until = runs.until === null ? 'never expires' : `runs until ${runs.until}`;
  return `${until} (${sideWords(sides).source} ends ${runs.sourceEnd ?? 'never'})`;
}

/** `55%` for 0.55. */
export function ratioText(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** `11%`, `12.5%`: a share to one decimal at most. */
export function percentText(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/** The endpoint whose listing a count comes from, so that a refusal names the listing it doubts. */
export const LISTING_ENDPOINT = { licenses: 'GET /admin/devices', users: 'GET /admin/users' } as const;
