import type { BaseProblem, CountReference, GuardRefusal } from '../../plan/guards.js';
import { LISTING_ENDPOINT, percentText, ratioText } from './common-words.js';

// Why a guard refused, in words: the `message` of the reports and the verdict.

export function guardMessage(refusal: GuardRefusal): string {
  switch (refusal.guard) {
    case 'role': {
      const { server, role } = refusal.facts;
      return `the account on ${server} has role "${role}", not "admin": it would see only its own licenses`;
    }
    case 'unreadable-listing':
      return `the ${refusal.facts.server} server did not answer with the JSON the contract promises; nothing is written on the strength of a listing that could not be read`;
    case 'shrunken-primary': {
      const { field, primary, reference, referenceCount, minRatio } = refusal.facts;
      return `the primary lists ${primary} ${field} (${LISTING_ENDPOINT[field]}) but ${referenceText(reference)} has ${referenceCount}, below the ${ratioText(minRatio)} minimum (--min-primary-ratio): the listing may be partial`;
    }
    case 'shrunk-since-last-good-run': {
      const { field, primary, before, recordedAt, shrink, maxShrink } = refusal.facts;
      return (
        `the primary lists ${primary} ${field} (${LISTING_ENDPOINT[field]}) but listed ${before} at the last good run (${recordedAt}), ` +
        `${percentText(shrink)} fewer, more than --max-shrink ${percentText(maxShrink)} allows; run with --force if the primary really lost them`
      );
    }
    case 'deletion-limit':
      return `the plan deletes ${refusal.facts.deletions} backup-only licenses, more than --max-delete ${refusal.facts.maxDelete} allows`;
    case 'two-way-base':
      return baseProblemText(refusal.facts);
    case 'shrunk-since-base': {
      const { server, licenses, baseLicenses, recordedAt, shrink, maxShrink } = refusal.facts;
      return (
        `${server} lists ${licenses} licenses (${LISTING_ENDPOINT.licenses}) but held ${baseLicenses} at the base (${recordedAt}), ${percentText(shrink)} fewer, ` +
        `more than --max-shrink ${percentText(maxShrink)} allows; run with --force if ${server} really lost them (they will be restored or, with --delete, deleted on the other side)`
      );
    }
    case 'shrunken-side': {
      const { server, field, count, other, otherCount, minRatio } = refusal.facts;
      return `${server} lists ${count} ${field} (${LISTING_ENDPOINT[field]}) but ${other} has ${otherCount}, below the ${ratioText(minRatio)} minimum (--min-primary-ratio): the listing may be partial`;
    }
    case 'backup-changed-since-base': {
      const { backup, deviceIds, recordedAt } = refusal.facts;
      const examples = deviceIds.slice(0, 5).join(', ') + (deviceIds.length > 5 ? `, … (${deviceIds.length - 5} more)` : '');
      return (
        `${deviceIds.length} license${deviceIds.length === 1 ? ' was' : 's were'} created or changed on ${backup} since the last sync (${recordedAt}) and the primary does not have that work (${examples}), ` +
        `as after a failover; this strict one-way run (--mode one-way) would undo it. To bring it into the primary and every backup, run: sync-dbs sync --mode two-way --backup ${backup} ` +
        `(the default mode does this for every backup). --force instead destroys that work: sales made on ${backup} are blocked there and exist nowhere else, and its edits, blocks and unblocks are overwritten with the primary's`
      );
    }
  }
}

function referenceText(reference: CountReference): string {
  switch (reference.kind) {
    case 'server':
      return reference.server === 'backup' ? 'the backup' : reference.server;
    case 'last-good-run':
      return 'the last good run';
  }
}

function baseProblemText(problem: BaseProblem): string {
  switch (problem.problem) {
    case 'none':
      return (
        `there is no base for primary ↔ ${problem.peer} yet (no successful sync of this pair recorded in this state directory); ` +
        'a first run needs none: the primary\'s version wins everywhere'
      );
    case 'other-servers':
      return (
        `the base kept for ${problem.peer} (${problem.peerUrl}) was recorded with another primary (${problem.primaryUrl}, ${problem.recordedAt}); ` +
        'run with --resync to merge without it (the primary\'s version wins everywhere; a license only the backup lists is blocked there)'
      );
    case 'unreadable':
      return `the base of primary ↔ ${problem.peer} cannot be used: ${problem.detail}; run with --resync to merge without it (the primary's version wins everywhere; a license only the backup lists is blocked there)`;
  }
}
