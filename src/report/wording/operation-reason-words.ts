import { t } from '../../i18n/i18n.js';
import type { CauseClause, HeldAs, MergeStep, OperationReason, RestoreWhy, SideChangeFacts, ThenBlock, WriteReason } from '../../plan/reasons.js';
import { decisionWord, onServer, policyNoteText, runsLongerText, sidePhrases, statusWord } from './common-words.js';

// Why an operation is planned, in words: the planner gives a code and its
// facts (src/plan/reasons.ts), and this is the one place that says them.

/** "content differs (email)", or for a two-way merge its clauses then the step: "edited on render since the base (content: email); content differs (email)". */
export function operationReasonText(reason: OperationReason): string {
  if (reason.code === 'merged') {
    const { step } = reason;
    const clauses = reason.cause.filter((clause) => !saidByTheStep(clause, step));
    return [...clauses.map(causeClauseText), stepText(step)].join('; ');
  }
  return writeReasonText(reason);
}

/** "absent on render" before "missing on render" says the same twice (in Portuguese, word for word). */
function saidByTheStep(clause: CauseClause, step: WriteReason | MergeStep): boolean {
  return (
    clause.code === 'side-change' &&
    clause.change.code === 'resync-absent' &&
    step.code === 'missing' &&
    step.sides.mode === 'two-way' &&
    step.sides.target === clause.change.side
  );
}

/** Why a created license is blocked right after: "the primary denies it (blocked)". */
export function thenBlockText(thenBlock: ThenBlock): string {
  switch (thenBlock.code) {
    case 'source-denies':
      return t('wording:reason.sourceDenies', { source: sidePhrases(thenBlock.sides).source, decision: decisionWord(thenBlock.decision) });
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
      return t('wording:reason.missing', sidePhrases(reason.sides));
    case 'user-created-on-source':
      return t('wording:reason.userCreatedOnSource', sidePhrases(reason.sides));
    case 'content-differs': {
      const fields = reason.fields.join(', ');
      if (reason.expired === null) return t('wording:reason.contentDiffers', { fields });
      return t('wording:reason.contentDiffersExpired', {
        ...sidePhrases(reason.sides),
        fields,
        end: String(reason.expired.targetEnd),
        runs: runsLongerText(reason.expired.runs, reason.sides),
      });
    }
    case 'expired-on-target':
      return t('wording:reason.expiredOnTarget', { ...sidePhrases(reason.sides), end: String(reason.targetEnd), runs: runsLongerText(reason.runs, reason.sides) });
    case 'renewed-on-source':
      return t('wording:reason.renewedOnSource', { ...sidePhrases(reason.sides), end: String(reason.targetEnd), runs: runsLongerText(reason.runs, reason.sides) });
    case 'denied-on-target':
      return t('wording:reason.deniedOnTarget', { ...sidePhrases(reason.sides), decision: decisionWord(reason.target) });
    case 'denied-on-source':
      return t('wording:reason.deniedOnSource', { ...sidePhrases(reason.sides), sourceDecision: decisionWord(reason.source), targetDecision: decisionWord(reason.target) });
    case 'owner-differs':
      return t('wording:reason.ownerDiffers', { ...sidePhrases(reason.sides), targetOwner: reason.targetOwner, sourceOwner: reason.sourceOwner });
    case 'backup-only':
      return t('wording:reason.backupOnly');
    case 'backup-only-denied':
      return t('wording:reason.backupOnlyDenied');
  }
}

export function mergeStepText(step: MergeStep): string {
  switch (step.code) {
    case 'held-elsewhere':
      return t('wording:merge.heldElsewhere', { status: statusWord(step.heldStatus), onHeld: onServer(step.heldOn), onOpen: onServer(step.openOn) });
    case 'owner-from-winner':
      return t('wording:merge.ownerFromWinner', {
        owner: step.owner,
        on: onServer(step.on),
        winnerOwner: step.winnerOwner,
        onWinner: onServer(step.winner),
        policy: policyNoteText(step.policy),
      });
    case 'deleted-too':
      return t('wording:merge.deletedToo', { on: onServer(step.on) });
    case 'deleted-on-primary':
      // "not on": also a license only the peer lists at a resync, which the primary may never have had.
      return t('wording:merge.deletedOnPrimary', { onPeer: onServer(step.peer), why: restoreWhyText(step.why) });
    case 'primary-denies-peer-allows': {
      const values = { decision: decisionWord(step.primary), onPeer: onServer(step.peer) };
      return step.primary === 'deny:expired'
        ? t('wording:merge.primaryExpiredPeerAllows', { ...values, end: String(step.primaryEnd) })
        : t('wording:merge.primaryDeniesPeerAllows', values);
    }
  }
}

export function causeClauseText(clause: CauseClause): string {
  switch (clause.code) {
    case 'side-change':
      return sideChangeText(clause.change);
    case 'unchanged-on-both':
      return t('wording:cause.unchangedOnBoth');
    case 'deleted-on-both':
      return t('wording:cause.deletedOnBoth');
    case 'equal-on-both':
      return t('wording:cause.equalOnBoth');
    case 'conflict-left':
      return t('wording:cause.conflictLeft');
    case 'merge-left-as-is':
      return t('wording:cause.mergeLeftAsIs');
    case 'conflict-won': {
      const values = { winner: clause.winner, policy: policyNoteText(clause.policy) };
      return clause.restoredOn === null
        ? t('wording:cause.conflictWon', values)
        : t('wording:cause.conflictWonRestored', { ...values, onRestored: onServer(clause.restoredOn) });
    }
    case 'block-wins':
      return t('wording:cause.blockWins');
    case 'restored':
      return t('wording:cause.restored', { why: restoreWhyText(clause.why) });
    case 'fields-merged':
      return t('wording:cause.fieldsMerged');
    case 'deletion-pending':
      return t('wording:cause.deletionPending', { onDeleted: onServer(clause.deletedOn) });
    case 'primary-deletion-stands':
      return t('wording:cause.primaryDeletionStands');
  }
}

/** Why a deletion was not propagated: "pass --delete to propagate deletions", "3 deletions exceed --max-delete 2". */
export function restoreWhyText(why: RestoreWhy): string {
  switch (why.code) {
    case 'no-delete':
      return t('wording:restore.noDelete');
    case 'over-max-delete':
      return t('wording:restore.overMaxDelete', { count: why.deletions, maxDelete: why.maxDelete });
    case 'peer-reset':
      return t('wording:restore.peerReset');
  }
}

/** What a side did since the base: "edited on render since the base (content: email; owner admin → maria)". */
export function sideChangeText(change: SideChangeFacts): string {
  const on = onServer(change.side);
  switch (change.code) {
    case 'resync-absent':
      return t('wording:change.resyncAbsent', { on });
    case 'resync-present':
      return t('wording:change.resyncPresent', { on });
    case 'unchanged':
      return t('wording:change.unchanged', { on });
    case 'deleted':
      return t('wording:change.deleted', { on });
    case 'created':
      return change.held === null ? t('wording:change.created', { on }) : t('wording:change.createdHeld', { on, held: heldText(change.held) });
    case 'edited': {
      const parts: string[] = [];
      if (change.content.length > 0) parts.push(t('wording:change.part.content', { fields: change.content.join(', ') }));
      if (change.owner !== null) parts.push(t('wording:change.part.owner', { before: change.owner.before, after: change.owner.after ?? t('wording:value.none') }));
      if (change.held !== null) parts.push(heldText(change.held));
      if (change.opened) parts.push(t('wording:change.part.unblocked'));
      if (change.renewed) parts.push(t('wording:change.part.renewed'));
      if (parts.length === 1 && change.content.length === 0 && change.owner === null) {
        const what = parts[0] as string;
        return change.held === null ? t('wording:change.only', { what, on }) : t('wording:change.onlyHeld', { what, on });
      }
      return t('wording:change.edited', { on, parts: parts.join('; ') });
    }
  }
}

function heldText(held: HeldAs): string {
  switch (held) {
    case 'blocked':
      return t('wording:held.blocked');
    case 'pending':
      return t('wording:held.pending');
  }
}
