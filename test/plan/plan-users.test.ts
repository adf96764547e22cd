import { describe, expect, it } from 'vitest';
import { userKey } from '../../src/plan/operation.js';
import { plan } from '../../src/plan/plan.js';
import type { PlanOptions } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import { aRejected, aUser, snapshotOf, TODAY } from './support/records.js';

const CREATE: PlanOptions = { newUsers: 'create', deleteBackupOnly: false };
const SKIP: PlanOptions = { newUsers: 'skip', deleteBackupOnly: false };

describe('users missing on the backup', () => {
  it('are created with the primary’s email and role', () => {
    const maria = aUser({ username: 'maria', email: 'maria@example.com', role: 'admin' });
    const result = plan(snapshotOf({ users: [maria] }), snapshotOf(), CREATE, TODAY);

    expect(result.operations).toEqual([
      { server: 'backup', kind: 'create-user', key: userKey('maria'), reason: { code: 'missing', sides: ONE_WAY }, username: 'maria', email: 'maria@example.com', role: 'admin' },
    ]);
    expect(result.drift).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('are created with a null email when the primary has none', () => {
    const result = plan(snapshotOf({ users: [aUser({ username: 'joao', email: null, role: 'user' })] }), snapshotOf(), CREATE, TODAY);

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'create-user', username: 'joao', email: null, role: 'user' }]);
  });

  it('carry no password: the executor makes a fresh one for each user', () => {
    const result = plan(snapshotOf({ users: [aUser()] }), snapshotOf(), CREATE, TODAY);

    expect(JSON.stringify(result.operations)).not.toMatch(/password/i);
  });

  it('are only created for the users that are actually missing', () => {
    const shared = aUser({ username: 'ana' });
    const result = plan(snapshotOf({ users: [shared, aUser({ username: 'bia' })] }), snapshotOf({ users: [shared] }), CREATE, TODAY);

    expect(result.operations.map((operation) => operation.key)).toEqual([userKey('bia')]);
  });

  it('with newUsers "skip" are left uncreated and reported as skipped', () => {
    const result = plan(snapshotOf({ users: [aUser({ username: 'maria' })] }), snapshotOf(), SKIP, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'user', key: 'maria', reason: 'new-users-skip', sides: ONE_WAY }]);
  });
});

describe('users on both servers', () => {
  it('plan nothing and report nothing when they are equal', () => {
    const users = [aUser({ username: 'ana' }), aUser({ username: 'bia', email: null, role: 'admin' })];
    const result = plan(snapshotOf({ users }), snapshotOf({ users }), CREATE, TODAY);

    expect(result).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });

  it('report an email difference as drift and never write it', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ email: 'new@example.com' })] }),
      snapshotOf({ users: [aUser({ email: 'old@example.com' })] }),
      CREATE,
      TODAY,
    );

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([{ kind: 'user-email', key: 'maria', sides: ONE_WAY, source: 'new@example.com', target: 'old@example.com' }]);
  });

  it('report an email present on one side only as drift', () => {
    const result = plan(snapshotOf({ users: [aUser({ email: null })] }), snapshotOf({ users: [aUser({ email: 'old@example.com' })] }), CREATE, TODAY);

    expect(result.drift.map((item) => item.kind)).toEqual(['user-email']);
  });

  it('report a role difference as drift and never write it', () => {
    const result = plan(snapshotOf({ users: [aUser({ role: 'admin' })] }), snapshotOf({ users: [aUser({ role: 'user' })] }), CREATE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([{ kind: 'user-role', key: 'maria', sides: ONE_WAY, source: 'admin', target: 'user' }]);
  });

  it('report both differences when email and role differ', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ role: 'admin', email: 'a@example.com' })] }),
      snapshotOf({ users: [aUser({ role: 'user', email: 'b@example.com' })] }),
      CREATE,
      TODAY,
    );

    expect(result.operations).toEqual([]);
    expect(result.drift.map((item) => item.kind).sort()).toEqual(['user-email', 'user-role']);
  });
});

describe('users only on the backup', () => {
  it('are reported and never touched, whatever the options', () => {
    for (const options of [CREATE, SKIP, { newUsers: 'create', deleteBackupOnly: true } as const]) {
      const result = plan(snapshotOf(), snapshotOf({ users: [aUser({ username: 'old' })] }), options, TODAY);

      expect(result.operations).toEqual([]);
      expect(result.skipped).toEqual([{ kind: 'user', key: 'old', reason: 'backup-only' }]);
    }
  });
});

describe('users with an unreadable record', () => {
  it('are not created when the primary’s record for that username was rejected', () => {
    const result = plan(
      snapshotOf({ rejected: [aRejected({ kind: 'user', key: 'maria', reason: 'role: invalid' })] }),
      snapshotOf(),
      CREATE,
      TODAY,
    );

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'user', key: 'maria', reason: 'unreadable', bothSides: false }]);
  });

  it('are not created when the backup’s record for that username was rejected', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ username: 'maria' })] }),
      snapshotOf({ rejected: [aRejected({ kind: 'user', key: 'maria' })] }),
      CREATE,
      TODAY,
    );

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'user', key: 'maria', reason: 'unreadable', bothSides: false }]);
  });

  it('are not compared when a copy on one side was rejected', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ role: 'admin' })], rejected: [aRejected({ kind: 'user', key: 'maria' })] }),
      snapshotOf({ users: [aUser({ role: 'user' })] }),
      CREATE,
      TODAY,
    );

    expect(result.drift).toEqual([]);
    expect(result.skipped.map((item) => [item.key, item.reason])).toEqual([['maria', 'unreadable']]);
  });

  it('do not stop other users from being planned', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ username: 'ana' })], rejected: [aRejected({ kind: 'user', key: null, reason: 'username: required' })] }),
      snapshotOf(),
      CREATE,
      TODAY,
    );

    expect(result.operations.map((operation) => operation.key)).toEqual([userKey('ana')]);
  });

  it('are not created while a backup record has no readable username: it may be that user', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ username: 'ana' }), aUser({ username: 'bia' })] }),
      snapshotOf({ users: [aUser({ username: 'bia' })], rejected: [aRejected({ kind: 'user', key: null, reason: 'username: required' })] }),
      CREATE,
      TODAY,
    );

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'user', key: 'ana', reason: 'creations-suspended', keyless: 1, sides: ONE_WAY }]);
  });

  it('are told apart from licenses with the same key', () => {
    const result = plan(
      snapshotOf({ users: [aUser({ username: 'X1' })], rejected: [aRejected({ kind: 'license', key: 'X1' })] }),
      snapshotOf(),
      CREATE,
      TODAY,
    );

    expect(result.operations.map((operation) => operation.key)).toEqual([userKey('X1')]);
  });
});
