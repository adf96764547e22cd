import { formatNumber, t } from '../i18n/i18n.js';
import { OPERATION_KINDS, type Operation } from '../plan/operation.js';
import type { DriftItem } from '../plan/plan-types.js';
import { splitDrift } from '../plan/expected-differences.js';
import { welcomeEmailsByServer } from '../plan/welcome-emails.js';
import type { AppliedOperation, RunResult, ServerSummary, TargetResult } from '../outcome/run-result.js';
import { countApplied, summariseDone, summariseFailed, totalOf } from './apply-summary.js';
import { capLines, withRemainder } from './capped-list.js';
import { driftExplanation, expectedExplanation, summariseDrift } from './drift-summary.js';
import { operationLine, subjectOf } from './operation-label.js';
import { countVerbs, summariseVerbs } from './plan-summary.js';
import { printable } from './printable.js';
import { skipExplanation, summariseSkipped } from './skipped-summary.js';
import { conflictDetailText } from './wording/conflict-words.js';
import { OPERATION_KIND_WORDS } from './wording/operation-kind-words.js';
import { driftDetailText } from './wording/drift-words.js';
import { guardMessage } from './wording/guard-words.js';
import { runVerdict, targetVerdict } from './verdict.js';
import { writeTrafficText } from './wording/write-traffic-words.js';

// The run as the operator reads it on stdout every hour: plain text, no
// colours, in the vocabulary of `terraform plan` / `apply`. The verdict comes
// first, then what the run read, planned and wrote; sections with nothing to
// say are left out. Drift is one line per kind (examples with --verbose), and
// the sync's own differences (docs/expected-differences.md) one line in all.

export interface TextReportOptions {
  /** Item lines shown per list before "… and N more" (default 10). */
  readonly maxLinesPerSection?: number;
  /** Examples under each kind of drift and of the sync's own differences (`--verbose`). */
  readonly verbose?: boolean;
}

export const DEFAULT_MAX_LINES_PER_SECTION = 10;
/** Examples shown per drift kind under --verbose (the JSON report keeps a few more). */
export const DRIFT_EXAMPLES_SHOWN = 3;
/** Keys shown per skip reason. */
export const SKIPPED_KEYS_SHOWN = 5;

/** Where the sync's own differences are explained once. */
export const EXPECTED_DIFFERENCES_DOC = 'docs/expected-differences.md';

/** What the per-target sections read: one target's result, or a one-target run as a whole. */
type TargetView = Pick<RunResult, 'command' | 'plan' | 'applied' | 'failures' | 'guards' | 'forcedGuards' | 'verified'>;

interface Layout {
  readonly max: number;
  readonly verbose: boolean;
}

export function renderTextReport(result: RunResult, options: TextReportOptions = {}): string {
  const max = options.maxLinesPerSection ?? DEFAULT_MAX_LINES_PER_SECTION;
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxLinesPerSection must be a whole number >= 0, got ${max}`);
  const layout: Layout = { max, verbose: options.verbose === true };
  const several = result.targets.length > 1;
  const sections: string[][] = [
    verdictSection(result),
    headerSection(result),
    welcomeEmailsSection(result),
    interruptedRunsSection(result),
    readSection(result.servers, max),
    ...(several ? severalTargets(result, layout) : targetSections(result, layout, relistedOf(result))),
    passwordsSection(result),
  ];
  return joinSections(sections);
}

function joinSections(sections: readonly string[][]): string {
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** What verification re-lists: the backup, or both sides of a two-way run. */
function relistedOf(result: Pick<RunResult, 'mode'>): 'backup' | 'bothSides' {
  return result.mode === 'two-way' ? 'bothSides' : 'backup';
}

/** The plan, what was written and the verification of one target (or of a one-target run). */
function targetSections(view: TargetView, layout: Layout, relisted: 'backup' | 'bothSides'): string[][] {
  const isPlan = view.command === 'plan';
  const { max } = layout;
  const { drift, expected } = splitDrift(view.plan);
  return [
    forcedGuardsSection(view),
    guardsSection(view),
    planSection(view, max),
    conflictsSection(view, max),
    skippedSection(view, max),
    driftSection(drift, layout),
    expectedSection(expected, layout),
    isPlan ? [t('report:planOnly')] : appliedSection(view.applied, view.verified, max),
    failuresSection(view, max),
    isPlan ? [] : verificationSection(view, max, relisted),
  ];
}

/** A run over several backups: failures of the run itself (the primary), then one block per backup. */
function severalTargets(result: RunResult, layout: Layout): string[][] {
  // The run's own failures and guards (the primary's) come first, before the targets'.
  const ownFailures = result.failures.slice(0, result.failures.length - result.targets.reduce((sum, target) => sum + target.failures.length, 0));
  const ownGuards = result.guards.slice(0, result.guards.length - result.targets.reduce((sum, target) => sum + target.guards.length, 0));
  const runLevel = [guardsSection({ guards: ownGuards }), failuresSection({ failures: ownFailures }, layout.max)];
  if (ownFailures.length > 0 || ownGuards.length > 0) return runLevel;
  return result.targets.map((target) => [
    targetHeading(result.command, target),
    ...joinSections(targetSections({ ...target, command: result.command }, layout, relistedOf(result)))
      .trimEnd()
      .split('\n')
      .map((line) => (line === '' ? '' : `  ${line}`)),
  ]);
}

function targetHeading(command: RunResult['command'], target: TargetResult): string {
  return `── ${printable(target.server)} (${printable(target.url)}): ${printable(targetVerdict(command, target))}`;
}

/**
 * A moment for `{{at, time}}`: the time itself, or, when a recorded time does
 * not parse, its text as it is (on one line).
 */
function moment(iso: string): Date | { toString(): string } {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? { toString: () => printable(iso) } : date;
}

function indent(lines: readonly string[], spaces: number): string[] {
  const pad = ' '.repeat(spaces);
  return lines.map((line) => pad + line);
}

function verdictSection(result: RunResult): string[] {
  return [t('report:result', { verdict: printable(runVerdict(result).trim()) })];
}

function headerSection(result: RunResult): string[] {
  const [primary, ...others] = result.servers;
  const primaryUrl = primary === undefined ? t('report:header.noPrimary') : printable(primary.url);
  const named = others.length > 1 || result.mode === 'two-way' || others.some((server) => server.name !== 'backup');
  const targets = others.map((server) => (named ? `${printable(server.name)} ${printable(server.url)}` : printable(server.url)));
  const seconds = formatNumber(result.durationMs / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const when = `  ${t('report:header.when', { day: printable(result.today), at: moment(result.startedAt), seconds })}`;
  if (result.mode === 'two-way') {
    const single = result.targets.length === 1;
    const baseLine = (target: RunResult['targets'][number]) => {
      if (target.base === null) return [];
      const values = { at: moment(target.base.recordedAt), mode: target.base.mode, server: printable(target.server), runId: target.base.runId };
      const key = single
        ? target.base.runId === null
          ? 'report:header.base'
          : 'report:header.baseByRun'
        : target.base.runId === null
          ? 'report:header.baseOf'
          : 'report:header.baseOfByRun';
      return [`  ${t(key, values)}`];
    };
    const bases = result.resync ? [`  ${t('report:header.resync')}`] : result.targets.flatMap(baseLine);
    return [t('report:header.twoWay', { command: result.command, primary: primaryUrl, targets: targets.join(', ') }), when, ...bases];
  }
  return [t('report:header.oneWay', { command: result.command, primary: primaryUrl, targets: targets.join(', ') }), when];
}

/**
 * How many welcome e-mails each server may send (the contract: every create or
 * upsert with an e-mail, where e-mail is configured): for a plan, what the
 * writes would cause; for a sync, what the writes sent did.
 */
function welcomeEmailsSection(result: RunResult): string[] {
  const operations =
    result.command === 'plan'
      ? (result.plan?.operations ?? [])
      : result.applied.filter((applied) => applied.status === 'done' || applied.status === 'unknown').map((applied) => applied.operation);
  const byServer = welcomeEmailsByServer(operations);
  if (byServer.size === 0) return [];
  const key = result.command === 'plan' ? 'report:welcome.maySend' : 'report:welcome.mayHaveSent';
  return [...byServer].map(([server, count]) => t(key, { server: printable(server), count }));
}

function interruptedRunsSection(result: RunResult): string[] {
  if (result.interruptedRuns.length === 0) return [];
  const lines = result.interruptedRuns.map((run) =>
    t('report:interrupted.run', {
      runId: run.id,
      pid: run.pid,
      host: printable(run.hostname),
      at: moment(run.startedAt),
      done: run.done,
      failed: run.failed,
      unknown: run.unknown,
      notSent: run.notSent,
    }),
  );
  return [t('report:interrupted.heading', { count: result.interruptedRuns.length }), ...indent(lines, 2)];
}

function forcedGuardsSection(result: Pick<TargetView, 'forcedGuards'>): string[] {
  if (result.forcedGuards.length === 0) return [];
  return [t('report:forcedGuards'), ...indent(result.forcedGuards.map((guard) => `${guard.guard}: ${printable(guardMessage(guard))}`), 2)];
}

function readSection(servers: readonly ServerSummary[], max: number): string[] {
  if (servers.length === 0) return [];
  const lines = [t('report:read.heading')];
  const width = Math.max(7, ...servers.map((server) => printable(server.name).length));
  for (const server of servers) {
    const role = server.role ?? t('report:read.unknownRole');
    const account =
      server.mustChangePassword === true
        ? t('report:read.accountMustChange', { user: printable(server.username), role })
        : t('report:read.account', { user: printable(server.username), role });
    const counts =
      server.users === null && server.licenses === null
        ? t('report:read.notRead')
        : t('report:read.counts', {
            users: server.users === null ? t('report:read.usersNotRead') : t('report:count.users', { count: server.users }),
            licenses: server.licenses === null ? t('report:read.licensesNotRead') : t('report:count.licenses', { count: server.licenses }),
            unreadable: server.rejected.length,
          });
    const requests = t('report:read.requests', { count: server.requests });
    lines.push(`  ${printable(server.name).padEnd(width)} ${printable(server.url)} ${account}: ${counts}; ${requests}`);
    if (server.writes !== null) lines.push(`    ${writeTrafficText(server.writes)}`);
    const rejected = server.rejected.map(
      (record) => `${t(`report:label.${record.kind}`, { key: record.key === null ? `#${record.index}` : printable(record.key) })}: ${printable(record.reason)}`,
    );
    lines.push(...indent(capLines(rejected, max), 4));
  }
  return lines;
}

function guardsSection(result: Pick<TargetView, 'guards'>): string[] {
  if (result.guards.length === 0) return [];
  return [t('report:guards.heading'), ...result.guards.map((refusal) => `  ${refusal.guard}: ${printable(guardMessage(refusal))}`)];
}

/** Operations grouped by kind (in the order they are applied), each group under its heading, each capped. */
function operationGroups(operations: readonly Operation[], max: number): string[] {
  const lines: string[] = [];
  for (const kind of OPERATION_KINDS) {
    const group = operations.filter((operation) => operation.kind === kind);
    if (group.length === 0) continue;
    const { title, note } = OPERATION_KIND_WORDS[kind];
    lines.push(`  ${title} (${formatNumber(group.length)})${note === null ? '' : `: ${note}`}`);
    lines.push(...indent(capLines(group.map(operationLine), max), 4));
  }
  return lines;
}

function planSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  if (result.plan === null) return [t('report:plan.none')];
  const { operations } = result.plan;
  if (operations.length === 0) return [t('report:plan.noChanges')];
  return [t('report:plan.heading', { summary: summariseVerbs(countVerbs(operations)) }), ...operationGroups(operations, max)];
}

function conflictsSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  const conflicts = result.plan?.conflicts ?? [];
  if (conflicts.length === 0) return [];
  const lines = conflicts.map((conflict) =>
    t('report:conflicts.item', {
      kind: conflict.kind,
      key: printable(conflict.key),
      detail: printable(conflictDetailText(conflict)),
      resolution: conflictResolutionText(conflict.resolution),
    }),
  );
  return [t('report:conflicts.heading', { count: conflicts.length }), ...indent(capLines(lines, max), 2)];
}

/** How a conflict ended (the primary's version can win without --conflict primary: a deletion that may not propagate is restored). */
function conflictResolutionText(resolution: 'primary' | 'peer' | 'block' | 'left'): string {
  switch (resolution) {
    case 'primary':
      return t('report:conflicts.resolution.primary');
    case 'peer':
      return t('report:conflicts.resolution.peer');
    case 'block':
      return t('report:conflicts.resolution.block');
    case 'left':
      return t('report:conflicts.resolution.left');
  }
}

function skippedSection(result: Pick<TargetView, 'plan'>, max: number): string[] {
  const skipped = result.plan?.skipped ?? [];
  if (skipped.length === 0) return [];
  const lines = [t('report:skipped.heading', { count: skipped.length })];
  for (const group of summariseSkipped(skipped, Math.min(SKIPPED_KEYS_SHOWN, max))) {
    lines.push(`  ${t('report:group', { name: group.reason, count: group.count, explanation: skipExplanation(group.reason) })}`);
    const keys = group.items.map((item) => t(item.kind === 'user' ? 'report:label.user' : 'report:label.license', { key: printable(item.key) }));
    lines.push(`    ${withRemainder(keys, group.count).join(', ')}`);
  }
  return lines;
}

/** Drift worth the operator's attention: one line per kind; examples under --verbose. */
function driftSection(drift: readonly DriftItem[], layout: Layout): string[] {
  if (drift.length === 0) return [];
  const lines = [t('report:drift.heading', { count: drift.length })];
  for (const group of summariseDrift(drift, layout.verbose ? Math.min(DRIFT_EXAMPLES_SHOWN, layout.max) : 0)) {
    lines.push(`  ${t('report:group', { name: group.kind, count: group.count, explanation: driftExplanation(group.kind) })}`);
    if (layout.verbose) lines.push(...indent(withRemainder(examplesOf(group.examples), group.count), 4));
  }
  if (!layout.verbose) lines.push(`  ${t('report:drift.examplesHint')}`);
  return lines;
}

/** The sync's own differences: one line in all; per kind, with examples, under --verbose. */
function expectedSection(expected: readonly DriftItem[], layout: Layout): string[] {
  if (expected.length === 0) return [];
  const groups = summariseDrift(expected, layout.verbose ? Math.min(DRIFT_EXAMPLES_SHOWN, layout.max) : 0);
  if (!layout.verbose) {
    const kinds = groups.map((group) => t('report:expected.kindCount', { name: group.kind, count: group.count })).join(t('report:list.separator'));
    return [t('report:expected.line', { count: expected.length, kinds, doc: EXPECTED_DIFFERENCES_DOC })];
  }
  const lines = [t('report:expected.heading', { count: expected.length, doc: EXPECTED_DIFFERENCES_DOC })];
  for (const group of groups) {
    lines.push(`  ${t('report:group', { name: group.kind, count: group.count, explanation: expectedExplanation(group.kind) })}`);
    lines.push(...indent(withRemainder(examplesOf(group.examples), group.count), 4));
  }
  return lines;
}

function examplesOf(items: readonly DriftItem[]): string[] {
  return items.map((item) => `${printable(item.key)}: ${printable(driftDetailText(item))}`);
}

function appliedSection(applied: readonly AppliedOperation[], verified: TargetView['verified'], max: number): string[] {
  if (applied.length === 0) {
    // "Nothing written; the listing already matched" says it already.
    return verified?.inSync === true && !verified.relisted ? [] : [t('report:applied.nothingWritten')];
  }
  const counts = countApplied(applied);
  const done = totalOf(counts.done);
  const failed = totalOf(counts.failed);
  const notSent = totalOf(counts.notSent);
  const unknown = totalOf(counts.unknown);
  const extras = [
    ...(unknown > 0 ? [t('report:applied.unknownPart', { count: unknown })] : []),
    ...(notSent > 0 ? [t('report:applied.notSentPart', { count: notSent })] : []),
  ].map((part) => `, ${part}`);
  const lines = [t('report:applied.heading', { done, count: applied.length, failed, extras: extras.join('') })];
  if (done > 0) lines.push(`  ${t('report:applied.doneLine', { summary: summariseDone(counts.done) })}`);
  if (failed > 0) lines.push(`  ${t('report:applied.failedLine', { summary: summariseFailed(counts.failed) })}`);
  const notes = applied.flatMap((entry) => (entry.note === null ? [] : [`${subjectOf(entry.operation)} (${t(`report:applied.status.${entry.status}`)}): ${printable(entry.note)}`]));
  if (notes.length > 0) lines.push(`  ${t('report:applied.notes')}`, ...indent(capLines(notes, max), 4));
  return lines;
}

function failuresSection(result: Pick<TargetView, 'failures'>, max: number): string[] {
  if (result.failures.length === 0) return [];
  const lines = result.failures.map(
    (failure) => `${failure.server} ${printable(failure.endpoint)}${failure.key === null ? '' : ` ${printable(failure.key)}`}: ${printable(failure.reason)}`,
  );
  return [t('report:failures.heading', { count: result.failures.length }), ...indent(capLines(lines, max), 2)];
}

function verificationSection(result: Pick<TargetView, 'verified' | 'applied' | 'failures'>, max: number, relisted: 'backup' | 'bothSides'): string[] {
  const verified = result.verified;
  const notDone = () => [relisted === 'backup' ? t('report:verify.notDoneBackup') : t('report:verify.notDoneBothSides')];
  if (verified === null) {
    if (result.applied.length === 0) return [];
    return notDone();
  }
  if (verified.inSync) {
    if (!verified.relisted) return [t('report:verify.alreadyMatched')];
    return [relisted === 'backup' ? t('report:verify.relistedBackup') : t('report:verify.relistedBothSides')];
  }
  // Two-way, a step that stopped early (interrupted) leaves an unverified backup with no failure to point at.
  if (!verified.relisted && verified.remaining.length === 0) return result.failures.length > 0 ? [t('report:verify.notRelisted')] : notDone();
  const count = verified.remaining.length;
  const heading = verified.relisted ? t('report:verify.stillNeeded', { count }) : t('report:verify.nothingWrittenStillNeeded', { count });
  return [heading, ...indent(capLines(verified.remaining.map(operationLine), max), 2)];
}

function passwordsSection(result: RunResult): string[] {
  if (result.newUserPasswordsFile === null) return [];
  return [t('report:passwords.file', { file: printable(result.newUserPasswordsFile) }), `  ${t('report:passwords.hint')}`];
}
