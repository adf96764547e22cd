import { describe, expect, it } from 'vitest';
import { userKey } from '../../../src/plan/operation.js';
import { aRejected, aUser } from '../support/records.js';
import { planCase } from '../support/two-way-cases.js';

// Users need no base: each side gets the users only the other has; they are
// never changed or removed, and a difference is drift.

describe('users in a two-way run', () => {
  it('on one side only are created on the other, with that side’s email and role, both ways', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ username: 'ana', role: 'admin' })], peerUsers: [aUser({ username: 'bia', email: null })] },
    });

    expect(plan.operations).toEqual([
      { server: 'render', kind: 'create-user', key: userKey('ana'), username: 'ana', email: 'maria@example.com', role: 'admin', reason: 'created on primary; missing on render' },
      { server: 'primary', kind: 'create-user', key: userKey('bia'), username: 'bia', email: null, role: 'user', reason: 'created on render; missing on primary' },
    ]);
  });

  it('are left uncreated with --new-users skip, and reported', () => {
    const plan = planCase({ base: null, now: { peerUsers: [aUser({ username: 'bia' })] }, options: { newUsers: 'skip' } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'user', key: 'bia', reason: 'new-users-skip', detail: expect.stringContaining('missing on primary') }]);
  });

  it('on both sides with another email or role are drift naming both sides, never written', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ email: 'a@example.com', role: 'admin' })], peerUsers: [aUser({ email: 'b@example.com', role: 'user' })] },
    });

    expect(plan.operations).toEqual([]);
    expect(plan.drift).toEqual([
      { kind: 'user-email', key: 'maria', detail: 'email "a@example.com" on primary, "b@example.com" on render' },
      { kind: 'user-role', key: 'maria', detail: 'role admin on primary, user on render' },
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
      { server: 'primary', kind: 'create-user', key: userKey('bia'), username: 'bia', email: 'maria@example.com', role: 'user', reason: 'created on render; missing on primary' },
    ]);
    expect(plan.skipped).toEqual([{ kind: 'user', key: 'ana', reason: 'creations-suspended', detail: expect.stringContaining('1 record(s) there have no readable username') }]);
  });
});
