import { OPERATION_KINDS, type Operation } from '../plan/operation.js';
import type { AppliedOperation, RunResult, ServerSummary, TargetResult } from '../outcome/run-result.js';
import { countApplied, summariseDone, summariseFailed, totalOf } from './apply-summary.js';
import { capLines, withRemainder } from './capped-list.js';
import { DRIFT_EXPLANATIONS, summariseDrift } from './drift-summary.js';
import { operationLine, subjectOf } from './operation-label.js';
import { countVerbs, summariseVerbs } from './plan-summary.js';
import { printable } from './printable.js';
import { SKIP_EXPLANATIONS, summariseSkipped } from './skipped-summary.js';
import { conflictDetailText } from './wording/conflict-words.js';
import { OPERATION_KIND_WORDS } from './wording/operation-kind-words.js';
import { driftDetailText } from './wording/drift-words.js';
import { guardMessage } from './wording/guard-words.js';
import { runVerdict, targetVerdict } from './verdict.js';
import { writeTrafficText } from './wording/write-traffic-words.js';

// The run as the operator reads it on stdout: plain text, no colours, in the
// vocabulary of `terraform plan` / `apply`. Sections with nothing to say are
// left out; the verdict is always the last line.

export interface TextReportOptions {
  /** Item lines shown per list before "… and N more" (default 10). */
  readonly maxLinesPerSection?: number;
}

export const DEFAULT_MAX_LINES_PER_SECTION = 10;
/** Examples shown per drift kind (the JSON report keeps a few more). */
export const DRIFT_EXAMPLES_SHOWN = 3;
/** Keys shown per skip reason. */
export const SKIPPED_KEYS_SHOWN = 5;

/** What the per-target sections read: one target's result, or a one-target run as a whole. */
type TargetView = Pick<RunResult, 'command' | 'plan' | 'applied' | 'failures' | 'guards' | 'forcedGuards' | 'verified'>;

export function renderTextReport(result: RunResult, options: TextReportOptions = {}): string {
  const max = options.maxLinesPerSection ?? DEFAULT_MAX_LINES_PER_SECTION;
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxLinesPerSection must be a whole number >= 0, got ${max}`);
  const several = result.targets.length > 1;
  const sections: string[][] = [
    headerSection(result),
    interruptedRunsSection(result),
    readSection(result.servers, max),
    ...(several ? severalTargets(result, max) : targetSections(result, max, relistedOf(result))),
    passwordsSection(result),
    closingSection(result),
  ];
  return joinSections(sections);
}

function joinSections(sections: readonly string[][]): string {
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** The plan, what was written and the verification of one target (or of a one-target run). */
/** What verification re-lists: the backup, or both sides of a two-way run. */
function relistedOf(result: Pick<RunResult, 'mode'>): string {
  return result.mode === 'two-way' ? 'both sides' : 'the backup';
}

function targetSections(view: TargetView, max: number, relisted: string): string[][] {
  const isPlan = view.command === 'plan';
  return [
    forcedGuardsSection(view),
    guardsSection(view),
    planSection(view, max),
    conflictsSection(view, max),
    skippedSection(view, max),
    driftSection(view, max),
    isPlan ? ['plan only; nothing was written'] : appliedSection(view.applied, max),
    failuresSection(view, max),
    isPlan ? [] : verificationSection(view, max, relisted),
  ];
}

/** A run over several backups: failures of the run itself (the primary), then one block per backup. */
function severalTargets(result: RunResult, max: number): string[][] {
  // The run's own failures and guards (the primary's) come first, before the targets'.
  const ownFailures = result.failures.slice(0, result.failures.length - result.targets.reduce((sum, target) => sum + target.failures.length, 0));
  const ownGuards = result.guards.slice(0, result.guards.length - result.targets.reduce((sum, target) => sum + target.guards.length, 0));
  const runLevel = [guardsSection({ guards: ownGuards }), failuresSection({ failures: ownFailures }, max)];
  if (ownFailures.length > 0 || ownGuards.length > 0) return runLevel;
  return result.targets.map((target) => [targetHeading(result.command, target), ...joinSections(targetSections({ ...target, command: result.command }, max, relistedOf(result))).trimEnd().split('\n').map((line) => (line === '' ? '' : `  ${line}`))]);
}

function targetHeading(command: RunResult['command'], target: TargetResult): string {
  return `── ${printable(target.server)} (${printable(target.url)}): ${printable(targetVerdict(command, target))}`;
}

function indent(lines: readonly string[], spaces: number): string[] {
  const pad = ' '.repeat(spaces);
  return lines.map((line) => pad + line);
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function headerSection(result: RunResult): string[] {
  const [primary, ...others] = result.servers;
  const primaryUrl = primary === undefined ? '(no primary)' : printable(primary.url);
  const named = others.length > 1 || result.mode === 'two-way' || others.some((server) => server.name !== 'backup');
  const targets = others.map((server) => (named ? `${printable(server.name)} ${printable(server.url)}` : printable(server.url)));
  if (result.mode === 'two-way') {
    const single = result.targets.length === 1;
    const baseLine = (target: RunResult['targets'][number]) =>
      target.base === null
        ? []
        : [
            `  base${single ? '' : ` of ${printable(target.server)}`}: both sides as recorded ${printable(target.base.recordedAt)}${target.base.runId === null ? '' : ` by run #${target.base.runId}`} (${target.base.mode})`,
          ];
    const bases = result.resync
      ? ["  --resync: no base; the primary's version wins everywhere (a license only a backup lists is blocked there)"]
      : result.targets.flatMap(baseLine);
    return [
      `sync-dbs ${result.command} (two-way): ${primaryUrl} ⇄ ${targets.join(', ')}`,
      `  day ${printable(result.today)}, started ${printable(result.startedAt)}`,
      ...bases,
    ];
  }
  return [`sync-dbs ${result.command}: ${primaryUrl} → ${targets.join(', ')}`, `  day ${printable(result.today)}, started ${printable(result.startedAt)}`];
}

function interruptedRunsSection(result: RunResult): string[] {
  if (result.interruptedRuns.length === 0) return [];
  const lines = result.interruptedRuns.map(
    (run) =>
      `run #${run.id} (pid ${run.pid} on ${printable(run.hostname)}, started ${printable(run.startedAt)}): ` +
      `${run.done} done, ${run.failed} failed, ${run.unknown} sent without an answer, ${run.notSent} never sent`,
  );
  return [
    `Interrupted earlier (${result.interruptedRuns.length}): the process stopped mid-run; this run plans again from what the servers hold now.`,
    ...indent(lines, 2),
  ];
}

function forcedGuardsSection(result: Pick<TargetView, 'forcedGuards'>): string[] {
  if (result.forcedGuards.length === 0) return [];
  return ['Overridden with --force:', ...indent(result.forcedGuards.map((guard) => `${guard.guard}: ${printable(guardMessage(guard))}`), 2)];
}

function readSection(servers: readonly ServerSummary[], max: number): string[] {
  if (servers.length === 0) return [];
  const lines = ['Read:'];
  const width = Math.max(7, ...servers.map((server) => printable(server.name).length));
  for (const server of servers) {
    const account = `as ${printable(server.username)} (role ${server.role ?? 'unknown'}${server.mustChangePassword === true ? ', must change its password' : ''})`;
    const counts =
      server.users === null && server.licenses === null
        ? 'listing not read'
        : `${server.users === null ? 'users not read' : plural(server.users, 'user')}, ${server.licenses === null ? 'licenses not read' : plural(server.licenses, 'license')}, ${server.rejected.length} unreadable`;
    lines.push(`  ${printable(server.name).padEnd(width)} ${printable(server.url)} ${account}: ${counts}; ${plural(server.requests, 'request')}`);
    if (server.writes !== null) lines.push(`    ${writeTrafficText(server.writes)}`);
    const rejected = server.rejected.map((record) => `${record.kind} ${record.key === null ? `#${record.index}` : printable(record.key)}: ${printable(record.reason)}`);
    lines.push(...indent(capLines(rejected, max), 4));
  }
  return lines;
}

function guardsSection(result: Pick<TargetView, 'guards'>): string[] {
  if (result.guards.length === 0) return [];
  return ['Refused before the first write:', ...result.guards.map((refusal) => `  ${refusal.guard}: ${printable(guardMessage(refusal))}`)];
}

/** Operations grouped by kind (in the order they are applied), each group under its heading, each capped. */
function operationGroups(operations: readonly Operation[], max: number): string[] {
  const lines: string[] = [];
  for (const kind of OPERATION_KINDS) {
    const group = operations.filter((operation) => operation.kind === kind);
    if (group.length === 0) continue;
    const { title, note } = OPERATION_KIND_WORDS[kind];
    lines.push(`  ${title} (${group.length})${note === null ? '' : `: ${note}`}`);
    lines.push(...indent(capLines(group.map(operationLine), max), 4));
  }
  return lines;
}

function planSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  if (result.plan === null) return ['Plan: none; the run stopped before planning.'];
  const { operations } = result.plan;
  if (operations.length === 0) return ['Plan: no changes.'];
  return [`Plan: ${summariseVerbs(countVerbs(operations))}.`, ...operationGroups(operations, max)];
}

function conflictsSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  const conflicts = result.plan?.conflicts ?? [];
  if (conflicts.length === 0) return [];
  const lines = conflicts.map(
    (conflict) => `${conflict.kind} license ${printable(conflict.key)}: ${printable(conflictDetailText(conflict))}; ${CONFLICT_RESOLUTION_WORDS[conflict.resolution]}`,
  );
  return [`Conflicts (${conflicts.length}): records the two sides changed in different ways`, ...indent(capLines(lines, max), 2)];
}

/** How a conflict ended (the primary's version can win without --conflict primary: a deletion that may not propagate is restored). */
const CONFLICT_RESOLUTION_WORDS = {
  primary: "the primary's version is now on both sides",
  peer: "the peer's version is now on both sides",
  block: 'the block wins (a block always does)',
  left: 'left as is on both sides (--conflict none)',
} as const;

function skippedSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  const skipped = result.plan?.skipped ?? [];
  if (skipped.length === 0) return [];
  const lines = [`Skipped on purpose (${skipped.length}):`];
  for (const group of summariseSkipped(skipped, Math.min(SKIPPED_KEYS_SHOWN, max))) {
    lines.push(`  ${group.reason} (${group.count}): ${SKIP_EXPLANATIONS[group.reason]}`);
    const keys = group.items.map((item) => `${item.kind} ${printable(item.key)}`);
    lines.push(`    ${withRemainder(keys, group.count).join(', ')}`);
  }
  return lines;
}

function driftSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  const drift = result.plan?.drift ?? [];
  if (drift.length === 0) return [];
  const lines = [`Drift the API cannot repair (${drift.length}):`];
  for (const group of summariseDrift(drift, Math.min(DRIFT_EXAMPLES_SHOWN, max))) {
    lines.push(`  ${group.kind} (${group.count}): ${DRIFT_EXPLANATIONS[group.kind]}`);
    const examples = group.examples.map((item) => `${printable(item.key)}: ${printable(driftDetailText(item))}`);
    lines.push(...indent(withRemainder(examples, group.count), 4));
  }
  return lines;
}

function appliedSection(applied: readonly AppliedOperation[], max: number): string[] {
  if (applied.length === 0) return ['Applied: nothing was written.'];
  const counts = countApplied(applied);
  const done = totalOf(counts.done);
  const failed = totalOf(counts.failed);
  const notSent = totalOf(counts.notSent);
  const unknown = totalOf(counts.unknown);
  const lines = [
    `Applied: ${done} of ${plural(applied.length, 'operation')} done, ${failed} failed` +
      `${unknown > 0 ? `, ${unknown} unknown (no clear answer, not verified)` : ''}${notSent > 0 ? `, ${notSent} not sent (interrupted)` : ''}.`,
  ];
  if (done > 0) lines.push(`  done: ${summariseDone(counts.done)}`);
  if (failed > 0) lines.push(`  failed: ${summariseFailed(counts.failed)}`);
  const notes = applied.flatMap((entry) => (entry.note === null ? [] : [`${subjectOf(entry.operation)} (${entry.status}): ${printable(entry.note)}`]));
  if (notes.length > 0) lines.push('  notes:', ...indent(capLines(notes, max), 4));
  return lines;
}

function failuresSection(result: Pick<TargetView, 'failures'>, max: number): string[] {
  if (result.failures.length === 0) return [];
  const lines = result.failures.map(
    (failure) => `${failure.server} ${printable(failure.endpoint)}${failure.key === null ? '' : ` ${printable(failure.key)}`}: ${printable(failure.reason)}`,
  );
  return [`Failures (${result.failures.length}):`, ...indent(capLines(lines, max), 2)];
}

function verificationSection(result: Pick<TargetView, 'verified' | 'applied'>, max: number, relisted: string): string[] {
  const verified = result.verified;
  if (verified === null) {
    return result.applied.length > 0 ? [`Verification: not done; the run stopped before re-listing ${relisted}.`] : [];
  }
  if (verified.inSync) {
    return [verified.relisted ? `Verified: ${relisted === 'the backup' ? 'backup' : relisted} re-listed, nothing left to do.` : 'Nothing written; the listing already matched.'];
  }
  if (!verified.relisted && verified.remaining.length === 0) return ['Verification: the backup could not be re-listed (see Failures).'];
  const still = `${plural(verified.remaining.length, 'operation')} still needed`;
  const heading = verified.relisted ? `Verification found ${still}:` : `Nothing written; ${still}:`;
  const lines = verified.remaining.map(operationLine);
  return [heading, ...indent(capLines(lines, max), 2)];
}

function passwordsSection(result: RunResult): string[] {
  if (result.newUserPasswordsFile === null) return [];
  return [
    `New users' passwords: ${printable(result.newUserPasswordsFile)}`,
    '  the file is readable only by the operator who ran sync-dbs; hand each password to its user, then delete the file',
  ];
}

function closingSection(result: RunResult): string[] {
  const verdict = printable(runVerdict(result).trim());
  return [`Took ${(result.durationMs / 1000).toFixed(1)} s.`, /^result:/i.test(verdict) ? verdict : `Result: ${verdict}`];
}
