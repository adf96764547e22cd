import type { UnaddressableReason } from '../../domain/addressable-key.js';
import type { Decision } from '../../domain/decision.js';
import type { SkippedItem } from '../../plan/plan-types.js';
import { decisionWord, sideWords } from './common-words.js';
import { restoreWhyText } from './operation-reason-words.js';

// Why one record is left alone, in words (the reports group skipped records by
// reason and show keys; this says it for one record).

export function skippedDetailText(item: SkippedItem): string {
  const keyName = item.kind === 'user' ? 'username' : 'device_id';
  switch (item.reason) {
    case 'deletion-pending':
      return item.heldOn === null
        ? `deleted on ${item.deletedOn} since an earlier base, restored there (${restoreWhyText(item.why)}); still pending: a run with --delete deletes it everywhere`
        : `not on ${item.deletedOn}; blocked on ${item.heldOn} so that it refuses it too (${restoreWhyText(item.why)}); still pending: a run with --delete deletes it there`;
    case 'backup-only':
      return item.kind === 'user' ? 'exists only on the backup; users are never removed' : 'exists only on the backup; pass --delete to remove such licenses';
    case 'new-users-skip': {
      if (item.sides.mode === 'one-way') return 'missing on the backup; --new-users skip leaves it uncreated';
      return `on ${item.sides.source}, missing on ${item.sides.target}; --new-users skip leaves it uncreated`;
    }
    case 'unreadable':
      return `a listed record for this ${keyName} could not be read; left alone${item.bothSides ? ' on both sides' : ''}`;
    case 'deletions-suspended':
      return item.goneFrom === null
        ? `exists only on the backup, but ${item.keyless} primary record(s) have no readable device_id: it may be one of them`
        : `gone from ${item.goneFrom} since the base, but ${item.keyless} ${item.goneFrom} record(s) have no readable device_id: it may be one of them`;
    case 'creations-suspended': {
      if (item.sides.mode === 'one-way') return `missing on the backup, but ${item.keyless} backup record(s) have no readable ${keyName}: it may be one of them`;
      const { source, target } = sideWords(item.sides);
      return item.kind === 'user'
        ? `on ${source}, missing on ${target}, but ${item.keyless} record(s) there have no readable username: it may be one of them`
        : `missing on ${target}, but ${item.keyless} ${target} record(s) have no readable device_id: it may be one of them`;
    }
    case 'not-addressable':
      return notAddressableText(item);
    case 'over-grant': {
      const { source, target } = sideWords(item.sides);
      return (
        `OVER-GRANT, needs a person: ${target} allows it while ${source} denies it (${decisionWord(item.source)}), ` +
        `and no call can block or delete it there: ${unaddressableWhyText(item.why)}. ` +
        `Delete it by hand in the admin panel of ${target}, or, if that client should get in, ${allowVerb(item.source)} it on ${source}`
      );
    }
  }
}

/** What makes a license the source denies allowed again there. */
function allowVerb(decision: Decision): string {
  return decision === 'deny:expired' ? 'renew' : decision === 'deny:pending' ? 'activate' : 'unblock';
}

/** Why no URL path reaches a license, in words. */
export function unaddressableWhyText(why: UnaddressableReason): string {
  switch (why) {
    case 'slash':
      return 'its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it';
    case 'dot-segment':
      return 'its device_id is a dot segment ("." or ".."), which URL parsing removes from a path';
    case 'lone-surrogate':
      return 'its device_id is not well-formed Unicode and cannot be percent-encoded';
    case 'empty':
      return 'its device_id is empty';
  }
}

function notAddressableText(item: Extract<SkippedItem, { readonly reason: 'not-addressable' }>): string {
  const { source, target } = sideWords(item.sides);
  const why = unaddressableWhyText(item.why);
  switch (item.call) {
    case 'create': {
      const answer =
        item.source === 'allow'
          ? `${source} allows it; ${target}, lacking it, denies that client until a person creates it there`
          : `${source} denies it (${item.source === null ? 'unknown' : decisionWord(item.source)}); ${target}, lacking it, denies it too`;
      return `not created on ${target}: ${why}, so it could never be blocked or deleted there; ${answer}`;
    }
    case 'block':
      // No source record (a two-way run holding the primary's deletion): the target's copy still lets its client in.
      if (item.source === null) return `not blocked on ${target}: ${why}; ${source} lacks it and ${target} still allows it; delete it by hand in the admin panel of ${target}`;
      return `not blocked on ${target}: ${why}; both servers deny it already, for different reasons`;
    case 'activate':
      return `${source} allows it and ${target} denies it, but it cannot be activated there: ${why}; activate it by hand in the admin panel of ${target} if that client must get in`;
    case 'delete':
      return `exists only on ${target} and cannot be deleted there: ${why}; delete it by hand in the admin panel of ${target}`;
  }
}
