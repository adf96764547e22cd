import type { CauseClause, HeldAs, MergeStep, OperationReason, RestoreWhy, SideChangeFacts, ThenBlock, WriteReason } from '../../plan/reasons.js';
import { decisionWord, policyNoteText, runsLongerText, sideWords } from './common-words.js';

// Why an operation is planned, in words: the planner gives a code and its
// facts (src/plan/reasons.ts), and this is the one place that says them.

/** "content differs (email)", or for a two-way merge its clauses then the step: "edited on render since the base (content: email); content differs (email)". */
export function operationReasonText(reason: OperationReason): string {
  if (reason.code === 'merged') return [...reason.cause.map(causeClauseText), stepText(reason.step)].join('; ');
  return writeReasonText(reason);
}

/** Why a created license is blocked right after: "the primary denies it (blocked)". */
export function thenBlockText(thenBlock: ThenBlock): string {
  switch (thenBlock.code) {
    case 'source-denies':
      return `${sideWords(thenBlock.sides).source} denies it (${decisionWord(thenBlock.decision)})`;
  }
}

function stepText(step: WriteReason | MergeStep): string {
  switch (step.code) {
    case 'held-elsewhere':
    case 'owner-from-winner':
    case 'deleted-too':
    case 'deleted-on-primary':
    case 'primary-denies-peer-allows':
      return mergeStepText(step);
    default:
      return writeReasonText(step);
  }
}

export function writeReasonText(reason: WriteReason): string {
  switch (reason.code) {
    case 'missing':
      return `missing on ${sideWords(reason.sides).target}`;
    case 'user-created-on-source': {
      const { source, target } = sideWords(reason.sides);
      return `created on ${source}; missing on ${target}`;
    }
    case 'content-differs': {
      const { target } = sideWords(reason.sides);
      const redate = reason.expired === null ? '' : `; ${target} had expired on ${String(reason.expired.targetEnd)}, so it now ${runsLongerText(reason.expired.runs, reason.sides)}`;
      return `content differs (${reason.fields.join(', ')})${redate}`;
    }
    case 'expired-on-target': {
      const { source, target } = sideWords(reason.sides);
      return `expired on ${target} (${String(reason.targetEnd)}) but allowed by ${source}; re-dating it, ${target} now ${runsLongerText(reason.runs, reason.sides)}`;
    }
    case 'renewed-on-source': {
      const { source, target } = sideWords(reason.sides);
      return `renewed on ${source}, ending before on ${target} (${String(reason.targetEnd)}); re-dating it, ${target} now ${runsLongerText(reason.runs, reason.sides)}`;
    }
    case 'denied-on-target': {
      const { source, target } = sideWords(reason.sides);
      return `${decisionWord(reason.target)} on ${target}, allowed by ${source}`;
    }
    case 'denied-on-source': {
      const { source, target } = sideWords(reason.sides);
      return `${decisionWord(reason.source)} on ${source}, ${decisionWord(reason.target)} on ${target}`;
    }
    case 'owner-differs': {
      const { source, target } = sideWords(reason.sides);
      return `owner ${reason.targetOwner} on ${target}, ${reason.sourceOwner} on ${source}`;
    }
    case 'backup-only':
      return 'exists only on the backup (--delete)';
    case 'backup-only-denied':
      return 'exists only on the backup, which allows it while the primary refuses it; blocked (--delete removes such licenses)';
  }
}

export function mergeStepText(step: MergeStep): string {
  switch (step.code) {
    case 'held-elsewhere':
      return `${step.heldStatus} on ${step.heldOn}, open on ${step.openOn}`;
    case 'owner-from-winner':
      return `owner ${step.owner} on ${step.on}, ${step.winnerOwner} on ${step.winner} ${policyNoteText(step.policy)}`;
    case 'deleted-too':
      return `deleted on ${step.on} too (--delete)`;
    case 'deleted-on-primary':
      // "not on": also a license only the peer lists at a resync, which the primary may never have had.
      return `not on primary: blocked on ${step.peer} so that it refuses it too (${restoreWhyText(step.why)})`;
    case 'primary-denies-peer-allows': {
      const ended = step.primary === 'deny:expired' ? ` (it ended on ${String(step.primaryEnd)})` : '';
      return `${decisionWord(step.primary)} on primary${ended} but allowed on ${step.peer}: blocked on ${step.peer} so that it refuses it too`;
    }
  }
}

export function causeClauseText(clause: CauseClause): string {
  switch (clause.code) {
    case 'side-change':
      return sideChangeText(clause.change);
    case 'unchanged-on-both':
      return 'unchanged on both sides since the base';
    case 'deleted-on-both':
      return 'deleted on both sides since the base';
    case 'equal-on-both':
      return 'equal on both sides';
    case 'conflict-left':
      return 'conflict left as is (--conflict none)';
    case 'merge-left-as-is':
      return 'the merge left it as is';
    case 'conflict-won':
      return `conflict, ${clause.winner} wins ${policyNoteText(clause.policy)}${clause.restoredOn === null ? '' : `: restored on ${clause.restoredOn}`}`;
    case 'block-wins':
      return 'conflict, a block always wins';
    case 'restored':
      return `restored (${restoreWhyText(clause.why)})`;
    case 'fields-merged':
      return 'each edited field taken from the side that changed it';
    case 'deletion-pending':
      return `deleted on ${clause.deletedOn} before an earlier run, still pending`;
    case 'primary-deletion-stands':
      return "the primary's deletion stands";
  }
}

/** Why a deletion was not propagated: "pass --delete to propagate deletions", "3 deletions exceed --max-delete 2". */
export function restoreWhyText(why: RestoreWhy): string {
  switch (why.code) {
    case 'no-delete':
      return 'pass --delete to propagate deletions';
    case 'over-max-delete':
      return `${why.deletions === 1 ? '1 deletion exceeds' : `${why.deletions} deletions exceed`} --max-delete ${why.maxDelete}`;
    case 'peer-reset':
      return 'the server lost most of its licenses since the base: a reset, not deletions';
  }
}

/** What a side did since the base: "edited on render since the base (content: email; owner admin → maria)". */
export function sideChangeText(change: SideChangeFacts): string {
  switch (change.code) {
    case 'resync-absent':
      return `absent on ${change.side}`;
    case 'resync-present':
      return `on ${change.side} (no base: resync)`;
    case 'unchanged':
      return `unchanged on ${change.side} since the base`;
    case 'deleted':
      return `deleted on ${change.side} since the base`;
    case 'created':
      return `created on ${change.side} since the base${change.held === null ? '' : ` (${heldText(change.held)})`}`;
    case 'edited': {
      const parts: string[] = [];
      if (change.content.length > 0) parts.push(`content: ${change.content.join(', ')}`);
      if (change.owner !== null) parts.push(`owner ${change.owner.before} → ${change.owner.after ?? 'none'}`);
      if (change.held !== null) parts.push(heldText(change.held));
      if (change.opened) parts.push('unblocked');
      if (change.renewed) parts.push('renewed');
      if (parts.length === 1 && change.content.length === 0 && change.owner === null) {
        return `${parts[0] as string} on ${change.side} since the base${change.held === null ? '' : ' (a block always wins)'}`;
      }
      return `edited on ${change.side} since the base (${parts.join('; ')})`;
    }
  }
}

function heldText(held: HeldAs): string {
  switch (held) {
    case 'blocked':
      return 'blocked';
    case 'pending':
      return 'set pending';
  }
}
