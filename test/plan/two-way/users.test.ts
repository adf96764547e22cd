import { describe, expect, it } from 'vitest';
import { userKey } from '../../../src/plan/operation.js';
import { twoWaySides } from '../../../src/plan/reasons.js';
import { aRejected, aUser } from '../support/records.js';
import { planCase } from '../support/two-way-cases.js';

const TO_PEER = twoWaySides('primary', 'render');
/** Users the peer has and the primary lacks; a user's drift names the primary as `target`, the peer as `source`. */
const TO_PRIMARY = twoWaySides('render', 'primary');

// Users need no base: each side gets the users only the other has; they are
// never changed or removed, and a difference is drift.

describe('users in a two-way run', () => {
  it('on one side only are created on the other, with that side’s email and role, both ways', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ username: 'ana', role: 'admin' })], peerUsers: [aUser({ username: 'bia', email: null })] },
    });

    expect(plan.operations).toEqual([
      { server: 'render', kind: 'create-user', key: userKey('ana'), username: 'ana', email: 'maria@example.com', role: 'admin', reason: { code: 'user-created-on-source', sides: TO_PEER } },
      { server: 'primary', kind: 'create-user', key: userKey('bia'), username: 'bia', email: null, role: 'user', reason: { code: 'user-created-on-source', sides: TO_PRIMARY } },
    ]);
  });

  it('are left uncreated with --new-users skip, and reported', () => {
    const plan = planCase({ base: null, now: { peerUsers: [aUser({ username: 'bia' })] }, options: { newUsers: 'skip' } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'user', key: 'bia', reason: 'new-users-skip', sides: TO_PRIMARY }]);
  });

  it('on both sides with another email or role are drift naming both sides, never written', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ email: 'a@example.com', role: 'admin' })], peerUsers: [aUser({ email: 'b@example.com', role: 'user' })] },
    });

    expect(plan.operations).toEqual([]);
    expect(plan.drift).toEqual([
      { kind: 'user-email', key: 'maria', sides: TO_PRIMARY, source: 'b@example.com', target: 'a@example.com' },
      { kind: 'user-role', key: 'maria', sides: TO_PRIMARY, source: 'user', target: 'admin' },
    ]);
  });

  it('equal on both sides plan nothing', () => {
    expect(planCase({ base: {}, now: { primaryUsers: [aUser()], peerUsers: [aUser()] } })).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });

  it('are not created on a side that lists a user record without a readable username (it may be that user)', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ username: 'ana' })], peerUsers: [aUser({ username: 'bia' })], peerRejected: [aRejected({ kind: 'user', key: null })] },
    });

    expect(plan.operations).toEqual([
      { server: 'primary', kind: 'create-user', key: userKey('bia'), username: 'bia', email: 'maria@example.com', role: 'user', reason: { code: 'user-created-on-source', sides: TO_PRIMARY } },
    ]);
    expect(plan.skipped).toEqual([{ kind: 'user', key: 'ana', reason: 'creations-suspended', keyless: 1, sides: TO_PEER }]);
  });
});
