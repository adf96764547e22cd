import { t } from '../../i18n/i18n.js';
import type { DateSpan, DriftItem } from '../../plan/plan-types.js';
import { decisionWord, onServer, policyNoteText, show, sidePhrases, statusWord } from './common-words.js';

// The detail of one drift item, in words: "email "a@b.c" on the backup, none on the primary".

export function driftDetailText(item: DriftItem): string {
  switch (item.kind) {
    case 'user-email':
      return t('wording:drift.userEmail', { ...sidePhrases(item.sides), targetValue: show(item.target), sourceValue: show(item.source) });
    case 'user-role':
      return t('wording:drift.userRole', { ...sidePhrases(item.sides), targetValue: item.target, sourceValue: item.source });
    case 'license-content-while-denied': {
      const fields = item.fields.join(', ');
      switch (item.because.code) {
        case 'source-denies':
          return t('wording:drift.contentWhileSourceDenies', { fields, source: sidePhrases(item.because.sides).source, decision: decisionWord(item.because.decision) });
        case 'held':
          return t('wording:drift.contentWhileHeld', { fields, winner: item.because.winner, policy: policyNoteText(item.because.policy) });
      }
      break;
    }
    case 'license-deny-reason':
      return t('wording:drift.denyReason', { ...sidePhrases(item.sides), targetDecision: decisionWord(item.target), sourceDecision: decisionWord(item.source) });
    case 'license-dates':
      return t('wording:drift.values', { ...sidePhrases(item.sides), targetValue: spanText(item.target), sourceValue: spanText(item.source) });
    case 'license-custom-interval':
    case 'license-features':
      return t('wording:drift.values', { ...sidePhrases(item.sides), targetValue: show(item.target), sourceValue: show(item.source) });
    case 'license-telemetry':
      return t('wording:drift.telemetry');
    case 'two-way-differs': {
      const { differs } = item;
      switch (differs.code) {
        case 'tracked': {
          const parts: string[] = [];
          const onPeer = onServer(differs.peer);
          if (differs.content.length > 0) parts.push(t('wording:drift.part.content', { fields: differs.content.join(', ') }));
          if (differs.owner !== null) parts.push(t('wording:drift.part.owner', { primary: differs.owner.primary, peer: differs.owner.peer, onPeer }));
          if (differs.status !== null) parts.push(t('wording:drift.part.status', { primary: statusWord(differs.status.primary), peer: statusWord(differs.status.peer), onPeer }));
          return t('wording:drift.tracked', { parts: parts.join('; ') });
        }
        case 'one-side-only':
          return t('wording:drift.oneSideOnly', { on: onServer(differs.on) });
      }
    }
  }
}

function spanText(span: DateSpan): string {
  const none = t('wording:value.none');
  return `${span.start ?? none}..${span.end ?? none}`;
}
