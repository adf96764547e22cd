import type { Decision, LicenseStatus } from '../../domain/decision.js';
import { formatNumber, formatTime, t } from '../../i18n/i18n.js';
import type { PolicyNote, RunsLonger, Sides } from '../../plan/reasons.js';

// Words shared by the wording of several families of codes.

/** How a reason names its two servers: by role in a one-way run (`the primary`, `the backup`), by name in a two-way run. */
export function sideWords(sides: Sides): { readonly source: string; readonly target: string } {
  return sides.mode === 'one-way' ? { source: t('wording:side.primary'), target: t('wording:side.backup') } : { source: sides.source, target: sides.target };
}

/**
 * The two servers of a reason with the little words that go before them
 * (`on the backup`, `by the primary`, `of the backup`): a language may fuse
 * them with the article (pt-BR `no backup`, `pelo primário`), so they are
 * looked up whole rather than put together.
 */
export type SidePhrases = {
  readonly source: string;
  readonly target: string;
  readonly onSource: string;
  readonly onTarget: string;
  readonly bySource: string;
  readonly ofTarget: string;
};

export function sidePhrases(sides: Sides): SidePhrases {
  const { source, target } = sideWords(sides);
  if (sides.mode === 'one-way') {
    return {
      source,
      target,
      onSource: t('wording:side.on.primary'),
      onTarget: t('wording:side.on.backup'),
      bySource: t('wording:side.by.primary'),
      ofTarget: t('wording:side.of.backup'),
    };
  }
  return {
    source,
    target,
    onSource: onServer(source),
    onTarget: onServer(target),
    bySource: t('wording:side.by.named', { name: source }),
    ofTarget: t('wording:side.of.named', { name: target }),
  };
}

/** `on render`: a server named in a message. */
export function onServer(name: string): string {
  return t('wording:side.on.named', { name });
}

/** A decision in one word: `blocked`, `expired`, `pending`; `allowed` for an allow. */
export function decisionWord(decision: Decision): string {
  switch (decision) {
    case 'allow':
      return t('wording:decision.allow');
    case 'deny:blocked':
      return t('wording:decision.blocked');
    case 'deny:expired':
      return t('wording:decision.expired');
    case 'deny:pending':
      return t('wording:decision.pending');
  }
}

/** A license's status in one word: `active`, `blocked`, `pending`. */
export function statusWord(status: LicenseStatus): string {
  switch (status) {
    case 'active':
      return t('wording:status.active');
    case 'blocked':
      return t('wording:status.blocked');
    case 'pending':
      return t('wording:status.pending');
  }
}

/** A value as the operator reads it: `none` for null, JSON otherwise (`"a@b.c"`, `30`). */
export function show(value: string | number | null): string {
  return value === null ? t('wording:value.none') : JSON.stringify(value);
}

/** What settles a conflict, in parentheses: `(--conflict primary)`, `(resync)`. */
export function policyNoteText(policy: PolicyNote): string {
  return policy === 'resync' ? '(resync)' : `(--conflict ${policy})`;
}

/** `runs until 2026-06-15 (the primary ends 2025-12-01)`, `never expires (primary ends never)`. */
export function runsLongerText(runs: RunsLonger, sides: Sides): string {
  const until = runs.until === null ? t('wording:runs.never') : t('wording:runs.until', { until: runs.until });
  const { source } = sideWords(sides);
  const end = runs.sourceEnd === null ? t('wording:runs.sourceEndsNever', { source }) : t('wording:runs.sourceEnds', { source, end: runs.sourceEnd });
  return `${until} ${end}`;
}

/** `55%` for 0.55. */
export function ratioText(ratio: number): string {
  return t('wording:percent', { value: formatNumber(Math.round(ratio * 100)) });
}

/** `11%`, `12.5%` (`12,5%` in pt-BR): a share to one decimal at most. */
export function percentText(fraction: number): string {
  return t('wording:percent', { value: formatNumber(Number((fraction * 100).toFixed(1)), { maximumFractionDigits: 1 }) });
}

/** A stored moment (ISO 8601) in the machine's time zone with its offset; the stored text itself when it is not a time. */
export function momentText(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : formatTime(new Date(time));
}

/** The endpoint whose listing a count comes from, so that a refusal names the listing it doubts. */
export const LISTING_ENDPOINT = { licenses: 'GET /admin/devices', users: 'GET /admin/users' } as const;
