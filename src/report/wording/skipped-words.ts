import type { UnaddressableReason } from '../../domain/addressable-key.js';
import type { Decision } from '../../domain/decision.js';
import { t } from '../../i18n/i18n.js';
import type { SkippedItem } from '../../plan/plan-types.js';
import { decisionWord, onServer, sidePhrases } from './common-words.js';
import { restoreWhyText } from './operation-reason-words.js';

// Why one record is left alone, in words (the reports group skipped records by
// reason and show keys; this says it for one record).

export function skippedDetailText(item: SkippedItem): string {
  const keyName = item.kind === 'user' ? 'username' : 'device_id';
  switch (item.reason) {
    case 'deletion-pending':
      return item.heldOn === null
        ? t('wording:skipped.deletionPendingRestored', { onDeleted: onServer(item.deletedOn), why: restoreWhyText(item.why) })
        : t('wording:skipped.deletionPendingHeld', { onDeleted: onServer(item.deletedOn), onHeld: onServer(item.heldOn), why: restoreWhyText(item.why) });
    case 'backup-only':
      return item.kind === 'user' ? t('wording:skipped.backupOnlyUser') : t('wording:skipped.backupOnlyLicense');
    case 'new-users-skip':
      if (item.sides.mode === 'one-way') return t('wording:skipped.newUsersSkipOneWay');
      return t('wording:skipped.newUsersSkip', sidePhrases(item.sides));
    case 'unreadable':
      return item.bothSides ? t('wording:skipped.unreadableBothSides', { keyName }) : t('wording:skipped.unreadable', { keyName });
    case 'deletions-suspended':
      return item.goneFrom === null
        ? t('wording:skipped.deletionsSuspendedBackupOnly', { count: item.keyless })
        : t('wording:skipped.deletionsSuspendedGone', { count: item.keyless, server: item.goneFrom });
    case 'creations-suspended': {
      if (item.sides.mode === 'one-way') return t('wording:skipped.creationsSuspendedOneWay', { count: item.keyless, keyName });
      const sides = sidePhrases(item.sides);
      return item.kind === 'user'
        ? t('wording:skipped.creationsSuspendedUser', { ...sides, count: item.keyless })
        : t('wording:skipped.creationsSuspendedLicense', { ...sides, count: item.keyless });
    }
    case 'not-addressable':
      return notAddressableText(item);
    case 'over-grant': {
      const sides = sidePhrases(item.sides);
      return t('wording:skipped.overGrant', {
        ...sides,
        decision: decisionWord(item.source),
        why: unaddressableWhyText(item.why),
        allow: allowVerb(item.source),
      });
    }
  }
}

/** What makes a license the source denies allowed again there. */
function allowVerb(decision: Decision): string {
  return decision === 'deny:expired' ? t('wording:skipped.allow.renew') : decision === 'deny:pending' ? t('wording:skipped.allow.activate') : t('wording:skipped.allow.unblock');
}

/** Why no URL path reaches a license, in words. */
export function unaddressableWhyText(why: UnaddressableReason): string {
  switch (why) {
    case 'slash':
      return t('wording:unaddressable.slash');
    case 'dot-segment':
      return t('wording:unaddressable.dotSegment');
    case 'lone-surrogate':
      return t('wording:unaddressable.loneSurrogate');
    case 'empty':
      return t('wording:unaddressable.empty');
  }
}

function notAddressableText(item: Extract<SkippedItem, { readonly reason: 'not-addressable' }>): string {
  const sides = sidePhrases(item.sides);
  const why = unaddressableWhyText(item.why);
  switch (item.call) {
    case 'create': {
      const answer =
        item.source === 'allow'
          ? t('wording:skipped.notCreated.sourceAllows', sides)
          : t('wording:skipped.notCreated.sourceDenies', { ...sides, decision: item.source === null ? t('wording:decision.unknown') : decisionWord(item.source) });
      return t('wording:skipped.notCreated', { ...sides, why, answer });
    }
    case 'block':
      // No source record (a two-way run holding the primary's deletion): the target's copy still lets its client in.
      if (item.source === null) return t('wording:skipped.notBlocked.sourceLacks', { ...sides, why });
      return t('wording:skipped.notBlocked.bothDeny', { ...sides, why });
    case 'activate':
      return t('wording:skipped.notActivated', { ...sides, why });
    case 'delete':
      return t('wording:skipped.notDeleted', { ...sides, why });
  }
}
