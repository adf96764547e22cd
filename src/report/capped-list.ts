// Long lists are cut to a few lines and say how many were left out.

export const FULL_LIST_HINT = 'use --json for the full list';

/**
 * The first `max` lines, then "… and N more (hint)" for the rest (no
 * parentheses when `hint` is null). The "more" line comes on top of `max`.
 */
export function capLines(lines: readonly string[], max: number, hint: string | null = FULL_LIST_HINT): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), moreLine(lines.length - max, hint)];
}

/** The items already kept from a list of `total`, then "… and N more" when some were left out. */
export function withRemainder(kept: readonly string[], total: number, hint: string | null = null): string[] {
  return total > kept.length ? [...kept, moreLine(total - kept.length, hint)] : [...kept];
}

function moreLine(count: number, hint: string | null): string {
  return `… and ${count} more${hint === null ? '' : ` (${hint})`}`;
}
