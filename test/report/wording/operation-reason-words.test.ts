import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMonths } from '../../../src/domain/calendar-date.js';
import { plan, planLicenseWrites } from '../../../src/plan/plan.js';
import type { PlanOptions } from '../../../src/plan/plan-types.js';
import { ONE_WAY, twoWaySides, type CauseClause, type MergeStep, type SideChangeFacts, type ThenBlock, type WriteReason } from '../../../src/plan/reasons.js';
import { changeFacts, sideChange } from '../../../src/plan/two-way/side-changes.js';
import { baseLicenseOf } from '../../../src/plan/two-way/pair-base.js';
import { causeClauseText, mergeStepText, operationReasonText, restoreWhyText, sideChangeText, thenBlockText, writeReasonText } from '../../../src/report/wording/operation-reason-words.js';
import type { LicenseRecord } from '../../../src/snapshot/records.js';
import { aLicense, daysFromToday, snapshotOf, TODAY } from '../../plan/support/records.js';
import { onBoth, only, planCase } from '../../plan/support/two-way-cases.js';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { englishLeft } from './support/english-left.js';

// Why an operation is planned, in words: every code has its wording, and the
// planner's scenarios read as they always did.

const TO_PEER = twoWaySides('primary', 'render');
const TO_PRIMARY = twoWaySides('render', 'primary');
const RUNS = { until: '2026-06-15', sourceEnd: '2026-05-01' } as const;

type Samples<U extends { readonly code: string }> = { readonly [C in U['code']]: readonly (readonly [Extract<U, { readonly code: C }>, string])[] };

const WRITE_REASONS: Samples<WriteReason> = {
  missing: [
    [{ code: 'missing', sides: ONE_WAY }, 'missing on the backup'],
    [{ code: 'missing', sides: TO_PRIMARY }, 'missing on primary'],
  ],
  'user-created-on-source': [[{ code: 'user-created-on-source', sides: TO_PEER }, 'created on primary; missing on render']],
  'content-differs': [
    [{ code: 'content-differs', sides: ONE_WAY, fields: ['owner_name', 'email'], expired: null }, 'content differs (owner_name, email)'],
    [
      { code: 'content-differs', sides: ONE_WAY, fields: ['cpf'], expired: { targetEnd: '2025-06-01', runs: RUNS } },
      'content differs (cpf); the backup had expired on 2025-06-01, so it now runs until 2026-06-15 (the primary ends 2026-05-01)',
    ],
  ],
  'expired-on-target': [
    [
      { code: 'expired-on-target', sides: TO_PEER, targetEnd: '2025-06-14', runs: { until: null, sourceEnd: null } },
      'expired on render (2025-06-14) but allowed by primary; re-dating it, render now never expires (primary ends never)',
    ],
  ],
  'renewed-on-source': [
    [
      { code: 'renewed-on-source', sides: TO_PRIMARY, targetEnd: '2025-12-01', runs: RUNS },
      'renewed on render, ending before on primary (2025-12-01); re-dating it, primary now runs until 2026-06-15 (render ends 2026-05-01)',
    ],
  ],
  'denied-on-target': [[{ code: 'denied-on-target', sides: ONE_WAY, target: 'deny:pending' }, 'pending on the backup, allowed by the primary']],
  'denied-on-source': [
    [{ code: 'denied-on-source', sides: ONE_WAY, source: 'deny:expired', target: 'allow' }, 'expired on the primary, allowed on the backup'],
    [{ code: 'denied-on-source', sides: TO_PEER, source: 'deny:blocked', target: 'deny:pending' }, 'blocked on primary, pending on render'],
  ],
  'owner-differs': [[{ code: 'owner-differs', sides: ONE_WAY, targetOwner: 'joao', sourceOwner: 'maria' }, 'owner joao on the backup, maria on the primary']],
  'backup-only': [[{ code: 'backup-only' }, 'exists only on the backup (--delete)']],
  'backup-only-denied': [[{ code: 'backup-only-denied' }, 'exists only on the backup, which allows it while the primary refuses it; blocked (--delete removes such licenses)']],
};

const MERGE_STEPS: Samples<MergeStep> = {
  'held-elsewhere': [[{ code: 'held-elsewhere', heldStatus: 'pending', heldOn: 'render', openOn: 'primary' }, 'pending on render, open on primary']],
  'owner-from-winner': [
    [{ code: 'owner-from-winner', owner: 'joao', on: 'primary', winnerOwner: 'maria', winner: 'render', policy: 'peer' }, 'owner joao on primary, maria on render (--conflict peer)'],
  ],
  'deleted-too': [[{ code: 'deleted-too', on: 'primary' }, 'deleted on primary too (--delete)']],
  'deleted-on-primary': [
    [
      { code: 'deleted-on-primary', peer: 'render', why: { code: 'no-delete' } },
      'not on primary: blocked on render so that it refuses it too (pass --delete to propagate deletions)',
    ],
  ],
  'primary-denies-peer-allows': [
    [
      { code: 'primary-denies-peer-allows', primary: 'deny:expired', primaryEnd: '2025-06-14', peer: 'render' },
      'expired on primary (it ended on 2025-06-14) but allowed on render: blocked on render so that it refuses it too',
    ],
    [{ code: 'primary-denies-peer-allows', primary: 'deny:blocked', primaryEnd: '2026-01-01', peer: 'render' }, 'blocked on primary but allowed on render: blocked on render so that it refuses it too'],
  ],
};

type Edited = Extract<SideChangeFacts, { code: 'edited' }>;

const edited = (what: Partial<Edited>): Edited => ({
  code: 'edited',
  side: 'render',
  content: [],
  owner: null,
  held: null,
  opened: false,
  renewed: false,
  ...what,
});

const SIDE_CHANGES: Samples<SideChangeFacts> = {
  'resync-absent': [[{ code: 'resync-absent', side: 'render' }, 'absent on render']],
  'resync-present': [[{ code: 'resync-present', side: 'primary' }, 'on primary (no base: resync)']],
  unchanged: [[{ code: 'unchanged', side: 'render' }, 'unchanged on render since the base']],
  deleted: [[{ code: 'deleted', side: 'primary' }, 'deleted on primary since the base']],
  created: [
    [{ code: 'created', side: 'render', held: null }, 'created on render since the base'],
    [{ code: 'created', side: 'render', held: 'blocked' }, 'created on render since the base (blocked)'],
    [{ code: 'created', side: 'primary', held: 'pending' }, 'created on primary since the base (set pending)'],
  ],
  edited: [
    [edited({ content: ['email'], owner: { before: 'admin', after: 'maria' } }), 'edited on render since the base (content: email; owner admin → maria)'],
    [edited({ held: 'blocked' }), 'blocked on render since the base (a block always wins)'],
    [edited({ held: 'pending' }), 'set pending on render since the base (a block always wins)'],
    [edited({ opened: true }), 'unblocked on render since the base'],
    [edited({ renewed: true }), 'renewed on render since the base'],
    [edited({ owner: { before: 'maria', after: null } }), 'edited on render since the base (owner maria → none)'],
    [edited({ held: 'blocked', renewed: true }), 'edited on render since the base (blocked; renewed)'],
  ],
};

const CAUSES: Samples<CauseClause> = {
  'side-change': [[{ code: 'side-change', change: { code: 'deleted', side: 'render' } }, 'deleted on render since the base']],
  'unchanged-on-both': [[{ code: 'unchanged-on-both' }, 'unchanged on both sides since the base']],
  'deleted-on-both': [[{ code: 'deleted-on-both' }, 'deleted on both sides since the base']],
  'equal-on-both': [[{ code: 'equal-on-both' }, 'equal on both sides']],
  'conflict-left': [[{ code: 'conflict-left' }, 'conflict left as is (--conflict none)']],
  'merge-left-as-is': [[{ code: 'merge-left-as-is' }, 'the merge left it as is']],
  'conflict-won': [
    [{ code: 'conflict-won', winner: 'primary', policy: 'resync', restoredOn: null }, 'conflict, primary wins (resync)'],
    [{ code: 'conflict-won', winner: 'render', policy: 'peer', restoredOn: 'primary' }, 'conflict, render wins (--conflict peer): restored on primary'],
  ],
  'block-wins': [[{ code: 'block-wins' }, 'conflict, a block always wins']],
  restored: [
    [{ code: 'restored', why: { code: 'no-delete' } }, 'restored (pass --delete to propagate deletions)'],
    [{ code: 'restored', why: { code: 'over-max-delete', deletions: 1, maxDelete: 0 } }, 'restored (1 deletion exceeds --max-delete 0)'],
    [{ code: 'restored', why: { code: 'over-max-delete', deletions: 2, maxDelete: 1 } }, 'restored (2 deletions exceed --max-delete 1)'],
    [{ code: 'restored', why: { code: 'peer-reset' } }, 'restored (the server lost most of its licenses since the base: a reset, not deletions)'],
  ],
  'fields-merged': [[{ code: 'fields-merged' }, 'each edited field taken from the side that changed it']],
  'deletion-pending': [[{ code: 'deletion-pending', deletedOn: 'render' }, 'deleted on render before an earlier run, still pending']],
  'primary-deletion-stands': [[{ code: 'primary-deletion-stands' }, "the primary's deletion stands"]],
};

function cases<U extends { readonly code: string }>(samples: Samples<U>): (readonly [string, U, string])[] {
  return Object.entries(samples).flatMap(([code, list]) => (list as readonly (readonly [U, string])[]).map(([facts, words]) => [code, facts, words] as const));
}

describe('every code has its wording', () => {
  it.each(cases(WRITE_REASONS))('write reason %s', (_code, reason, words) => {
    expect(writeReasonText(reason)).toBe(words);
    expect(operationReasonText(reason)).toBe(words);
  });

  it.each(cases(MERGE_STEPS))('merge step %s', (_code, step, words) => {
    expect(mergeStepText(step)).toBe(words);
  });

  it.each(cases(SIDE_CHANGES))('side change %s', (_code, change, words) => {
    expect(sideChangeText(change)).toBe(words);
  });

  it.each(cases(CAUSES))('cause clause %s', (_code, clause, words) => {
    expect(causeClauseText(clause)).toBe(words);
  });

  it('says why a created license is blocked right after, naming the side that denies it', () => {
    const samples: (readonly [ThenBlock, string])[] = [
      [{ code: 'source-denies', sides: ONE_WAY, decision: 'deny:blocked' }, 'the primary denies it (blocked)'],
      [{ code: 'source-denies', sides: TO_PEER, decision: 'deny:pending' }, 'primary denies it (pending)'],
    ];
    for (const [thenBlock, words] of samples) expect(thenBlockText(thenBlock)).toBe(words);
  });

  it('reads a merged reason as its clauses, then its step', () => {
    expect(
      operationReasonText({
        code: 'merged',
        cause: [{ code: 'side-change', change: { code: 'deleted', side: 'render' } }, { code: 'restored', why: { code: 'no-delete' } }],
        step: { code: 'missing', sides: TO_PEER },
      }),
    ).toBe('deleted on render since the base; restored (pass --delete to propagate deletions); missing on render');
    expect(operationReasonText({ code: 'merged', cause: [], step: { code: 'deleted-too', on: 'primary' } })).toBe('deleted on primary too (--delete)');
  });

  it('does not say a license is absent from the server it is missing on twice', () => {
    const resync = (absentOn: string) => ({
      code: 'merged' as const,
      cause: [
        { code: 'side-change' as const, change: { code: 'resync-present' as const, side: 'primary' } },
        { code: 'side-change' as const, change: { code: 'resync-absent' as const, side: absentOn } },
      ],
      step: { code: 'missing' as const, sides: TO_PEER },
    });
    expect(operationReasonText(resync('render'))).toBe('on primary (no base: resync); missing on render');
    expect(operationReasonText(resync('koyeb'))).toBe('on primary (no base: resync); absent on koyeb; missing on render');
  });
});

// The English the planner's tests used to check, now checked on the wording of the planner's codes.

const DEFAULTS: PlanOptions = { newUsers: 'create', deleteBackupOnly: false };

function planPair(primary: LicenseRecord | undefined, backup: LicenseRecord | undefined): ReturnType<typeof plan> {
  return plan(snapshotOf({ licenses: primary ? [primary] : [] }), snapshotOf({ licenses: backup ? [backup] : [] }), DEFAULTS, TODAY);
}

function reasonOf(operation: ReturnType<typeof only> | undefined): string {
  if (operation === undefined) throw new Error('no operation');
  return operationReasonText(operation.reason);
}

describe('one-way reasons, in words', () => {
  it.each([
    ['blocked', aLicense({ status: 'blocked' }), 'blocked'],
    ['expired', aLicense({ start_date: daysFromToday(-400), end_date: daysFromToday(-1) }), 'expired'],
    ['pending', aLicense({ status: 'pending' }), 'pending'],
    ['expired and pending', aLicense({ status: 'pending', end_date: daysFromToday(-1) }), 'expired'],
    ['blocked and expired', aLicense({ status: 'blocked', end_date: daysFromToday(-1) }), 'blocked'],
  ])('a creation the primary denies (%s) says why it is blocked right after', (_name, license, reason) => {
    const [operation] = planPair(license, undefined).operations;
    expect(operation?.kind === 'create-license' && operation.thenBlock !== null ? thenBlockText(operation.thenBlock) : '').toContain(reason);
  });

  it.each(['owner_name', 'cpf', 'email', 'address'] as const)('an upsert names the content field that differs (%s)', (field) => {
    expect(reasonOf(planPair(aLicense({ [field]: 'new value' }), aLicense({ [field]: 'old value' })).operations[0])).toContain(field);
  });

  it('a block says the primary blocked it', () => {
    expect(reasonOf(planPair(aLicense({ status: 'blocked' }), aLicense()).operations[0])).toContain('blocked');
  });

  it('a re-dating says the backup now runs longer', () => {
    const result = planPair(aLicense({ end_date: daysFromToday(10) }), aLicense({ end_date: daysFromToday(-3) }));
    expect(reasonOf(result.operations[0])).toContain(`runs until ${addMonths(TODAY, 12)}`);
  });

  it('names the sides planLicenseWrites is given, and the backup by default', () => {
    const WORDS = twoWaySides('render', 'primary');
    const { operations } = planLicenseWrites(aLicense({ status: 'blocked', email: 'x@example.com' }), aLicense(), TODAY, WORDS);
    expect(operations.map((operation) => operationReasonText(operation.reason))).toEqual(['blocked on render, allowed on primary']);
    expect(planLicenseWrites(aLicense(), undefined, TODAY, WORDS).operations.map((operation) => operationReasonText(operation.reason))).toEqual(['missing on primary']);
    expect(planLicenseWrites(aLicense(), undefined, TODAY).operations.map((operation) => operationReasonText(operation.reason))).toEqual(['missing on the backup']);
  });
});

describe('two-way reasons, in words', () => {
  const LICENSE = aLicense();

  it('say what a side did, and where', () => {
    const base = baseLicenseOf(LICENSE);
    const words = (now: LicenseRecord | undefined, side: string, before = base) => sideChangeText(changeFacts(sideChange(now, before), side, now));
    expect(words(aLicense({ email: 'x@example.com', created_by: 'maria' }), 'render')).toBe('edited on render since the base (content: email; owner admin → maria)');
    expect(words(aLicense({ status: 'blocked' }), 'primary')).toBe('blocked on primary since the base (a block always wins)');
    expect(words(undefined, 'render')).toBe('deleted on render since the base');
    expect(sideChangeText(changeFacts(sideChange(LICENSE, undefined), 'render', LICENSE))).toBe('created on render since the base');
  });

  it('a creation names both sides', () => {
    const plan = planCase({ base: {}, now: { peer: aLicense({ created_by: 'maria', email: 'nova@example.com' }) } });
    expect(reasonOf(only(plan))).toBe('created on render since the base; missing on primary');
    expect(reasonOf(only(planCase({ base: {}, now: { primary: LICENSE } })))).toContain('created on primary since the base');
  });

  it('a creation held where it was made is blocked because the primary denies it', () => {
    for (const example of [{ base: {}, now: { primary: aLicense({ status: 'blocked' }) } }, { base: onBoth(aLicense({ status: 'blocked' })), now: { primary: aLicense({ status: 'blocked' }) } }]) {
      const operation = only(planCase(example));
      expect(operation.kind === 'create-license' && operation.thenBlock !== null ? thenBlockText(operation.thenBlock) : '').toContain('primary denies it (blocked)');
    }
  });

  it('an edit says what was edited, and where', () => {
    expect(reasonOf(only(planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }), peer: LICENSE } })))).toContain(
      'edited on primary since the base (content: email)',
    );
    expect(reasonOf(only(planCase({ base: onBoth(LICENSE), now: { primary: LICENSE, peer: aLicense({ created_by: 'maria' }) } })))).toContain('owner admin → maria');
  });

  it('a block says the block always wins', () => {
    expect(reasonOf(only(planCase({ base: onBoth(LICENSE), now: { primary: LICENSE, peer: aLicense({ status: 'blocked' }) } })))).toBe(
      'blocked on render since the base (a block always wins); blocked on render, allowed on primary',
    );
    const base = { primary: LICENSE, peer: aLicense({ status: 'blocked' }) };
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const plan = planCase({ base, now: { primary: aLicense({ status: 'blocked' }), peer: LICENSE }, options: { conflict } });
      expect(reasonOf(plan.operations[0])).toContain('a block always wins');
    }
  });

  it('an activation says where it was unblocked', () => {
    const blocked = aLicense({ status: 'blocked' });
    expect(reasonOf(only(planCase({ base: onBoth(blocked), now: { primary: blocked, peer: LICENSE } })))).toContain('unblocked on render since the base');
  });

  it('a re-dating says where it was renewed', () => {
    const renewed = aLicense({ start_date: TODAY, end_date: addMonths(TODAY, 12) });
    expect(reasonOf(only(planCase({ base: onBoth(LICENSE), now: { primary: renewed, peer: LICENSE } })))).toContain(
      `renewed on primary since the base; renewed on primary, ending before on render (${LICENSE.end_date})`,
    );
  });

  it('a deletion says where it was deleted, a restoration or a copy blocked in its stead how to propagate it', () => {
    const other = aLicense({ device_id: 'OTHER-DEVICE' });
    const deletedOnPeer = { base: onBoth([LICENSE, other]), now: { primary: [LICENSE, other], peer: [other] } };
    expect(reasonOf(only(planCase(deletedOnPeer)))).toBe('deleted on render since the base; restored (pass --delete to propagate deletions); missing on render');
    expect(reasonOf(only(planCase({ ...deletedOnPeer, options: { delete: true } })))).toContain('deleted on render since the base');
    const overLimit = planCase({ base: onBoth([LICENSE, other]), now: { primary: [other], peer: [LICENSE] }, options: { delete: true, maxDelete: 1 } });
    expect(overLimit.operations.map(reasonOf).sort()).toEqual([
      'deleted on primary since the base; not on primary: blocked on render so that it refuses it too (2 deletions exceed --max-delete 1)',
      'deleted on render since the base; restored (2 deletions exceed --max-delete 1); missing on render',
    ]);
    const conflict = planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }) }, options: { conflict: 'peer', delete: true, maxDelete: 0 } });
    expect(reasonOf(conflict.operations[0])).toContain('1 deletion exceeds --max-delete 0');
    const primaryStands = planCase({ base: onBoth(LICENSE), now: { peer: aLicense({ email: 'novo@example.com' }) } });
    expect(reasonOf(only(primaryStands))).toBe(
      "deleted on primary since the base; edited on render since the base (content: email); the primary's deletion stands; not on primary: blocked on render so that it refuses it too (pass --delete to propagate deletions)",
    );
  });

  it('a merge of fields says each was taken from the side that changed it; a resync says there is no base', () => {
    const merged = planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }), peer: aLicense({ owner_name: 'Maria' }) } });
    expect(merged.operations.map(reasonOf)).toEqual([
      'edited on primary since the base (content: email); edited on render since the base (content: owner_name); each edited field taken from the side that changed it; content differs (owner_name)',
      'edited on primary since the base (content: email); edited on render since the base (content: owner_name); each edited field taken from the side that changed it; content differs (email)',
    ]);
    const resync = planCase({ base: null, now: { primary: aLicense({ email: 'p@example.com' }), peer: aLicense({ email: 'r@example.com' }) } });
    expect(reasonOf(only(resync))).toBe('on primary (no base: resync); on render (no base: resync); content differs (email)');
    // A license only the backup lists, at a resync: the primary is not said to have deleted it.
    const backupOnly = planCase({ base: null, now: { peer: LICENSE } });
    expect(reasonOf(only(backupOnly))).toBe(
      'absent on primary; on render (no base: resync); not on primary: blocked on render so that it refuses it too (pass --delete to propagate deletions)',
    );
  });

  it('the safety net names the expiry, or says the peer now runs longer', () => {
    const endsSoon = aLicense({ end_date: daysFromToday(-1) });
    const endsLater = aLicense({ end_date: daysFromToday(40) });
    expect(reasonOf(only(planCase({ base: { primary: endsSoon, peer: endsLater }, now: { primary: endsSoon, peer: endsLater } })))).toContain(
      `expired on primary (it ended on ${endsSoon.end_date})`,
    );
    const peer = aLicense({ end_date: daysFromToday(-1), created_by: 'joao' });
    expect(reasonOf(only(planCase({ base: { primary: endsLater, peer }, now: { primary: endsLater, peer } })))).toContain(`runs until ${addMonths(TODAY, 12)}`);
  });
});

describe('reasons in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));
  afterEach(() => setLanguage('en'));

  const noEnglish = (words: string, english: string) => {
    expect(words).not.toBe(english);
    expect(englishLeft(words), words).toEqual([]);
  };

  it.each(cases(WRITE_REASONS))('write reason %s', (_code, reason, english) => noEnglish(writeReasonText(reason), english));
  it.each(cases(MERGE_STEPS))('merge step %s', (_code, step, english) => noEnglish(mergeStepText(step), english));
  it.each(cases(SIDE_CHANGES))('side change %s', (_code, change, english) => noEnglish(sideChangeText(change), english));
  it.each(cases(CAUSES))('cause clause %s', (_code, clause, english) => noEnglish(causeClauseText(clause), english));

  it('names the servers by role with the preposition fused, by name in a two-way run', () => {
    expect(writeReasonText({ code: 'missing', sides: ONE_WAY })).toBe('ausente no backup');
    expect(writeReasonText({ code: 'missing', sides: TO_PEER })).toBe('ausente em render');
    expect(writeReasonText({ code: 'denied-on-target', sides: ONE_WAY, target: 'deny:blocked' })).toBe('bloqueada no backup, permitida pelo primário');
    expect(writeReasonText({ code: 'denied-on-source', sides: TO_PRIMARY, source: 'deny:expired', target: 'allow' })).toBe('expirada em render, permitida em primary');
    expect(thenBlockText({ code: 'source-denies', sides: ONE_WAY, decision: 'deny:pending' })).toBe('o primário a recusa (pendente)');
  });

  it('says a re-dating and its dates', () => {
    expect(writeReasonText({ code: 'expired-on-target', sides: ONE_WAY, targetEnd: '2026-01-01', runs: RUNS })).toBe(
      'expirada no backup (2026-01-01), mas permitida pelo primário; ao regravá-la com nova data, o backup passa a tê-la válida até 2026-06-15 (o primário termina em 2026-05-01)',
    );
  });

  it('writes the counts of a deletion limit the Portuguese way, singular and plural', () => {
    expect(restoreWhyText({ code: 'over-max-delete', deletions: 1, maxDelete: 0 })).toBe('1 exclusão passa de --max-delete 0');
    expect(restoreWhyText({ code: 'over-max-delete', deletions: 1500, maxDelete: 1000 })).toBe('1.500 exclusões passam de --max-delete 1000');
  });

  it('goes back to English when the language does', () => {
    setLanguage('en');
    expect(writeReasonText({ code: 'missing', sides: ONE_WAY })).toBe('missing on the backup');
  });
});
