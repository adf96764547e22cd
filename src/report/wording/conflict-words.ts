import type { ConflictItem } from '../../plan/plan-types.js';
import type { ConflictOutcome } from '../../plan/reasons.js';
import { policyNoteText } from './common-words.js';
import { restoreWhyText, sideChangeText } from './operation-reason-words.js';

// A two-way conflict in words: what each side did, then how it was settled.

/** "edited on primary since the base (content: email); edited on render since the base (content: address); primary wins (--conflict primary)". */
export function conflictDetailText(conflict: ConflictItem): string {
  return `${sideChangeText(conflict.changes.primary)}; ${sideChangeText(conflict.changes.peer)}; ${conflictOutcomeText(conflict.outcome)}`;
}

export function conflictOutcomeText(outcome: ConflictOutcome): string {
  switch (outcome.code) {
    case 'left':
      return 'left as is (--conflict none)';
    case 'won':
      return `${outcome.winner} wins ${policyNoteText(outcome.policy)}`;
    case 'block-wins':
      return outcome.from === null
        ? 'the block wins; content and owner left as they are (--conflict none)'
        : `the block wins; content and owner from ${outcome.from.winner} ${policyNoteText(outcome.from.policy)}`;
    case 'won-restored':
      return `${outcome.winner} wins ${policyNoteText(outcome.policy)}: restored on ${outcome.restoredOn}`;
    case 'won-deleted-too':
      return `${outcome.winner} wins ${policyNoteText(outcome.policy)}: deleted on ${outcome.deletedOn} too`;
    case 'won-held':
      return `the primary's deletion stands: blocked on ${outcome.heldOn} (${restoreWhyText(outcome.why)})`;
    case 'won-but-restored':
      return `${outcome.winner} wins ${policyNoteText(outcome.policy)}, but restored on ${outcome.restoredOn} (${restoreWhyText(outcome.why)})`;
  }
}
