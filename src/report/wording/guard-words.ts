import { t } from '../../i18n/i18n.js';
import type { BaseProblem, CountReference, GuardRefusal } from '../../plan/guards.js';
import { LISTING_ENDPOINT, momentText, percentText, ratioText } from './common-words.js';

// Why a guard refused, in words: the `message` of the reports and the verdict.

/** Device ids named in a refusal before "… (N more)". */
const EXAMPLES_SHOWN = 5;

export function guardMessage(refusal: GuardRefusal): string {
  switch (refusal.guard) {
    case 'role':
      return t('wording:guard.role', refusal.facts);
    case 'unreadable-listing':
      return t('wording:guard.unreadableListing', refusal.facts);
    case 'shrunken-primary': {
      const { field, primary, reference, referenceCount, minRatio } = refusal.facts;
      return t('wording:guard.shrunkenPrimary', {
        listed: listedText(field, primary),
        endpoint: LISTING_ENDPOINT[field],
        reference: referenceText(reference),
        referenceCount,
        ratio: ratioText(minRatio),
      });
    }
    case 'shrunk-since-last-good-run': {
      const { field, primary, before, recordedAt, shrink, maxShrink } = refusal.facts;
      return t('wording:guard.shrunkSinceLastGoodRun', {
        listed: listedText(field, primary),
        endpoint: LISTING_ENDPOINT[field],
        before,
        at: momentText(recordedAt),
        shrink: percentText(shrink),
        maxShrink: percentText(maxShrink),
      });
    }
    case 'deletion-limit':
      return t('wording:guard.deletionLimit', { count: refusal.facts.deletions, maxDelete: refusal.facts.maxDelete });
    case 'two-way-base':
      return baseProblemText(refusal.facts);
    case 'shrunk-since-base': {
      const { server, licenses, baseLicenses, recordedAt, shrink, maxShrink } = refusal.facts;
      return t('wording:guard.shrunkSinceBase', {
        server,
        listed: listedText('licenses', licenses),
        endpoint: LISTING_ENDPOINT.licenses,
        baseLicenses,
        at: momentText(recordedAt),
        shrink: percentText(shrink),
        maxShrink: percentText(maxShrink),
      });
    }
    case 'shrunken-side': {
      const { server, field, count, other, otherCount, minRatio } = refusal.facts;
      return t('wording:guard.shrunkenSide', {
        server,
        listed: listedText(field, count),
        endpoint: LISTING_ENDPOINT[field],
        other,
        otherCount,
        ratio: ratioText(minRatio),
      });
    }
    case 'backup-changed-since-base': {
      const { backup, deviceIds, recordedAt } = refusal.facts;
      const more = deviceIds.length - EXAMPLES_SHOWN;
      const examples = deviceIds.slice(0, EXAMPLES_SHOWN).join(', ') + (more > 0 ? t('wording:guard.moreExamples', { count: more }) : '');
      return t('wording:guard.backupChangedSinceBase', { count: deviceIds.length, backup, at: momentText(recordedAt), examples });
    }
  }
}

/** `55 licenses`, `2 users`: what a listing holds. */
function listedText(field: 'licenses' | 'users', count: number): string {
  return field === 'licenses' ? t('wording:guard.listed.licenses', { count }) : t('wording:guard.listed.users', { count });
}

function referenceText(reference: CountReference): string {
  switch (reference.kind) {
    case 'server':
      return reference.server === 'backup' ? t('wording:side.backup') : reference.server;
    case 'last-good-run':
      return t('wording:guard.lastGoodRun');
  }
}

function baseProblemText(problem: BaseProblem): string {
  switch (problem.problem) {
    case 'none':
      return t('wording:guard.base.none', { peer: problem.peer });
    case 'other-servers':
      return t('wording:guard.base.otherServers', { peer: problem.peer, peerUrl: problem.peerUrl, primaryUrl: problem.primaryUrl, at: momentText(problem.recordedAt) });
    case 'unreadable':
      return t('wording:guard.base.unreadable', { peer: problem.peer, detail: problem.detail });
  }
}
