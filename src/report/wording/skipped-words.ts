import type { SkippedItem } from '../../plan/plan-types.js';
import { sideWords } from './common-words.js';

// Why one record is left alone, in words (the reports group skipped records by
// reason and show keys; this says it for one record).

export function skippedDetailText(item: SkippedItem): string {
  const keyName = item.kind === 'user' ? 'username' : 'device_id';
  switch (item.reason) {
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
  }
}
