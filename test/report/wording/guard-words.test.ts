import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/api-error.js';
import { deletionLimitGuard, lastGoodRunGuard, roleGuard, shrunkenPrimaryGuard, type GuardRefusal, type ListingCounts } from '../../../src/plan/guards.js';
import { licenseKey, type Operation } from '../../../src/plan/operation.js';
import { guardMessage } from '../../../src/report/wording/guard-words.js';
import { stopFor } from '../../../src/run/run-stop.js';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { englishLeft } from './support/english-left.js';

// Why a guard refused, in words: every guard has its wording, and the
// guards' scenarios read as they always did. Times are the machine's local
// time with its offset: pinned here to São Paulo's.

const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});

/** Some ICU versions put a narrow no-break space before AM/PM. */
function plainSpaces(text: string): string {
  return text.replace(/\u202f/g, ' ');
}

const SAMPLES: { readonly [G in GuardRefusal['guard']]: readonly (readonly [Extract<GuardRefusal, { readonly guard: G }>, string])[] } = {
  role: [[{ guard: 'role', facts: { server: 'render', role: 'user' } }, 'the account on render has role "user", not "admin": it would see only its own licenses']],
  'unreadable-listing': [
    [
      { guard: 'unreadable-listing', facts: { server: 'primary' } },
      'the primary server did not answer with the JSON the contract promises; nothing is written on the strength of a listing that could not be read',
    ],
  ],
  'shrunken-primary': [
    [
      { guard: 'shrunken-primary', facts: { field: 'licenses', primary: 55, reference: { kind: 'server', server: 'backup' }, referenceCount: 100, minRatio: 0.6 } },
      'the primary lists 55 licenses (GET /admin/devices) but the backup has 100, below the 60% minimum (--min-primary-ratio): the listing may be partial',
    ],
    [
      { guard: 'shrunken-primary', facts: { field: 'users', primary: 2, reference: { kind: 'server', server: 'render' }, referenceCount: 10, minRatio: 0.55 } },
      'the primary lists 2 users (GET /admin/users) but render has 10, below the 55% minimum (--min-primary-ratio): the listing may be partial',
    ],
    [
      { guard: 'shrunken-primary', facts: { field: 'users', primary: 2, reference: { kind: 'last-good-run' }, referenceCount: 10, minRatio: 0.5 } },
      'the primary lists 2 users (GET /admin/users) but the last good run has 10, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    ],
  ],
  'shrunk-since-last-good-run': [
    [
      { guard: 'shrunk-since-last-good-run', facts: { field: 'licenses', primary: 875, before: 1000, recordedAt: '2026-11-20T10:00:00.000Z', shrink: 0.125, maxShrink: 0.1 } },
      'the primary lists 875 licenses (GET /admin/devices) but listed 1,000 at the last good run (11/20/2026 07:00:00 UTC-03:00), 12.5% fewer, more than --max-shrink 10% allows; run with --force if the primary really lost them',
    ],
  ],
  'deletion-limit': [[{ guard: 'deletion-limit', facts: { deletions: 40, maxDelete: 10 } }, 'the plan deletes 40 backup-only licenses, more than --max-delete 10 allows']],
  'two-way-base': [
    [
      { guard: 'two-way-base', facts: { problem: 'none', peer: 'render' } },
      "there is no base for primary ↔ render yet (no successful sync of this pair recorded in this state directory); a first run needs none: the primary's version wins everywhere",
    ],
    [
      {
        guard: 'two-way-base',
        facts: { problem: 'other-servers', peer: 'render', peerUrl: 'https://render.example.com', primaryUrl: 'https://old.example.com', recordedAt: '2026-11-20T10:00:00.000Z' },
      },
      "the base kept for render (https://render.example.com) was recorded with another primary (https://old.example.com, 11/20/2026 07:00:00 UTC-03:00); run with --resync to merge without it (the primary's version wins everywhere; a license only the backup lists is blocked there)",
    ],
    [
      { guard: 'two-way-base', facts: { problem: 'unreadable', peer: 'render', detail: 'primary ↔ render: could not be read from the state database (disk I/O error)' } },
      "the base of primary ↔ render cannot be used: primary ↔ render: could not be read from the state database (disk I/O error); run with --resync to merge without it (the primary's version wins everywhere; a license only the backup lists is blocked there)",
    ],
  ],
  'shrunk-since-base': [
    [
      { guard: 'shrunk-since-base', facts: { server: 'render', licenses: 40, baseLicenses: 100, recordedAt: '2026-11-20T10:00:00.000Z', shrink: 0.6, maxShrink: 0.1 } },
      'render lists 40 licenses (GET /admin/devices) but held 100 at the base (11/20/2026 07:00:00 UTC-03:00), 60% fewer, more than --max-shrink 10% allows; run with --force if render really lost them (they will be restored or, with --delete, deleted on the other side)',
    ],
  ],
  'shrunken-side': [
    [
      { guard: 'shrunken-side', facts: { server: 'primary', field: 'licenses', count: 9, other: 'render', otherCount: 100, minRatio: 0.5 } },
      'primary lists 9 licenses (GET /admin/devices) but render has 100, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    ],
  ],
  'backup-changed-since-base': [
    [
      { guard: 'backup-changed-since-base', facts: { backup: 'render', deviceIds: ['K1'], recordedAt: '2026-11-20T10:00:00.000Z' } },
      "1 license was created or changed on render since the last sync (11/20/2026 07:00:00 UTC-03:00) and the primary does not have that work (K1), as after a failover; this strict one-way run (--mode one-way) would undo it. To bring it into the primary and every backup, run: sync-dbs sync --mode two-way --backup render (the default mode does this for every backup). --force instead destroys that work: sales made on render are blocked there and exist nowhere else, and its edits, blocks and unblocks are overwritten with the primary's",
    ],
    [
      { guard: 'backup-changed-since-base', facts: { backup: 'backup', deviceIds: ['K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7'], recordedAt: '2026-11-20T10:00:00.000Z' } },
      "7 licenses were created or changed on backup since the last sync (11/20/2026 07:00:00 UTC-03:00) and the primary does not have that work (K1, K2, K3, K4, K5, … (2 more)), as after a failover; this strict one-way run (--mode one-way) would undo it. To bring it into the primary and every backup, run: sync-dbs sync --mode two-way --backup backup (the default mode does this for every backup). --force instead destroys that work: sales made on backup are blocked there and exist nowhere else, and its edits, blocks and unblocks are overwritten with the primary's",
    ],
  ],
};

describe('every guard has its wording', () => {
  const cases = Object.entries(SAMPLES).flatMap(([guard, list]) => (list as readonly (readonly [GuardRefusal, string])[]).map(([refusal, words]) => [guard, refusal, words] as const));

  it.each(cases)('%s', (_guard, refusal, words) => {
    expect(plainSpaces(guardMessage(refusal))).toBe(words);
  });

  it('words the refusal of a listing that is not JSON', () => {
    const error = new ApiError({ kind: 'malformed', server: 'primary', endpoint: 'GET /admin/devices', key: null, status: 200, reason: 'not JSON' });
    expect(stopFor([{ error, server: 'primary' }]).guards.map(guardMessage)).toEqual([
      'the primary server did not answer with the JSON the contract promises; nothing is written on the strength of a listing that could not be read',
    ]);
  });
});

// The English the guards' tests used to check, now checked on the wording of their facts.

describe('refusals, in words', () => {
  it('role: names the server and the role', () => {
    const refusals = roleGuard([
      { server: 'primary', role: 'admin' },
      { server: 'backup render', role: 'user' },
      { server: 'backup koyeb', role: 'user' },
    ]).map(guardMessage);
    expect(refusals).toEqual([expect.stringContaining('backup render'), expect.stringContaining('backup koyeb')]);
    expect(refusals[0]).toContain('"user"');
  });

  it('shrunken-primary: names the counts, the reference and the ratio', () => {
    const backup = (counts: ListingCounts) => [{ reference: { kind: 'server', server: 'backup' } as const, counts }];
    expect(shrunkenPrimaryGuard({ users: 10, licenses: 89 }, backup({ users: 10, licenses: 100 }), 0.9).map(guardMessage)).toEqual([
      expect.stringMatching(/89 licenses.*the backup has 100.*90%/),
    ]);
    expect(shrunkenPrimaryGuard({ users: 8, licenses: 100 }, backup({ users: 10, licenses: 100 }), 0.9).map(guardMessage)).toEqual([expect.stringMatching(/8 users.*10/)]);
    const refusals = shrunkenPrimaryGuard(
      { users: 10, licenses: 50 },
      [
        { reference: { kind: 'server', server: 'backup' }, counts: { users: 10, licenses: 50 } },
        { reference: { kind: 'last-good-run' }, counts: { users: 10, licenses: 100 } },
      ],
      0.9,
    );
    expect(refusals.map(guardMessage)).toEqual([expect.stringContaining('the last good run')]);
  });

  it('deletion-limit: names the deletions and the limit', () => {
    const deletion = (n: number): Operation => ({ server: 'backup', kind: 'delete-license', key: licenseKey(`D${n}`), deviceId: `D${n}`, reason: { code: 'backup-only' } });
    const planWith = (count: number) => ({ operations: Array.from({ length: count }, (_, n) => deletion(n)), skipped: [], drift: [], conflicts: [] });
    expect(deletionLimitGuard(planWith(1), 0).map(guardMessage)).toEqual([expect.stringMatching(/deletes 1 .*--max-delete 0/)]);
    expect(deletionLimitGuard(planWith(6), 5).map(guardMessage)).toEqual([expect.stringContaining('deletes 6')]);
  });

  it('shrunk-since-last-good-run: names the listing, both counts, the date, the shrink and the limit', () => {
    const lastGood = (users: number, licenses: number) => ({ counts: { users, licenses }, recordedAt: '2026-11-20T10:00:00.000Z' });
    expect(lastGoodRunGuard({ users: 10, licenses: 89 }, lastGood(10, 100), 0.1).map((refusal) => plainSpaces(guardMessage(refusal)))).toEqual([
      expect.stringMatching(/89 licenses \(GET \/admin\/devices\) but listed 100 at the last good run \(11\/20\/2026 07:00:00 UTC-03:00\), 11% fewer, more than --max-shrink 10%.*--force/),
    ]);
    expect(lastGoodRunGuard({ users: 5, licenses: 100 }, lastGood(10, 100), 0.1).map(guardMessage)).toEqual([expect.stringMatching(/5 users \(GET \/admin\/users\) but listed 10/)]);
  });
});

describe('refusals in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));
  afterEach(() => setLanguage('en'));

  const cases = Object.entries(SAMPLES).flatMap(([guard, list]) => (list as readonly (readonly [GuardRefusal, string])[]).map(([refusal, words]) => [guard, refusal, words] as const));

  it.each(cases)('%s has its Portuguese wording, no English left', (_guard, refusal, english) => {
    // The detail of an unreadable base comes from the state store as it is.
    const detail = 'detail' in refusal.facts ? refusal.facts.detail : '';
    const words = guardMessage(refusal).replace(detail, '');
    expect(words).not.toBe(english);
    expect(englishLeft(words), words).toEqual([]);
  });

  it('writes counts, shares and the local time of the last good run the Brazilian way', () => {
    expect(
      guardMessage({
        guard: 'shrunk-since-last-good-run',
        facts: { field: 'licenses', primary: 875, before: 1000, recordedAt: '2026-11-20T10:00:00.000Z', shrink: 0.125, maxShrink: 0.1 },
      }),
    ).toBe(
      'o primário lista 875 licenças (GET /admin/devices), mas listava 1.000 na última execução bem-sucedida (20/11/2026 07:00:00 UTC-03:00): 12,5% a menos, mais do que --max-shrink 10% permite; use --force se o primário realmente as perdeu',
    );
    expect(guardMessage({ guard: 'shrunken-primary', facts: { field: 'users', primary: 1, reference: { kind: 'server', server: 'backup' }, referenceCount: 10, minRatio: 0.5 } })).toBe(
      'o primário lista 1 revendedor (GET /admin/users), mas o backup tem 10, abaixo do mínimo de 50% (--min-primary-ratio): a listagem pode estar incompleta',
    );
  });
});
