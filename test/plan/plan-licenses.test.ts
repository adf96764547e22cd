import { describe, expect, it } from 'vitest';
import { addMonths, licenseEndDate } from '../../src/domain/calendar-date.js';
import { licenseDecision } from '../../src/domain/decision.js';
import type { LicenseRecord, Snapshot } from '../../src/snapshot/records.js';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { licenseKey } from '../../src/plan/operation.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan, PlanOptions } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import { applyPlan } from './support/backup-model.js';
import { aLicense, aLicenseRow, aRejected, daysFromToday, snapshotOf, TODAY } from './support/records.js';

const DEFAULTS: PlanOptions = { newUsers: 'create', deleteBackupOnly: false };
const WITH_DELETE: PlanOptions = { newUsers: 'create', deleteBackupOnly: true };
const ID = aLicense().device_id;
const KEY = licenseKey(ID);

function planPair(primary: LicenseRecord | undefined, backup: LicenseRecord | undefined, options: PlanOptions = DEFAULTS): Plan {
  return plan(snapshotOf({ licenses: primary ? [primary] : [] }), snapshotOf({ licenses: backup ? [backup] : [] }), options, TODAY);
}

function kinds(result: Plan): string[] {
  return result.operations.map((operation) => operation.kind);
}

function driftKinds(result: Plan): string[] {
  return result.drift.map((item) => item.kind).sort();
}

/** What the backup answers a client after the plan is applied by the backup model. */
function decisionAfter(result: Plan, backup: LicenseRecord | undefined): string | undefined {
  const after = applyPlan(snapshotOf({ licenses: backup ? [backup] : [] }), result.operations, TODAY).licenses.get(ID);
  return after && licenseDecision(after, TODAY);
}

// Licenses the primary denies, each for its own reason.
const BLOCKED = aLicense({ status: 'blocked' });
const EXPIRED = aLicense({ start_date: daysFromToday(-400), end_date: daysFromToday(-1) });
const PENDING = aLicense({ status: 'pending' });
const EXPIRED_PENDING = aLicense({ status: 'pending', end_date: daysFromToday(-1) });
const BLOCKED_EXPIRED = aLicense({ status: 'blocked', end_date: daysFromToday(-1) });

describe('licenses missing on the backup', () => {
  it('are created with the primary’s content and created_by, and nothing else', () => {
    const license = aLicense({ created_by: 'maria', address: 'Av. Brasil, 500, apto 12' });
    const result = planPair(license, undefined);

    expect(result.operations).toEqual([
      {
        server: 'backup',
        kind: 'create-license',
        key: KEY,
        reason: { code: 'missing', sides: ONE_WAY },
        thenBlock: null,
        body: {
          device_id: ID,
          license_type: 'anual',
          owner_name: license.owner_name,
          cpf: license.cpf,
          email: license.email,
          address: 'Av. Brasil, 500, apto 12',
          created_by: 'maria',
        },
      },
    ]);
    expect(result.drift).toEqual([]);
  });

  it('are created with created_by "admin" when the primary’s created_by is null (null ≡ "admin")', () => {
    const primary = buildSnapshot([], [aLicenseRow({ created_by: null })]);
    const result = plan(primary, snapshotOf(), DEFAULTS, TODAY);

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'create-license', body: { created_by: 'admin' } }]);
  });

  it('keep null content fields null in the body (the client leaves them out of the request)', () => {
    const result = planPair(aLicense({ owner_name: null, cpf: null, email: null, address: null, license_type: 'vitalicia', end_date: null }), undefined);

    expect(result.operations).toMatchObject([
      { server: 'backup', kind: 'create-license', thenBlock: null, body: { owner_name: null, cpf: null, email: null, address: null, license_type: 'vitalicia' } },
    ]);
  });

  it.each([
    ['blocked', BLOCKED, 'deny:blocked'],
    ['expired', EXPIRED, 'deny:expired'],
    ['pending', PENDING, 'deny:pending'],
    ['expired and pending', EXPIRED_PENDING, 'deny:expired'],
    ['blocked and expired', BLOCKED_EXPIRED, 'deny:blocked'],
  ] as const)('that the primary denies (%s) are created, then blocked at once', (_name, license, decision) => {
    const result = planPair(license, undefined);

    expect(kinds(result)).toEqual(['create-license']);
    expect(result.operations[0]).toMatchObject({ server: 'backup', kind: 'create-license', thenBlock: { code: 'source-denies', sides: ONE_WAY, decision } });
    expect(decisionAfter(result, undefined)).toBe('deny:blocked');
  });

  it('that the primary allows are allowed on the backup once created', () => {
    expect(decisionAfter(planPair(aLicense(), undefined), undefined)).toBe('allow');
  });

  it('that never expire (vitalicia with an old end date) count as allowed', () => {
    const result = planPair(aLicense({ license_type: 'vitalicia', end_date: daysFromToday(-100) }), undefined);

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'create-license', thenBlock: null }]);
  });

  it('that end today are still allowed (expired means after end_date)', () => {
    const result = planPair(aLicense({ end_date: TODAY }), undefined);

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'create-license', thenBlock: null }]);
  });
});

describe('licenses equal on both servers', () => {
  it.each([
    ['allowed', aLicense()],
    ['blocked', BLOCKED],
    ['expired', EXPIRED],
    ['pending', PENDING],
  ])('plan nothing and report nothing (%s)', (_name, license) => {
    expect(planPair(license, license)).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });
});

describe('content that differs', () => {
  it.each(['owner_name', 'cpf', 'email', 'address'] as const)('is upserted when the primary allows (%s)', (field) => {
    const primary = aLicense({ [field]: 'new value' });
    const result = planPair(primary, aLicense({ [field]: 'old value' }));

    expect(result.operations).toEqual([
      {
        server: 'backup',
        kind: 'update-license',
        key: KEY,
        reason: { code: 'content-differs', sides: ONE_WAY, fields: [field], expired: null },
        body: {
          device_id: ID,
          license_type: primary.license_type,
          owner_name: primary.owner_name,
          cpf: primary.cpf,
          email: primary.email,
          address: primary.address,
          created_by: primary.created_by,
        },
      },
    ]);
  });

  it('is upserted when the license type differs and the primary allows', () => {
    const result = planPair(aLicense({ license_type: 'trianual' }), aLicense({ license_type: 'anual' }));

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'update-license', body: { license_type: 'trianual' } }]);
  });

  it('is upserted once, carrying created_by too, when both content and created_by differ', () => {
    const result = planPair(aLicense({ owner_name: 'Novo', created_by: 'maria' }), aLicense({ owner_name: 'Velho', created_by: 'admin' }));

    expect(kinds(result)).toEqual(['update-license']);
    expect(result.operations[0]).toMatchObject({ body: { owner_name: 'Novo', created_by: 'maria' } });
  });

  it('is upserted when the backup has a value the primary lacks (null is a value too)', () => {
    const result = planPair(aLicense({ cpf: null }), aLicense({ cpf: '123' }));

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'update-license', body: { cpf: null } }]);
  });

  it('is upserted over a blocked backup when the primary allows (the upsert re-activates it)', () => {
    const backup = aLicense({ owner_name: 'Velho', status: 'blocked' });
    const result = planPair(aLicense({ owner_name: 'Novo' }), backup);

    expect(kinds(result)).toEqual(['update-license']);
    expect(decisionAfter(result, backup)).toBe('allow');
  });

  it('does not also report dates or interval drift: the upsert re-dates the license anyway', () => {
    const result = planPair(aLicense({ owner_name: 'Novo' }), aLicense({ owner_name: 'Velho', end_date: daysFromToday(200), custom_interval: 30 }));

    expect(kinds(result)).toEqual(['update-license']);
    expect(result.drift).toEqual([]);
  });

  it.each([
    ['blocked', BLOCKED],
    ['expired', EXPIRED],
    ['pending', PENDING],
  ])('is never upserted when the primary denies (%s): reported as license-content-while-denied', (_name, primary) => {
    const backup = { ...primary, owner_name: 'Outro Nome', email: 'outro@example.com' };
    const result = planPair(primary, backup);

    expect(kinds(result)).toEqual([]);
    expect(result.drift).toEqual([
      { kind: 'license-content-while-denied', key: ID, fields: ['owner_name', 'email'], because: { code: 'source-denies', sides: ONE_WAY, decision: licenseDecision(primary, TODAY) } },
    ]);
  });

  it('while denied still lets the backup be blocked when it allows', () => {
    const result = planPair(PENDING, aLicense({ owner_name: 'Outro Nome' }));

    expect(kinds(result)).toEqual(['block']);
    expect(driftKinds(result)).toEqual(['license-content-while-denied']);
  });
});

describe('created_by that alone differs', () => {
  it('is written with exactly one update-created-by', () => {
    const result = planPair(aLicense({ created_by: 'maria' }), aLicense({ created_by: 'joao' }));

    expect(result.operations).toEqual([{ server: 'backup', kind: 'update-created-by', key: KEY, deviceId: ID, createdBy: 'maria', reason: { code: 'owner-differs', sides: ONE_WAY, targetOwner: 'joao', sourceOwner: 'maria' } }]);
    expect(result.drift).toEqual([]);
  });

  it('is written with update-created-by even when the primary denies the license', () => {
    const result = planPair(aLicense({ status: 'blocked', created_by: 'admin' }), aLicense({ status: 'blocked', created_by: 'joao' }));

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'update-created-by', createdBy: 'admin' }]);
  });

  it('is no difference when one side has null and the other "admin"', () => {
    const primary = buildSnapshot([], [aLicenseRow({ created_by: null })]);
    const backup = buildSnapshot([], [aLicenseRow({ created_by: 'admin' })]);

    expect(plan(primary, backup, DEFAULTS, TODAY).operations).toEqual([]);
    expect(plan(backup, primary, DEFAULTS, TODAY).operations).toEqual([]);
  });
});

describe('decisions that differ', () => {
  it('block a backup that allows what the primary blocked', () => {
    const result = planPair(BLOCKED, aLicense());

    expect(result.operations).toEqual([{ server: 'backup', kind: 'block', key: KEY, deviceId: ID, reason: { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' } }]);
  });

  it('activate a backup that blocked what the primary allows', () => {
    const backup = aLicense({ status: 'blocked' });
    const result = planPair(aLicense(), backup);

    expect(result.operations).toEqual([{ server: 'backup', kind: 'activate', key: KEY, deviceId: ID, reason: { code: 'denied-on-target', sides: ONE_WAY, target: 'deny:blocked' } }]);
    expect(decisionAfter(result, backup)).toBe('allow');
  });

  it('activate a backup left pending when the primary allows', () => {
    expect(kinds(planPair(aLicense(), PENDING))).toEqual(['activate']);
  });

  it('update created_by before activating when both differ', () => {
    expect(kinds(planPair(aLicense({ created_by: 'maria' }), aLicense({ status: 'blocked', created_by: 'admin' })))).toEqual([
      'update-created-by',
      'activate',
    ]);
  });

  it('re-date (upsert) a backup that expired while the primary allows, and say it now runs longer', () => {
    const primary = aLicense({ end_date: daysFromToday(10) });
    const backup = aLicense({ end_date: daysFromToday(-3) });
    const result = planPair(primary, backup);

    expect(kinds(result)).toEqual(['update-license']);
    expect(result.operations[0]?.reason).toEqual({
      code: 'expired-on-target',
      sides: ONE_WAY,
      targetEnd: backup.end_date,
      runs: { until: addMonths(TODAY, 12), sourceEnd: primary.end_date },
    });
    expect(decisionAfter(result, backup)).toBe('allow');
  });

  it('re-date a backup that is both blocked and expired: activating alone would leave it expired', () => {
    const backup = aLicense({ status: 'blocked', end_date: daysFromToday(-3) });
    const result = planPair(aLicense(), backup);

    expect(kinds(result)).toEqual(['update-license']);
    const after = applyPlan(snapshotOf({ licenses: [backup] }), result.operations, TODAY).licenses.get(ID);
    expect(after).toMatchObject({ status: 'active', start_date: TODAY, end_date: licenseEndDate('anual', TODAY) });
    expect(after && licenseDecision(after, TODAY)).toBe('allow');
  });

  it('re-date a backup that is both pending and expired', () => {
    const backup = aLicense({ status: 'pending', end_date: daysFromToday(-3) });

    expect(decisionAfter(planPair(aLicense(), backup), backup)).toBe('allow');
  });

  it('re-date an expired backup with one upsert that also carries a created_by change', () => {
    const result = planPair(aLicense({ created_by: 'maria' }), aLicense({ end_date: daysFromToday(-3), created_by: 'joao' }));

    expect(result.operations).toMatchObject([{ server: 'backup', kind: 'update-license', body: { created_by: 'maria' } }]);
  });

  it.each([
    ['pending', PENDING],
    ['expired', EXPIRED],
    ['expired and pending', EXPIRED_PENDING],
  ])('block a backup that allows what the primary denies as %s', (_name, primary) => {
    const backup = aLicense({ start_date: primary.start_date, end_date: daysFromToday(30) });
    const result = planPair(primary, backup);

    expect(kinds(result)).toEqual(['block']);
    expect(decisionAfter(result, backup)).toBe('deny:blocked');
  });

  it('block a pending backup when the primary blocked the license', () => {
    const result = planPair(BLOCKED, PENDING);

    expect(kinds(result)).toEqual(['block']);
  });

  it('block an expired backup when the primary blocked the license (status blocked is what the primary has)', () => {
    expect(kinds(planPair(BLOCKED, aLicense({ end_date: daysFromToday(-1) })))).toEqual(['block']);
  });

  it.each([
    ['pending on the primary, blocked on the backup', PENDING, BLOCKED],
    ['expired on the primary, blocked on the backup', EXPIRED, BLOCKED],
    ['pending on the primary, expired on the backup', PENDING, aLicense({ end_date: daysFromToday(-1) })],
    ['expired on the primary, pending on the backup', EXPIRED, PENDING],
  ])('report license-deny-reason when both deny for reasons no call can align (%s)', (_name, primary, backup) => {
    const result = planPair(primary, backup);

    expect(licenseDecision(primary, TODAY)).not.toBe(licenseDecision(backup, TODAY));
    expect(kinds(result)).toEqual([]);
    expect(result.drift).toContainEqual({
      kind: 'license-deny-reason',
      key: ID,
      sides: ONE_WAY,
      source: licenseDecision(primary, TODAY),
      target: licenseDecision(backup, TODAY),
    });
  });

  it('report no license-deny-reason when both deny for the same reason', () => {
    expect(driftKinds(planPair(PENDING, PENDING))).toEqual([]);
    expect(driftKinds(planPair(EXPIRED, aLicense({ end_date: daysFromToday(-7) })))).toEqual(['license-dates']);
  });

  it('are never repaired by activating a license the primary denies', () => {
    for (const primary of [BLOCKED, EXPIRED, PENDING, EXPIRED_PENDING, BLOCKED_EXPIRED]) {
      for (const backup of [BLOCKED, EXPIRED, PENDING, aLicense(), aLicense({ status: 'blocked', end_date: daysFromToday(-5) })]) {
        const ops = kinds(planPair(primary, backup));
        expect(ops).not.toContain('activate');
        expect(ops).not.toContain('update-license');
      }
    }
  });
});

describe('differences the API cannot write', () => {
  it('in dates alone plan no operation and report license-dates', () => {
    const result = planPair(aLicense({ start_date: daysFromToday(-30), end_date: daysFromToday(335) }), aLicense({ start_date: daysFromToday(-2), end_date: daysFromToday(363) }));

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([
      {
        kind: 'license-dates',
        key: ID,
        sides: ONE_WAY,
        source: { start: daysFromToday(-30), end: daysFromToday(335) },
        target: { start: daysFromToday(-2), end: daysFromToday(363) },
      },
    ]);
  });

  it('in an end_date only one side has plan nothing when both allow', () => {
    const result = planPair(aLicense({ license_type: 'vitalicia', end_date: null }), aLicense({ license_type: 'vitalicia', end_date: daysFromToday(-10) }));

    expect(result.operations).toEqual([]);
    expect(driftKinds(result)).toEqual(['license-dates']);
  });

  it('in custom_interval alone plan no operation and report license-custom-interval', () => {
    const result = planPair(aLicense({ custom_interval: 30 }), aLicense({ custom_interval: 60 }));

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([{ kind: 'license-custom-interval', key: ID, sides: ONE_WAY, source: 30, target: 60 }]);
  });

  it('in features alone plan no operation and report license-features', () => {
    const result = planPair(aLicense({ features: 'core,pdv' }), aLicense({ features: 'core' }));

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([{ kind: 'license-features', key: ID, sides: ONE_WAY, source: 'core,pdv', target: 'core' }]);
  });

  it.each(['last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'] as const)('in telemetry (%s) alone plan no operation and report license-telemetry', (field) => {
    const result = planPair(aLicense({ [field]: 'primary value' }), aLicense({ [field]: null }));

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([{ kind: 'license-telemetry', key: ID }]);
  });

  it('are all reported together, still without any operation', () => {
    const result = planPair(
      aLicense({ end_date: daysFromToday(100), custom_interval: 15, features: 'core,nfe', last_version: '3.0' }),
      aLicense({ end_date: daysFromToday(200), custom_interval: 60, features: 'core', last_version: '2.9' }),
    );

    expect(result.operations).toEqual([]);
    expect(driftKinds(result)).toEqual(['license-custom-interval', 'license-dates', 'license-features', 'license-telemetry']);
  });

  it('are reported next to a block or activate, which leave dates alone', () => {
    expect(driftKinds(planPair(aLicense({ custom_interval: 30 }), aLicense({ status: 'blocked' })))).toEqual(['license-custom-interval']);
    expect(driftKinds(planPair(BLOCKED, aLicense({ features: null })))).toEqual(['license-features']);
  });
});

describe('licenses only on the backup', () => {
  const backupOnly = aLicense({ device_id: 'ONLY-ON-BACKUP' });

  it('are kept but blocked without deleteBackupOnly: the primary refuses a license it does not list, so must the backup', () => {
    const result = planPair(undefined, backupOnly);

    expect(result.operations).toEqual([{ server: 'backup', kind: 'block', key: licenseKey('ONLY-ON-BACKUP'), deviceId: 'ONLY-ON-BACKUP', reason: { code: 'backup-only-denied' } }]);
    expect(result.skipped).toEqual([{ kind: 'license', key: 'ONLY-ON-BACKUP', reason: 'backup-only' }]);
  });

  it('are left alone without deleteBackupOnly when the backup already refuses them', () => {
    const result = planPair(undefined, { ...backupOnly, status: 'blocked' });

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'license', key: 'ONLY-ON-BACKUP', reason: 'backup-only' }]);
  });

  it('are not blocked while the primary lists a license record without a readable device_id (it may be this one)', () => {
    const primary = snapshotOf({ rejected: [aRejected({ kind: 'license', key: null, reason: 'device_id: expected string' })] });
    const result = plan(primary, snapshotOf({ licenses: [backupOnly] }), { newUsers: 'create', deleteBackupOnly: false, target: 'backup' }, TODAY);

    expect(result.operations).toEqual([]);
  });

  it('are deleted with deleteBackupOnly', () => {
    const result = planPair(undefined, backupOnly, WITH_DELETE);

    expect(result.operations).toEqual([{ server: 'backup', kind: 'delete-license', key: licenseKey('ONLY-ON-BACKUP'), deviceId: 'ONLY-ON-BACKUP', reason: { code: 'backup-only' } }]);
    expect(result.skipped).toEqual([]);
  });

  it('are not deleted (deletions-suspended) while the primary lists a license record without a readable device_id', () => {
    const primary = snapshotOf({ licenses: [aLicense()], rejected: [aRejected({ kind: 'license', key: null, reason: 'device_id: expected string' })] });
    const result = plan(primary, snapshotOf({ licenses: [aLicense(), backupOnly] }), WITH_DELETE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'license', key: 'ONLY-ON-BACKUP', reason: 'deletions-suspended', keyless: 1, goneFrom: null }]);
  });

  it('are still deleted when the primary’s rejected records all have readable keys (other ones)', () => {
    const primary = snapshotOf({ rejected: [aRejected({ kind: 'license', key: 'SOMETHING-ELSE' })] });
    const result = plan(primary, snapshotOf({ licenses: [backupOnly] }), WITH_DELETE, TODAY);

    expect(kinds(result)).toEqual(['delete-license']);
  });

  it('are not deleted when a user record (not a license) lacks its key', () => {
    const primary = snapshotOf({ rejected: [aRejected({ kind: 'user', key: null })] });

    expect(kinds(plan(primary, snapshotOf({ licenses: [backupOnly] }), WITH_DELETE, TODAY))).toEqual(['delete-license']);
  });
});

describe('licenses with a rejected record (malformed or duplicated)', () => {
  const rejectedOn = (key: string): Snapshot['rejected'] => [aRejected({ kind: 'license', key, reason: 'device_id listed more than once' })];

  it('on the primary are not created on the backup', () => {
    const result = plan(snapshotOf({ rejected: rejectedOn(ID) }), snapshotOf(), WITH_DELETE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'license', key: ID, reason: 'unreadable', bothSides: false }]);
  });

  it('on the primary are not deleted from the backup', () => {
    const result = plan(snapshotOf({ rejected: rejectedOn(ID) }), snapshotOf({ licenses: [aLicense()] }), WITH_DELETE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.skipped.map((item) => [item.key, item.reason])).toEqual([[ID, 'unreadable']]);
  });

  it('on the primary are not updated, blocked or activated on the backup, even when a valid copy was kept', () => {
    const primary = snapshotOf({ licenses: [aLicense({ status: 'blocked', owner_name: 'Novo', created_by: 'maria' })], rejected: rejectedOn(ID) });
    const result = plan(primary, snapshotOf({ licenses: [aLicense()] }), WITH_DELETE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.drift).toEqual([]);
  });

  it('on the backup are not overwritten by a create', () => {
    const result = plan(snapshotOf({ licenses: [aLicense()] }), snapshotOf({ rejected: rejectedOn(ID) }), WITH_DELETE, TODAY);

    expect(result.operations).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'license', key: ID, reason: 'unreadable', bothSides: false }]);
  });

  it('on the backup are not updated, blocked or deleted', () => {
    const backup = snapshotOf({ licenses: [aLicense({ owner_name: 'Velho' })], rejected: rejectedOn(ID) });

    expect(plan(snapshotOf({ licenses: [BLOCKED] }), backup, WITH_DELETE, TODAY).operations).toEqual([]);
    expect(plan(snapshotOf(), backup, WITH_DELETE, TODAY).operations).toEqual([]);
  });

  it('do not stop the other licenses from being planned', () => {
    const other = aLicense({ device_id: 'OTHER' });
    const result = plan(snapshotOf({ licenses: [other], rejected: rejectedOn(ID) }), snapshotOf(), DEFAULTS, TODAY);

    expect(result.operations.map((operation) => operation.key)).toEqual([licenseKey('OTHER')]);
  });

  it('without a readable key on the backup suspend creates: the missing license may be that very record', () => {
    const backup = snapshotOf({ licenses: [aLicense({ device_id: 'OTHER' })], rejected: [aRejected({ kind: 'license', key: null, reason: 'device_id: expected string' })] });
    const result = plan(snapshotOf({ licenses: [aLicense({ status: 'blocked' }), aLicense({ device_id: 'OTHER', status: 'blocked' })] }), backup, DEFAULTS, TODAY);

    expect(result.operations).toEqual([
      { server: 'backup', kind: 'block', key: licenseKey('OTHER'), deviceId: 'OTHER', reason: { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' } },
    ]);
    expect(result.skipped).toEqual([{ kind: 'license', key: ID, reason: 'creations-suspended', keyless: 1, sides: ONE_WAY }]);
  });
});

describe('normalisation', () => {
  it('trimmed strings and "" ≡ null make no false difference', () => {
    const primary = buildSnapshot(
      [{ id: 1, username: ' maria ', email: '', role: 'user', created_at: null }],
      [aLicenseRow({ device_id: `  ${ID}  `, owner_name: '  Ana Souza ', cpf: '', email: ' ana@example.com', address: null, features: ' core ', created_by: '' })],
    );
    const backup = buildSnapshot(
      [{ id: 9, username: 'maria', email: null, role: 'user', created_at: '2025-01-01 00:00:00' }],
      [aLicenseRow({ id: 99, device_id: ID, owner_name: 'Ana Souza', cpf: null, email: 'ana@example.com', address: '   ', features: 'core', created_by: 'admin' })],
    );

    expect(plan(primary, backup, WITH_DELETE, TODAY)).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });

  it('still sees a real difference behind the whitespace', () => {
    const primary = buildSnapshot([], [aLicenseRow({ owner_name: ' Ana Souza ' })]);
    const backup = buildSnapshot([], [aLicenseRow({ owner_name: 'Ana  Souza' })]);

    expect(kinds(plan(primary, backup, DEFAULTS, TODAY))).toEqual(['update-license']);
  });
});
