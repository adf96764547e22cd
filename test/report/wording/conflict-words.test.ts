import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConflictItem } from '../../../src/plan/plan-types.js';
import type { ConflictOutcome, SideChangeFacts } from '../../../src/plan/reasons.js';
import { conflictDetailText, conflictOutcomeText } from '../../../src/report/wording/conflict-words.js';
import { aLicense } from '../../plan/support/records.js';
import { onBoth, planCase } from '../../plan/support/two-way-cases.js';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { englishLeft } from './support/english-left.js';

// A two-way conflict in words: what each side did, then how it was settled.

const SAMPLES: { readonly [C in ConflictOutcome['code']]: readonly (readonly [Extract<ConflictOutcome, { readonly code: C }>, string])[] } = {
  left: [[{ code: 'left' }, 'left as is (--conflict none)']],
  won: [
    [{ code: 'won', winner: 'render', policy: 'peer' }, 'render wins (--conflict peer)'],
    [{ code: 'won', winner: 'primary', policy: 'resync' }, 'primary wins (resync)'],
  ],
  'block-wins': [
    [{ code: 'block-wins', from: null }, 'the block wins; content and owner left as they are (--conflict none)'],
    [{ code: 'block-wins', from: { winner: 'primary', policy: 'primary' } }, 'the block wins; content and owner from primary (--conflict primary)'],
  ],
  'won-restored': [[{ code: 'won-restored', winner: 'render', policy: 'peer', restoredOn: 'primary' }, 'render wins (--conflict peer): restored on primary']],
  'won-deleted-too': [[{ code: 'won-deleted-too', winner: 'primary', policy: 'primary', deletedOn: 'render' }, 'primary wins (--conflict primary): deleted on render too']],
  'won-held': [
    [
      { code: 'won-held', winner: 'primary', heldOn: 'render', why: { code: 'no-delete' } },
      "the primary's deletion stands: blocked on render (pass --delete to propagate deletions)",
    ],
  ],
  'won-but-restored': [
    [
      { code: 'won-but-restored', winner: 'primary', policy: 'primary', restoredOn: 'primary', why: { code: 'no-delete' } },
      'primary wins (--conflict primary), but restored on primary (pass --delete to propagate deletions)',
    ],
    [
      { code: 'won-but-restored', winner: 'render', policy: 'peer', restoredOn: 'render', why: { code: 'over-max-delete', deletions: 3, maxDelete: 2 } },
      'render wins (--conflict peer), but restored on render (3 deletions exceed --max-delete 2)',
    ],
  ],
};

describe('every conflict outcome has its wording', () => {
  const cases = Object.entries(SAMPLES).flatMap(([code, list]) => (list as readonly (readonly [ConflictOutcome, string])[]).map(([outcome, words]) => [code, outcome, words] as const));

  it.each(cases)('%s', (_code, outcome, words) => {
    expect(conflictOutcomeText(outcome)).toBe(words);
  });

  it('says what each side did, then the outcome', () => {
    const created = (side: string): SideChangeFacts => ({ code: 'created', side, held: null });
    const conflict: ConflictItem = { kind: 'created-on-both', key: 'K', resolution: 'left', changes: { primary: created('primary'), peer: created('render') }, outcome: { code: 'left' } };
    expect(conflictDetailText(conflict)).toBe('created on primary since the base; created on render since the base; left as is (--conflict none)');
  });
});

// The English the planner's tests used to check, now checked on the wording of the planner's codes.

describe('conflicts, in words', () => {
  const BASE = aLicense();

  it('both edited: names what each side edited', () => {
    const plan = planCase({
      base: onBoth(BASE),
      now: { primary: aLicense({ email: 'primary@example.com' }), peer: aLicense({ email: 'render@example.com', created_by: 'maria' }) },
      options: { conflict: 'primary' },
    });
    expect(plan.conflicts.map(conflictDetailText)).toEqual([
      expect.stringMatching(/edited on primary since the base \(content: email\); edited on render since the base \(content: email; owner admin → maria\)/),
    ]);
  });

  it('deleted on the primary, edited on the peer, without --delete: says the deletion stands, where the copy is blocked, and why not deleted', () => {
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const plan = planCase({ base: onBoth(BASE), now: { peer: aLicense({ email: 'novo@example.com' }) }, options: { conflict } });
      expect(plan.conflicts.map(conflictDetailText)).toEqual([
        "deleted on primary since the base; edited on render since the base (content: email); the primary's deletion stands: blocked on render (pass --delete to propagate deletions)",
      ]);
    }
    const overLimit = planCase({ base: onBoth(BASE), now: { peer: aLicense({ email: 'novo@example.com' }) }, options: { delete: true, maxDelete: 0 } });
    expect(overLimit.conflicts.map(conflictDetailText)).toEqual([expect.stringContaining("the primary's deletion stands: blocked on render (1 deletion exceeds --max-delete 0)")]);
  });

  it('fields changed on one side each are merged, no conflict to word; a field changed on both names the winner', () => {
    const merged = planCase({ base: onBoth(BASE), now: { primary: aLicense({ email: 'p@example.com' }), peer: aLicense({ owner_name: 'Maria' }) } });
    expect(merged.conflicts).toEqual([]);
    const both = planCase({ base: onBoth(BASE), now: { primary: aLicense({ email: 'p@example.com' }), peer: aLicense({ email: 'r@example.com' }) }, options: { conflict: 'peer' } });
    expect(both.conflicts.map(conflictDetailText)).toEqual([expect.stringContaining('render wins (--conflict peer)')]);
  });
});

describe('conflict outcomes in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));
  afterEach(() => setLanguage('en'));

  const cases = Object.entries(SAMPLES).flatMap(([code, list]) => (list as readonly (readonly [ConflictOutcome, string])[]).map(([outcome, words]) => [code, outcome, words] as const));

  it.each(cases)('%s has its Portuguese wording, no English left', (_code, outcome, english) => {
    const words = conflictOutcomeText(outcome);
    expect(words).not.toBe(english);
    expect(englishLeft(words), words).toEqual([]);
  });

  it('says how a conflict was settled, with the server names and flags as they are', () => {
    expect(conflictOutcomeText({ code: 'won-restored', winner: 'render', policy: 'peer', restoredOn: 'primary' })).toBe('vence render (--conflict peer): restaurada em primary');
    expect(conflictOutcomeText({ code: 'won-held', winner: 'primary', heldOn: 'render', why: { code: 'over-max-delete', deletions: 1, maxDelete: 0 } })).toBe(
      'a exclusão no primário prevalece: bloqueada em render (1 exclusão passa de --max-delete 0)',
    );
  });
});
