import type { DateSpan, DriftItem } from '../../plan/plan-types.js';
import { decisionWord, policyNoteText, show, sideWords } from './common-words.js';

// The detail of one drift item, in words: "email "a@b.c" on the backup, none on the primary".

export function driftDetailText(item: DriftItem): string {
  switch (item.kind) {
    case 'user-email': {
      const { source, target } = sideWords(item.sides);
      return `email ${show(item.target)} on ${target}, ${show(item.source)} on ${source}`;
    }
    case 'user-role': {
      const { source, target } = sideWords(item.sides);
      return `role ${item.target} on ${target}, ${item.source} on ${source}`;
    }
    case 'license-content-while-denied': {
      const fields = item.fields.join(', ');
      switch (item.because.code) {
        case 'source-denies':
          return `content differs (${fields}) but ${sideWords(item.because.sides).source} denies it (${decisionWord(item.because.decision)}); an upsert would re-open it`;
        case 'held':
          return `content differs (${fields}) from ${item.because.winner}'s version ${policyNoteText(item.because.policy)}, but the license is held (a block always wins); an upsert would re-open it`;
      }
      break;
    }
    case 'license-deny-reason': {
      const { source, target } = sideWords(item.sides);
      return `denied on both, as ${decisionWord(item.target)} on ${target} and ${decisionWord(item.source)} on ${source}`;
    }
    case 'license-dates': {
      const { source, target } = sideWords(item.sides);
      return `${spanText(item.target)} on ${target}, ${spanText(item.source)} on ${source}`;
    }
    case 'license-custom-interval':
    case 'license-features': {
      const { source, target } = sideWords(item.sides);
      return `${show(item.target)} on ${target}, ${show(item.source)} on ${source}`;
    }
    case 'license-telemetry':
      return 'last-seen fields differ (written by clients on each server)';
    case 'two-way-differs': {
      const { differs } = item;
      switch (differs.code) {
        case 'tracked': {
          const parts: string[] = [];
          if (differs.content.length > 0) parts.push(`content differs (${differs.content.join(', ')})`);
          if (differs.owner !== null) parts.push(`owner ${differs.owner.primary} on primary, ${differs.owner.peer} on ${differs.peer}`);
          if (differs.status !== null) parts.push(`${differs.status.primary} on primary, ${differs.status.peer} on ${differs.peer}`);
          return `${parts.join('; ')}; neither side changed it since the base`;
        }
        case 'one-side-only':
          return `present on ${differs.on} only; neither side changed it since the base`;
      }
    }
  }
}

function spanText(span: DateSpan): string {
  return `${span.start ?? 'none'}..${span.end ?? 'none'}`;
}
