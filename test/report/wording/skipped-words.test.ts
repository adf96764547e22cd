import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../../../src/plan/plan.js';
import type { SkippedItem } from '../../../src/plan/plan-types.js';
import { ONE_WAY, twoWaySides } from '../../../src/plan/reasons.js';
import { skippedDetailText } from '../../../src/report/wording/skipped-words.js';
import { aLicense, aRejected, aUser, snapshotOf, TODAY } from '../../plan/support/records.js';
import { onBoth, planCase } from '../../plan/support/two-way-cases.js';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { englishLeft } from './support/english-left.js';

// Why one record is left alone, in words: every reason has its wording, and
// the planner's scenarios read as they always did.

const TO_PEER = twoWaySides('primary', 'render');

const SAMPLES: { readonly [R in SkippedItem['reason']]: readonly (readonly [Extract<SkippedItem, { readonly reason: R }>, string])[] } = {
  'deletion-pending': [
    [
      { kind: 'license', key: 'L', reason: 'deletion-pending', deletedOn: 'render', heldOn: null, why: { code: 'no-delete' } },
      'deleted on render since an earlier base, restored there (pass --delete to propagate deletions); still pending: a run with --delete deletes it everywhere',
    ],
    [
      { kind: 'license', key: 'L', reason: 'deletion-pending', deletedOn: 'primary', heldOn: 'render', why: { code: 'over-max-delete', deletions: 3, maxDelete: 2 } },
      'not on primary; blocked on render so that it refuses it too (3 deletions exceed --max-delete 2); still pending: a run with --delete deletes it there',
    ],
  ],
  'backup-only': [
    [{ kind: 'user', key: 'u', reason: 'backup-only' }, 'exists only on the backup; users are never removed'],
    [{ kind: 'license', key: 'L', reason: 'backup-only' }, 'exists only on the backup; pass --delete to remove such licenses'],
  ],
  'new-users-skip': [
    [{ kind: 'user', key: 'u', reason: 'new-users-skip', sides: ONE_WAY }, 'missing on the backup; --new-users skip leaves it uncreated'],
    [{ kind: 'user', key: 'u', reason: 'new-users-skip', sides: TO_PEER }, 'on primary, missing on render; --new-users skip leaves it uncreated'],
  ],
  unreadable: [
    [{ kind: 'user', key: 'u', reason: 'unreadable', bothSides: false }, 'a listed record for this username could not be read; left alone'],
    [{ kind: 'license', key: 'L', reason: 'unreadable', bothSides: true }, 'a listed record for this device_id could not be read; left alone on both sides'],
  ],
  'deletions-suspended': [
    [
      { kind: 'license', key: 'L', reason: 'deletions-suspended', keyless: 2, goneFrom: null },
      'exists only on the backup, but 2 primary record(s) have no readable device_id: it may be one of them',
    ],
    [
      { kind: 'license', key: 'L', reason: 'deletions-suspended', keyless: 1, goneFrom: 'render' },
      'gone from render since the base, but 1 render record(s) have no readable device_id: it may be one of them',
    ],
  ],
  'not-addressable': [
    [
      { kind: 'license', key: 'A/1', reason: 'not-addressable', why: 'slash', call: 'create', sides: ONE_WAY, source: 'allow' },
      'not created on the backup: its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it, so it could never be blocked or deleted there; the primary allows it; the backup, lacking it, denies that client until a person creates it there',
    ],
    [
      { kind: 'license', key: 'A/1', reason: 'not-addressable', why: 'slash', call: 'create', sides: ONE_WAY, source: 'deny:blocked' },
      'not created on the backup: its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it, so it could never be blocked or deleted there; the primary denies it (blocked); the backup, lacking it, denies it too',
    ],
    [
      { kind: 'license', key: '..', reason: 'not-addressable', why: 'dot-segment', call: 'delete', sides: TO_PEER, source: null },
      'exists only on render and cannot be deleted there: its device_id is a dot segment ("." or ".."), which URL parsing removes from a path; delete it by hand in the admin panel of render',
    ],
    [
      { kind: 'license', key: 'A/1', reason: 'not-addressable', why: 'slash', call: 'activate', sides: ONE_WAY, source: 'allow' },
      'the primary allows it and the backup denies it, but it cannot be activated there: its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it; activate it by hand in the admin panel of the backup if that client must get in',
    ],
    [
      { kind: 'license', key: 'A/1', reason: 'not-addressable', why: 'lone-surrogate', call: 'block', sides: ONE_WAY, source: 'deny:blocked' },
      'not blocked on the backup: its device_id is not well-formed Unicode and cannot be percent-encoded; both servers deny it already, for different reasons',
    ],
    [
      { kind: 'license', key: 'A/1', reason: 'not-addressable', why: 'slash', call: 'block', sides: TO_PEER, source: null },
      'not blocked on render: its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it; primary lacks it and render still allows it; delete it by hand in the admin panel of render',
    ],
  ],
  'over-grant': [
    [
      { kind: 'license', key: 'A/1', reason: 'over-grant', why: 'slash', sides: ONE_WAY, source: 'deny:expired' },
      'OVER-GRANT, needs a person: the backup allows it while the primary denies it (expired), and no call can block or delete it there: its device_id contains "/", and the server decodes %2F before routing, so no /admin/devices/<device_id>/... call reaches it. Delete it by hand in the admin panel of the backup, or, if that client should get in, renew it on the primary',
    ],
  ],
  'creations-suspended': [
    [
      { kind: 'user', key: 'u', reason: 'creations-suspended', keyless: 1, sides: ONE_WAY },
      'missing on the backup, but 1 backup record(s) have no readable username: it may be one of them',
    ],
    [
      { kind: 'license', key: 'L', reason: 'creations-suspended', keyless: 3, sides: ONE_WAY },
      'missing on the backup, but 3 backup record(s) have no readable device_id: it may be one of them',
    ],
    [
      { kind: 'user', key: 'u', reason: 'creations-suspended', keyless: 1, sides: TO_PEER },
      'on primary, missing on render, but 1 record(s) there have no readable username: it may be one of them',
    ],
    [
      { kind: 'license', key: 'L', reason: 'creations-suspended', keyless: 1, sides: TO_PEER },
      'missing on render, but 1 render record(s) have no readable device_id: it may be one of them',
    ],
  ],
};

describe('every skip reason has its wording', () => {
  const cases = Object.entries(SAMPLES).flatMap(([reason, list]) => (list as readonly (readonly [SkippedItem, string])[]).map(([item, words]) => [reason, item, words] as const));

  it.each(cases)('%s', (_reason, item, words) => {
    expect(skippedDetailText(item)).toBe(words);
  });
});

// The English the planner's tests used to check, now checked on the wording of the planner's codes.

describe('skipped records, in words', () => {
  it('a user not created while a backup record has no readable username says how many', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ username: 'ana' }), aUser({ username: 'bia' })] }),
      snapshotOf({ users: [aUser({ username: 'bia' })], rejected: [aRejected({ kind: 'user', key: null, reason: 'username: required' })] }),
      { newUsers: 'create', deleteBackupOnly: false },
      TODAY,
    );
    expect(result.skipped.map(skippedDetailText)).toEqual([expect.stringMatching(/1 backup record\(s\) have no readable username/)]);
  });

  it('two-way: a creation or deletion suspended names the side with the keyless records', () => {
    const KEYLESS = aRejected({ kind: 'license', key: null, reason: 'device_id: required' });
    const license = aLicense();
    expect(planCase({ base: {}, now: { primary: aLicense({ device_id: 'OTHER-DEVICE' }), peerRejected: [KEYLESS] } }).skipped.map(skippedDetailText)).toEqual([
      expect.stringContaining('1 render record(s) have no readable device_id'),
    ]);
    for (const [now, hidden] of [
      [{ primary: license, peerRejected: [KEYLESS] }, 'render'],
      [{ peer: license, primaryRejected: [KEYLESS] }, 'primary'],
    ] as const) {
      expect(planCase({ base: onBoth(license), now, options: { delete: true } }).skipped.map(skippedDetailText)).toEqual([
        expect.stringContaining(`gone from ${hidden} since the base`),
      ]);
    }
  });

  it('two-way users: skipped ones name the side they are missing on', () => {
    const skip = planCase({ base: null, now: { peerUsers: [aUser({ username: 'bia' })] }, options: { newUsers: 'skip' } });
    expect(skip.skipped.map(skippedDetailText)).toEqual([expect.stringContaining('missing on primary')]);
    const keyless = planCase({
      base: {},
      now: { primaryUsers: [aUser({ username: 'ana' })], peerUsers: [aUser({ username: 'bia' })], peerRejected: [aRejected({ kind: 'user', key: null })] },
    });
    expect(keyless.skipped.map(skippedDetailText)).toEqual([expect.stringContaining('1 record(s) there have no readable username')]);
  });
});

describe('skipped records in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));
  afterEach(() => setLanguage('en'));

  const cases = Object.entries(SAMPLES).flatMap(([reason, list]) => (list as readonly (readonly [SkippedItem, string])[]).map(([item, words]) => [reason, item, words] as const));

  it.each(cases)('%s has its Portuguese wording, no English left', (_reason, item, english) => {
    const words = skippedDetailText(item);
    expect(words).not.toBe(english);
    expect(englishLeft(words), words).toEqual([]);
  });

  it('words an over-grant for the person who must act', () => {
    expect(skippedDetailText({ kind: 'license', key: 'a/b', reason: 'over-grant', sides: ONE_WAY, source: 'deny:expired', why: 'empty' })).toBe(
      'LIBERAÇÃO INDEVIDA, precisa de uma pessoa: o backup a permite enquanto o primário a recusa (expirada), e nenhuma chamada consegue bloqueá-la ou excluí-la lá: o device_id está vazio. ' +
        'Exclua-a à mão no painel de administração do backup ou, se esse cliente deve ter acesso, faça a renovação no primário',
    );
  });
});
