import { describe, expect, it } from 'vitest';
import { deletionLimitGuard, lastGoodRunGuard, roleGuard, shrunkenPrimaryGuard, type ListingCounts } from '../../src/plan/guards.js';
import { licenseKey, userKey, type Operation } from '../../src/plan/operation.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';

describe('roleGuard', () => {
  it('lets the run go on when every account is an admin', () => {
    expect(roleGuard([{ server: 'primary', role: 'admin' }, { server: 'backup render', role: 'admin' }])).toEqual([]);
  });

  it('lets the run go on when there is no login to check', () => {
    expect(roleGuard([])).toEqual([]);
  });

  it('refuses once for each server where the account is a plain user, naming the server', () => {
    const refusals = roleGuard([
      { server: 'primary', role: 'admin' },
      { server: 'backup render', role: 'user' },
      { server: 'backup koyeb', role: 'user' },
    ]);

    expect(refusals).toEqual([
      { guard: 'role', facts: { server: 'backup render', role: 'user' } },
      { guard: 'role', facts: { server: 'backup koyeb', role: 'user' } },
    ]);
  });

  it('refuses a reseller login on the primary, which would see only its own licenses', () => {
    expect(roleGuard([{ server: 'primary', role: 'user' }])).toHaveLength(1);
  });
});

describe('shrunkenPrimaryGuard', () => {
  const BACKUP = { kind: 'server', server: 'backup' } as const;
  const backup = (counts: ListingCounts) => [{ reference: BACKUP, counts }];

  it('lets a primary through that lists as much as the backup', () => {
    expect(shrunkenPrimaryGuard({ users: 10, licenses: 100 }, backup({ users: 10, licenses: 100 }), 0.9)).toEqual([]);
  });

  it('lets a primary through that lists more than the backup', () => {
    expect(shrunkenPrimaryGuard({ users: 50, licenses: 500 }, backup({ users: 10, licenses: 100 }), 0.9)).toEqual([]);
  });

  it('lets a primary through at exactly the minimum ratio of licenses', () => {
    expect(shrunkenPrimaryGuard({ users: 10, licenses: 90 }, backup({ users: 10, licenses: 100 }), 0.9)).toEqual([]);
  });

  it('refuses a primary one license below the minimum ratio', () => {
    const refusals = shrunkenPrimaryGuard({ users: 10, licenses: 89 }, backup({ users: 10, licenses: 100 }), 0.9);

    expect(refusals).toEqual([{ guard: 'shrunken-primary', facts: { field: 'licenses', primary: 89, reference: BACKUP, referenceCount: 100, minRatio: 0.9 } }]);
  });

  it('lets a primary through at exactly the minimum ratio of users, and refuses one user below it', () => {
    expect(shrunkenPrimaryGuard({ users: 9, licenses: 100 }, backup({ users: 10, licenses: 100 }), 0.9)).toEqual([]);
    expect(shrunkenPrimaryGuard({ users: 8, licenses: 100 }, backup({ users: 10, licenses: 100 }), 0.9)).toEqual([
      { guard: 'shrunken-primary', facts: { field: 'users', primary: 8, reference: BACKUP, referenceCount: 10, minRatio: 0.9 } },
    ]);
  });

  it.each([
    [0.1, 10],
    [0.3, 10],
    [0.5, 7],
    [0.7, 10],
    [0.8, 5],
    [0.9, 30],
    [0.95, 20],
    [0.07, 100],
    [0.14, 50],
    [0.55, 100],
    [0.68, 75],
    [0.81, 300],
  ])('treats the boundary exactly, without floating-point error (ratio %s of %s)', (ratio, held) => {
    const exact = Math.round(ratio * held);
    const counts = { users: held, licenses: held };

    expect(shrunkenPrimaryGuard({ users: exact, licenses: exact }, backup(counts), ratio)).toEqual([]);
    expect(shrunkenPrimaryGuard({ users: exact - 1, licenses: exact - 1 }, backup(counts), ratio)).toHaveLength(2);
  });

  it('refuses an empty primary against a populated backup', () => {
    expect(shrunkenPrimaryGuard({ users: 0, licenses: 0 }, backup({ users: 3, licenses: 40 }), 0.5)).toHaveLength(2);
  });

  it('lets anything through against an empty backup (first sync)', () => {
    expect(shrunkenPrimaryGuard({ users: 0, licenses: 0 }, backup({ users: 0, licenses: 0 }), 0.9)).toEqual([]);
  });

  it('is disabled by a ratio of 0', () => {
    expect(shrunkenPrimaryGuard({ users: 0, licenses: 0 }, backup({ users: 1000, licenses: 1000 }), 0)).toEqual([]);
  });

  it('with a ratio of 1 demands at least as many records as the reference', () => {
    expect(shrunkenPrimaryGuard({ users: 5, licenses: 5 }, backup({ users: 5, licenses: 5 }), 1)).toEqual([]);
    expect(shrunkenPrimaryGuard({ users: 5, licenses: 4 }, backup({ users: 5, licenses: 5 }), 1)).toHaveLength(1);
  });

  it('checks the primary against every reference (the backup and the last good run), naming each', () => {
    const refusals = shrunkenPrimaryGuard(
      { users: 10, licenses: 50 },
      [
        { reference: BACKUP, counts: { users: 10, licenses: 50 } },
        { reference: { kind: 'last-good-run' }, counts: { users: 10, licenses: 100 } },
      ],
      0.9,
    );

    expect(refusals).toEqual([
      { guard: 'shrunken-primary', facts: { field: 'licenses', primary: 50, reference: { kind: 'last-good-run' }, referenceCount: 100, minRatio: 0.9 } },
    ]);
  });
});

describe('deletionLimitGuard', () => {
  const deletion = (n: number): Operation => ({ server: 'backup', kind: 'delete-license', key: licenseKey(`D${n}`), deviceId: `D${n}`, reason: { code: 'backup-only' } });
  const planWith = (operations: Operation[]): Plan => ({ operations, skipped: [], drift: [], conflicts: [] });
  const deletions = (count: number) => Array.from({ length: count }, (_, n) => deletion(n));
  const others: Operation[] = [
    { server: 'backup', kind: 'block', key: licenseKey('B'), deviceId: 'B', reason: { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' } },
    { server: 'backup', kind: 'create-user', key: userKey('u'), username: 'u', email: null, role: 'user', reason: { code: 'missing', sides: ONE_WAY } },
  ];

  it('with a limit of 0 refuses any deletion', () => {
    expect(deletionLimitGuard(planWith(deletions(1)), 0)).toEqual([{ guard: 'deletion-limit', facts: { deletions: 1, maxDelete: 0 } }]);
  });

  it('with a limit of 0 lets a plan without deletions through', () => {
    expect(deletionLimitGuard(planWith(others), 0)).toEqual([]);
  });

  it('lets exactly the limit through', () => {
    expect(deletionLimitGuard(planWith(deletions(5)), 5)).toEqual([]);
  });

  it('refuses one deletion over the limit', () => {
    expect(deletionLimitGuard(planWith(deletions(6)), 5)).toEqual([{ guard: 'deletion-limit', facts: { deletions: 6, maxDelete: 5 } }]);
  });

  it('counts only deletions, not other writes', () => {
    expect(deletionLimitGuard(planWith([...others, ...others, ...deletions(2)]), 2)).toEqual([]);
    expect(deletionLimitGuard(planWith([...others, ...deletions(3)]), 2)).toHaveLength(1);
  });
});

describe('lastGoodRunGuard', () => {
  const lastGood = (users: number, licenses: number) => ({ counts: { users, licenses }, recordedAt: '2026-11-20T10:00:00.000Z' });

  it('has nothing to compare with before the first good run', () => {
    expect(lastGoodRunGuard({ users: 0, licenses: 0 }, null, 0.1)).toEqual([]);
  });

  it('lets a primary through that grew or stayed the same', () => {
    expect(lastGoodRunGuard({ users: 10, licenses: 100 }, lastGood(10, 100), 0.1)).toEqual([]);
    expect(lastGoodRunGuard({ users: 11, licenses: 150 }, lastGood(10, 100), 0)).toEqual([]);
  });

  it('lets a primary through that shrank by exactly --max-shrink, and refuses one record more', () => {
    expect(lastGoodRunGuard({ users: 10, licenses: 90 }, lastGood(10, 100), 0.1)).toEqual([]);
    expect(lastGoodRunGuard({ users: 10, licenses: 89 }, lastGood(10, 100), 0.1)).toEqual([
      {
        guard: 'shrunk-since-last-good-run',
        facts: { field: 'licenses', primary: 89, before: 100, recordedAt: '2026-11-20T10:00:00.000Z', shrink: 0.11, maxShrink: 0.1 },
      },
    ]);
  });

  it('checks users as well as licenses, and refuses both when both shrank', () => {
    expect(lastGoodRunGuard({ users: 5, licenses: 100 }, lastGood(10, 100), 0.1)).toEqual([
      { guard: 'shrunk-since-last-good-run', facts: { field: 'users', primary: 5, before: 10, recordedAt: '2026-11-20T10:00:00.000Z', shrink: 0.5, maxShrink: 0.1 } },
    ]);
    expect(lastGoodRunGuard({ users: 0, licenses: 0 }, lastGood(10, 100), 0.5)).toHaveLength(2);
  });

  it('with --max-shrink 0 refuses any shrink, and with 1 none', () => {
    expect(lastGoodRunGuard({ users: 10, licenses: 99 }, lastGood(10, 100), 0)).toHaveLength(1);
    expect(lastGoodRunGuard({ users: 0, licenses: 0 }, lastGood(10, 100), 1)).toEqual([]);
  });
});
