import { describe, expect, it } from 'vitest';
import type { ConflictItem, ConflictResolution, Plan } from '../../src/plan/plan-types.js';
import type { RunResult, TargetResult } from '../../src/outcome/run-result.js';
import { renderTextReport } from '../../src/report/text-report.js';

// Times are shown in the machine's time zone: pin it for these tests.
process.env.TZ = 'UTC';
import type { GuardRefusal } from '../../src/plan/guards.js';
import { twoWaySides, type SideChangeFacts } from '../../src/plan/reasons.js';
import {
  aConflict,
  aFailure,
  aPlan,
  aRunOver,
  aRunResult,
  aRunWithOneBackupDown,
  aServer,
  aTarget,
  blockLicense,
  createLicense,
  createUser,
  done,
  edited,
  failed,
  hasSection,
  many,
  mergedWrite,
  sectionOf,
  skippedItem,
  to,
  updateLicense,
} from './support/run-result-builders.js';

// The text report of runs with several backups, and of two-way runs.

const RENDER_URL = 'https://render.example.com';

/** The report's lines after the verdict (its first line) and the blank line under it. */
function afterVerdict(text: string): string[] {
  return text.split('\n').slice(2);
}
const KOYEB_URL = 'https://koyeb.example.com';

const MORE_HINT = '(use --json for the full list)';

const TO_PRIMARY = twoWaySides('render', 'primary');
const TO_PEER = twoWaySides('primary', 'render');
const createdOn = (side: string): SideChangeFacts => ({ code: 'created', side, held: null });
const blockedOn = (side: string): SideChangeFacts => ({ code: 'edited', side, content: [], owner: null, held: 'blocked', opened: false, renewed: false });
const BLOCKED_ON_PEER = mergedWrite(blockedOn('render'), { code: 'denied-on-source', sides: TO_PRIMARY, source: 'deny:blocked', target: 'allow' });
const P2_REASON = 'blocked on render since the base (a block always wins); blocked on render, allowed on primary';

describe('renderTextReport: several backups', () => {
  it('gives the whole report: header, Read, one indented block per backup, the verdict', () => {
    expect(renderTextReport(aRunWithOneBackupDown())).toBe(
      [
        'Result: 1 of 2 backups in sync. render: In sync: 2 writes applied and verified. koyeb: Unreachable: koyeb (GET /health: timed out after 60 s). Nothing was written.',
        '',
        'sync-dbs sync: https://primary.example.com → render https://render.example.com, koyeb https://koyeb.example.com',
        '  day 2025-06-01, started 06/01/2025 10:00:00 UTC, took 1.2 s',
        '',
        'Welcome e-mails: render may have sent up to 1 welcome e-mail to a customer (a license created or updated with an e-mail, where the server has e-mail configured)',
        '',
        'Read:',
        '  primary https://primary.example.com as sync-admin (role admin): 3 users, 10 licenses, 0 unreadable; 3 requests',
        '  render  https://render.example.com as sync-admin (role admin): 3 users, 10 licenses, 0 unreadable; 6 requests',
        '  koyeb   https://koyeb.example.com as sync-admin (role unknown): listing not read; 1 request',
        '',
        '── render (https://render.example.com): In sync: 2 writes applied and verified.',
        '  Plan: 1 license to create, 1 license to block.',
        '    create licenses (1)',
        '      + → render license D1: missing on the backup',
        '    block licenses (1)',
        '      ! → render license D2: blocked on the primary, allowed on the backup',
        '',
        '  Applied: 2 of 2 operations done, 0 failed.',
        '    done: created 1 license, blocked 1 license',
        '',
        '  Verified: backup re-listed, nothing left to do.',
        '',
        '── koyeb (https://koyeb.example.com): Unreachable: koyeb (GET /health: timed out after 60 s). Nothing was written.',
        '  Plan: none; the run stopped before planning.',
        '',
        '  Applied: nothing was written.',
        '',
        '  Failures (1):',
        '    koyeb GET /health: timed out after 60 s',
        '',
      ].join('\n'),
    );
  });

  it('names every backup in the header, in the order given', () => {
    const [header] = afterVerdict(renderTextReport(aRunWithOneBackupDown()));
    expect(header).toBe(`sync-dbs sync: https://primary.example.com → render ${RENDER_URL}, koyeb ${KOYEB_URL}`);
  });

  it('shows the run-level sections only inside the target blocks', () => {
    const text = renderTextReport(aRunWithOneBackupDown());
    // Every section heading after Read sits in a block, two spaces in.
    for (const heading of ['Plan:', 'Applied:', 'Verified:', 'Failures']) {
      expect(text).not.toMatch(new RegExp(`^${heading}`, 'm'));
      expect(text).toMatch(new RegExp(`^ {2}${heading}`, 'm'));
    }
    expect(text.match(/^── /gm)).toHaveLength(2);
    expect(text.indexOf('── render')).toBeGreaterThan(text.indexOf('Read:'));
    expect(text.indexOf('── koyeb')).toBeGreaterThan(text.indexOf('── render'));
    expect(text.indexOf('Result: 1 of 2 backups in sync.')).toBe(0);
  });

  it('keeps each block to its own backup', () => {
    const text = renderTextReport(aRunWithOneBackupDown());
    const koyebBlock = text.slice(text.indexOf('── koyeb'));
    const renderBlock = text.slice(text.indexOf('── render'), text.indexOf('── koyeb'));
    expect(koyebBlock).not.toContain('→ render');
    expect(koyebBlock).not.toContain('Verified');
    expect(renderBlock).not.toContain('Failures');
    expect(renderBlock).not.toContain('koyeb');
  });

  it('caps each backup’s lists on their own, indented with the block', () => {
    const operations = (server: string) => many(4, server, (key) => to(server, createLicense(key)));
    const run = aRunOver([
      aTarget('render', { outcome: 'changes-pending', plan: aPlan({ operations: operations('render') }) }),
      aTarget('koyeb', { outcome: 'changes-pending', plan: aPlan({ operations: operations('koyeb') }) }),
    ], { command: 'plan', outcome: 'changes-pending' });
    const lines = renderTextReport(run, { maxLinesPerSection: 2 }).split('\n');
    const renderAt = lines.indexOf('── render (https://render.example.com): Plan: 4 licenses to create. Nothing was written.');
    const koyebAt = lines.indexOf('── koyeb (https://koyeb.example.com): Plan: 4 licenses to create. Nothing was written.');
    expect(renderAt).toBeGreaterThan(0);
    expect(lines.slice(renderAt, renderAt + 8)).toEqual([
      '── render (https://render.example.com): Plan: 4 licenses to create. Nothing was written.',
      '  Plan: 4 licenses to create.',
      '    create licenses (4)',
      '      + → render license render-1: missing on the backup',
      '      + → render license render-2: missing on the backup',
      `      … and 2 more ${MORE_HINT}`,
      '',
      '  plan only; nothing was written',
    ]);
    expect(lines.slice(koyebAt, koyebAt + 6)).toEqual([
      '── koyeb (https://koyeb.example.com): Plan: 4 licenses to create. Nothing was written.',
      '  Plan: 4 licenses to create.',
      '    create licenses (4)',
      '      + → koyeb license koyeb-1: missing on the backup',
      '      + → koyeb license koyeb-2: missing on the backup',
      `      … and 2 more ${MORE_HINT}`,
    ]);
    expect(lines[0]).toBe(
      'Result: Plan for 2 backups. render: Plan: 4 licenses to create. Nothing was written. koyeb: Plan: 4 licenses to create. Nothing was written.',
    );
    expect(lines.join('\n')).not.toMatch(/verif/i);
  });

  it('shows a backup’s own guards and forced guards in its block', () => {
    const refusal: GuardRefusal = { guard: 'deletion-limit', facts: { deletions: 40, maxDelete: 10 } };
    const forced: GuardRefusal = { guard: 'shrunken-primary', facts: { field: 'licenses', primary: 1, reference: { kind: 'server', server: 'backup' }, referenceCount: 100, minRatio: 0.5 } };
    const run = aRunOver([
      aTarget('render', { outcome: 'refused', exitCode: 4, guards: [refusal], verified: null }),
      aTarget('koyeb', { forcedGuards: [forced] }),
    ]);
    const lines = renderTextReport(run).split('\n');
    expect(lines).toContain('  Refused before the first write:');
    expect(lines).toContain('    deletion-limit: the plan deletes 40 backup-only licenses, more than --max-delete 10 allows');
    expect(lines).toContain('  Overridden with --force:');
    expect(lines).toContain(
      '    shrunken-primary: the primary lists 1 license (GET /admin/devices) but the backup has 100, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    );
    const text = lines.join('\n');
    expect(text.indexOf('deletion-limit')).toBeLessThan(text.indexOf('── koyeb'));
    expect(text.indexOf('shrunken-primary')).toBeGreaterThan(text.indexOf('── koyeb'));
  });

  it('keeps a hostile verdict or URL in a heading on one line', () => {
    const failure = aFailure({ server: 'render', endpoint: 'GET /health', key: null, reason: 'down\nResult: fine' });
    const run = aRunOver([aTarget('render', { url: 'https://render.example.com/\nx', outcome: 'unreachable', exitCode: 3, plan: null, failures: [failure] }), aTarget('koyeb')]);
    const text = renderTextReport(run);
    expect(text).toContain('── render (https://render.example.com/\\nx): Unreachable: render (GET /health: down\\nResult: fine). Nothing was written.');
    expect(text).not.toMatch(/^Result: fine/m);
  });

  it('uses the one-target layout, without blocks, for a single named backup', () => {
    const op = to('render', createLicense('D1'));
    const run = aRunOver([aTarget('render', { plan: aPlan({ operations: [op] }), applied: [done(op)], verified: { inSync: true, relisted: true, remaining: [] } })]);
    const text = renderTextReport(run);
    expect(afterVerdict(text)[0]).toBe(`sync-dbs sync: https://primary.example.com → render ${RENDER_URL}`);
    expect(text).not.toContain('── ');
    expect(sectionOf(text, 'Plan:')).toEqual(['Plan: 1 license to create.', '  create licenses (1)', '    + → render license D1: missing on the backup']);
  });

  it('gives the default backup by its URL alone', () => {
    expect(afterVerdict(renderTextReport(aRunResult()))[0]).toBe('sync-dbs sync: https://primary.example.com → https://backup.example.com');
  });
});

describe('renderTextReport: a run stopped for all backups', () => {
  /** The primary could not be reached: no backup was planned or written. */
  function primaryDown() {
    const primaryFailure = aFailure({ server: 'primary', endpoint: 'GET /health', key: null, reason: 'timed out after 60 s' });
    const stopped = { outcome: 'unreachable' as const, exitCode: 3, plan: null, verified: null };
    return aRunOver([aTarget('render', { url: RENDER_URL, ...stopped }), aTarget('koyeb', { url: KOYEB_URL, ...stopped })], {
      outcome: 'unreachable',
      exitCode: 3,
      stoppedBeforeTargets: true,
      servers: [
        aServer('primary', { role: null, mustChangePassword: null, users: null, licenses: null, requests: 3 }),
        aServer('render', { url: RENDER_URL, users: null, licenses: null }),
        aServer('koyeb', { url: KOYEB_URL, users: null, licenses: null }),
      ],
      failures: [primaryFailure],
    });
  }

  it('gives the primary’s failure in place of the target blocks', () => {
    expect(renderTextReport(primaryDown())).toBe(
      [
        'Result: Unreachable: the primary (GET /health: timed out after 60 s). Nothing was written.',
        '',
        'sync-dbs sync: https://primary.example.com → render https://render.example.com, koyeb https://koyeb.example.com',
        '  day 2025-06-01, started 06/01/2025 10:00:00 UTC, took 1.2 s',
        '',
        'Read:',
        '  primary https://primary.example.com as sync-admin (role unknown): listing not read; 3 requests',
        '  render  https://render.example.com as sync-admin (role admin): listing not read; 2 requests',
        '  koyeb   https://koyeb.example.com as sync-admin (role admin): listing not read; 2 requests',
        '',
        'Failures (1):',
        '  primary GET /health: timed out after 60 s',
        '',
      ].join('\n'),
    );
  });

  it('gives a guard of the run itself in place of the target blocks', () => {
    const guard: GuardRefusal = { guard: 'role', facts: { server: 'primary', role: 'user' } };
    const stopped = { outcome: 'refused' as const, exitCode: 4, plan: null, verified: null };
    const run = aRunOver([aTarget('render', stopped), aTarget('koyeb', stopped)], {
      outcome: 'refused',
      exitCode: 4,
      stoppedBeforeTargets: true,
      guards: [guard],
    });
    const text = renderTextReport(run);
    expect(sectionOf(text, 'Refused before the first write:')).toEqual(['Refused before the first write:', '  role: the account on primary has role "user", not "admin": it would see only its own licenses']);
    expect(text).not.toContain('── ');
    expect(hasSection(text, 'Plan:')).toBe(false);
    expect(text).not.toContain('Failures');
    expect(text.split('\n')[0]).toBe('Result: Refused: the account on primary has role "user", not "admin": it would see only its own licenses. Nothing was written.');
  });

  it('caps the primary’s failures at the line limit', () => {
    const failures = many(5, 'P', (key) => aFailure({ server: 'primary', key }));
    const stopped = { outcome: 'unreachable' as const, exitCode: 3, plan: null, verified: null };
    const run = aRunOver([aTarget('render', stopped), aTarget('koyeb', stopped)], { outcome: 'unreachable', exitCode: 3, failures });
    expect(sectionOf(renderTextReport(run, { maxLinesPerSection: 2 }), 'Failures')).toEqual([
      'Failures (5):',
      '  primary POST /admin/devices/create P-1: HTTP 500 after 3 attempts',
      '  primary POST /admin/devices/create P-2: HTTP 500 after 3 attempts',
      `  … and 3 more ${MORE_HINT}`,
    ]);
  });
});

describe('renderTextReport: two-way', () => {
  const base = { recordedAt: '2025-05-31T22:00:00.000Z', runId: 41, mode: 'two-way' as const };

  function twoWay(overrides: Partial<TargetResult> = {}, run: Partial<RunResult> = {}) {
    return aRunOver([aTarget('render', { url: RENDER_URL, base, baseRecorded: true, ...overrides })], { mode: 'two-way', ...run });
  }

  it('gives both servers with ⇄ and the base it merged against', () => {
    const lines = afterVerdict(renderTextReport(twoWay()));
    expect(lines.slice(0, 4)).toEqual([
      `sync-dbs sync (two-way): https://primary.example.com ⇄ render ${RENDER_URL}`,
      '  day 2025-06-01, started 06/01/2025 10:00:00 UTC, took 1.2 s',
      '  base: both sides as recorded 05/31/2025 22:00:00 UTC by run #41 (two-way)',
      '',
    ]);
  });

  it('with several backups, gives the base each one merged against, or none for a first run', () => {
    const run = aRunOver(
      [aTarget('render', { url: RENDER_URL, base, baseRecorded: true }), aTarget('koyeb', { url: 'https://koyeb.example.com', base: null, baseRecorded: true })],
      { mode: 'two-way' },
    );
    const lines = afterVerdict(renderTextReport(run));
    expect(lines[2]).toBe('  base of render: both sides as recorded 05/31/2025 22:00:00 UTC by run #41 (two-way)');
    expect(lines[3]).toBe('');
  });

  it('says which kind of run recorded the base, and leaves out a run number it lacks', () => {
    const lines = afterVerdict(renderTextReport(twoWay({ base: { recordedAt: '2025-05-30T08:00:00.000Z', runId: null, mode: 'one-way' } })));
    expect(lines[2]).toBe('  base: both sides as recorded 05/30/2025 08:00:00 UTC (one-way)');
  });

  it('says --resync merged the union without a base', () => {
    const lines = afterVerdict(renderTextReport(twoWay({ base: null }, { resync: true })));
    expect(lines.slice(0, 4)).toEqual([
      `sync-dbs sync (two-way): https://primary.example.com ⇄ render ${RENDER_URL}`,
      '  day 2025-06-01, started 06/01/2025 10:00:00 UTC, took 1.2 s',
      "  --resync: no base; the primary's version wins everywhere (a license only a backup lists is blocked there)",
      '',
    ]);
  });

  it('names the plan command in the two-way header', () => {
    const lines = afterVerdict(renderTextReport(twoWay({}, { command: 'plan', outcome: 'changes-pending' })));
    expect(lines[0]).toBe(`sync-dbs plan (two-way): https://primary.example.com ⇄ render ${RENDER_URL}`);
  });

  it('has no base line when the target carries none and it is no --resync', () => {
    const lines = afterVerdict(renderTextReport(twoWay({ base: null })));
    expect(lines[2]).toBe('');
    expect(lines.join('\n')).not.toMatch(/base:|--resync/);
  });

  it('never says two-way, ⇄ or base for a one-way run', () => {
    const text = renderTextReport(aRunResult());
    expect(text).not.toMatch(/two-way|⇄|base:|--resync/);
  });

  it('keeps a hostile base date on one line', () => {
    const lines = afterVerdict(renderTextReport(twoWay({ base: { ...base, recordedAt: '2025\nResult: in sync.' } })));
    expect(lines[2]).toBe('  base: both sides as recorded 2025\\nResult: in sync. by run #41 (two-way)');
  });

  it('shows writes in both directions in one plan', () => {
    const operations = [
      to('primary', createLicense('P1', null, mergedWrite(createdOn('render'), { code: 'missing', sides: TO_PRIMARY }))),
      to('render', createLicense('R1', null, mergedWrite(createdOn('primary'), { code: 'missing', sides: TO_PEER }))),
      to('primary', blockLicense('P2', BLOCKED_ON_PEER)),
      to('render', updateLicense('R2', mergedWrite(edited('primary', 'owner_name'), { code: 'content-differs', sides: TO_PEER, fields: ['owner_name'], expired: null }))),
      to('primary', createUser('carla', { code: 'user-created-on-source', sides: TO_PRIMARY })),
    ];
    const plan = sectionOf(renderTextReport(twoWay({ plan: aPlan({ operations }) })), 'Plan:');
    expect(plan).toEqual([
      'Plan: 1 user to create, 2 licenses to create, 1 license to update, 1 license to block.',
      '  create users (1): each gets a fresh random password, given to the operator in a file only they can read',
      '    + ← primary user carla: created on render; missing on primary',
      '  create licenses (2)',
      '    + ← primary license P1: created on render since the base; missing on primary',
      '    + → render license R1: created on primary since the base; missing on render',
      '  update licenses (1): upsert: re-dates the license, re-activates it and may e-mail the customer',
      '    ~ → render license R2: edited on primary since the base (content: owner_name); content differs (owner_name)',
      '  block licenses (1)',
      `    ! ← primary license P2: ${P2_REASON}`,
    ]);
  });

  it('gives the direction of the writes still needed after verification', () => {
    const remaining = [to('primary', blockLicense('P2', BLOCKED_ON_PEER))];
    const text = renderTextReport(
      twoWay({ outcome: 'failed', applied: [failed(remaining[0]!)], verified: { inSync: false, relisted: true, remaining } }, { outcome: 'failed' }),
    );
    expect(sectionOf(text, 'Verification found')).toEqual(['Verification found 1 operation still needed:', `  ! ← primary license P2: ${P2_REASON}`]);
  });
});

describe('renderTextReport: conflicts', () => {
  const EDITED = 'edited on primary since the base (content: owner_name); edited on render since the base (content: owner_name);';
  const EDITED_BOTH = `${EDITED} primary wins (--conflict primary)`;

  const RESOLUTION_WORDS: readonly (readonly [ConflictResolution, string])[] = [
    ['primary', "the primary's version is now on both sides"],
    ['peer', "the peer's version is now on both sides"],
    ['block', 'the block wins (a block always does)'],
    ['left', 'left as is on both sides (--conflict none)'],
  ];

  function withConflicts(conflicts: readonly ConflictItem[], extra: Partial<Plan> = {}) {
    return aRunOver([aTarget('render', { plan: aPlan({ conflicts, ...extra }) })], { mode: 'two-way' });
  }

  it.each(RESOLUTION_WORDS)('says what settled a conflict resolved by %s', (resolution, words) => {
    const text = renderTextReport(withConflicts([aConflict({ kind: 'both-edited', key: 'D1', resolution })]));
    expect(sectionOf(text, 'Conflicts')).toEqual(['Conflicts (1): records the two sides changed in different ways', `  both-edited license D1: ${EDITED_BOTH}; ${words}`]);
  });

  it('lists every kind with its key, detail and resolution, in the plan’s order', () => {
    const conflicts = [
      aConflict({
        kind: 'block-vs-edit',
        key: 'D2',
        resolution: 'block',
        changes: { primary: edited('primary', 'owner_name'), peer: blockedOn('render') },
        outcome: { code: 'block-wins', from: { winner: 'primary', policy: 'primary' } },
      }),
      aConflict({
        kind: 'block-vs-unblock',
        key: 'D3',
        resolution: 'block',
        changes: { primary: blockedOn('primary'), peer: { code: 'edited', side: 'render', content: [], owner: null, held: null, opened: true, renewed: false } },
        outcome: { code: 'block-wins', from: null },
      }),
      aConflict({
        kind: 'deleted-vs-edited',
        key: 'D4',
        resolution: 'peer',
        changes: { primary: { code: 'deleted', side: 'primary' }, peer: edited('render', 'cpf') },
        outcome: { code: 'won-restored', winner: 'render', policy: 'peer', restoredOn: 'primary' },
      }),
      aConflict({ kind: 'created-on-both', key: 'D5', resolution: 'left', changes: { primary: createdOn('primary'), peer: createdOn('render') }, outcome: { code: 'left' } }),
      aConflict({ kind: 'both-edited', key: 'D6', resolution: 'primary', changes: { primary: edited('primary', 'cpf'), peer: edited('render', 'cpf') } }),
    ];
    expect(sectionOf(renderTextReport(withConflicts(conflicts)), 'Conflicts')).toEqual([
      'Conflicts (5): records the two sides changed in different ways',
      '  block-vs-edit license D2: edited on primary since the base (content: owner_name); blocked on render since the base (a block always wins); the block wins; content and owner from primary (--conflict primary); the block wins (a block always does)',
      '  block-vs-unblock license D3: blocked on primary since the base (a block always wins); unblocked on render since the base; the block wins; content and owner left as they are (--conflict none); the block wins (a block always does)',
      "  deleted-vs-edited license D4: deleted on primary since the base; edited on render since the base (content: cpf); render wins (--conflict peer): restored on primary; the peer's version is now on both sides",
      '  created-on-both license D5: created on primary since the base; created on render since the base; left as is (--conflict none); left as is on both sides (--conflict none)',
      "  both-edited license D6: edited on primary since the base (content: cpf); edited on render since the base (content: cpf); primary wins (--conflict primary); the primary's version is now on both sides",
    ]);
  });

  it('caps the conflicts at the line limit, counting them all in the heading', () => {
    const conflicts = many(14, 'K', (key) => aConflict({ key, resolution: 'left', outcome: { code: 'left' } }));
    const section = sectionOf(renderTextReport(withConflicts(conflicts)), 'Conflicts');
    expect(section[0]).toBe('Conflicts (14): records the two sides changed in different ways');
    expect(section).toHaveLength(1 + 10 + 1);
    expect(section[10]).toBe(`  both-edited license K-10: ${EDITED} left as is (--conflict none); left as is on both sides (--conflict none)`);
    expect(section.at(-1)).toBe(`  … and 4 more ${MORE_HINT}`);
  });

  it('follows the line limit it is given', () => {
    const conflicts = many(3, 'K', (key) => aConflict({ key, resolution: 'peer', outcome: { code: 'won', winner: 'render', policy: 'peer' } }));
    expect(sectionOf(renderTextReport(withConflicts(conflicts), { maxLinesPerSection: 1 }), 'Conflicts')).toEqual([
      'Conflicts (3): records the two sides changed in different ways',
      `  both-edited license K-1: ${EDITED} render wins (--conflict peer); the peer's version is now on both sides`,
      `  … and 2 more ${MORE_HINT}`,
    ]);
  });

  it('comes after the plan and before the skipped records', () => {
    const text = renderTextReport(
      withConflicts([aConflict()], { operations: [to('primary', createLicense('P1'))], skipped: [skippedItem('unreadable', 'BAD')] }),
    );
    const plan = text.indexOf('\nPlan:');
    const conflicts = text.indexOf('\nConflicts (1)');
    const skipped = text.indexOf('\nSkipped on purpose');
    expect(plan).toBeGreaterThan(0);
    expect(conflicts).toBeGreaterThan(plan);
    expect(skipped).toBeGreaterThan(conflicts);
  });

  it('keeps a hostile key or detail on one line', () => {
    const hostile = aConflict({ key: 'D\n1', changes: { primary: edited('primary', 'cpf'), peer: { code: 'deleted', side: 'a\r\nResult: in sync.' } }, resolution: 'block' });
    expect(sectionOf(renderTextReport(withConflicts([hostile])), 'Conflicts')[1]).toBe(
      '  both-edited license D\\n1: edited on primary since the base (content: cpf); deleted on a\\r\\nResult: in sync. since the base; primary wins (--conflict primary); the block wins (a block always does)',
    );
  });

  it('has no section without conflicts', () => {
    expect(renderTextReport(withConflicts([]))).not.toContain('Conflicts');
    expect(renderTextReport(aRunResult({ plan: null, verified: null }))).not.toContain('Conflicts');
  });
});
