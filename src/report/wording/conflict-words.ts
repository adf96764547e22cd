import { t } from '../../i18n/i18n.js';
import type { ConflictItem } from '../../plan/plan-types.js';
import type { ConflictOutcome } from '../../plan/reasons.js';
import { onServer, policyNoteText } from './common-words.js';
import { restoreWhyText, sideChangeText } from './operation-reason-words.js';

// A two-way conflict in words: what each side did, then how it was settled.

/** "edited on primary since the base (content: email); edited on render since the base (content: address); primary wins (--conflict primary)". */
export function conflictDetailText(conflict: ConflictItem): string {
  return `${sideChangeText(conflict.changes.primary)}; ${sideChangeText(conflict.changes.peer)}; ${conflictOutcomeText(conflict.outcome)}`;
}

export function conflictOutcomeText(outcome: ConflictOutcome): string {
  switch (outcome.code) {
    case 'left':
      return t('wording:conflict.left');
    case 'won':
      return t('wording:conflict.won', { winner: outcome.winner, policy: policyNoteText(outcome.policy) });
    case 'block-wins':
      return outcome.from === null
        ? t('wording:conflict.blockWinsLeft')
        : t('wording:conflict.blockWinsFrom', { winner: outcome.from.winner, policy: policyNoteText(outcome.from.policy) });
    case 'won-restored':
      return t('wording:conflict.wonRestored', { winner: outcome.winner, policy: policyNoteText(outcome.policy), onRestored: onServer(outcome.restoredOn) });
    case 'won-deleted-too':
      return t('wording:conflict.wonDeletedToo', { winner: outcome.winner, policy: policyNoteText(outcome.policy), onDeleted: onServer(outcome.deletedOn) });
    case 'won-held':
      return t('wording:conflict.wonHeld', { onHeld: onServer(outcome.heldOn), why: restoreWhyText(outcome.why) });
    case 'won-but-restored':
      return t('wording:conflict.wonButRestored', {
        winner: outcome.winner,
        policy: policyNoteText(outcome.policy),
        onRestored: onServer(outcome.restoredOn),
        why: restoreWhyText(outcome.why),
      });
  }
}
