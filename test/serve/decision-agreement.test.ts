import { describe, expect, it } from 'vitest';
import { decisionAgreement, MAX_DIFFERING } from '../../src/serve/decision-agreement.js';
import { aLicense, daysFromToday, snapshotOf, TODAY } from '../plan/support/records.js';

const AT = new Date('2025-06-15T12:00:00.000Z');
const id = (n: number) => `DEVICE-${String(n).padStart(3, '0')}`;

describe('the /verify agreement of a backup with the primary', () => {
  it('agrees on every license when both give the same allow/deny answer, whatever the reason', () => {
    const primary = snapshotOf({ licenses: [aLicense({ device_id: id(1) }), aLicense({ device_id: id(2), status: 'blocked' })] });
    // Denied on the backup for another reason (expired): the client is still denied.
    const backup = snapshotOf({ licenses: [aLicense({ device_id: id(1) }), aLicense({ device_id: id(2), end_date: daysFromToday(-1) })] });
    expect(decisionAgreement(primary, backup, TODAY, AT)).toEqual({ at: AT.toISOString(), licenses: 2, agreeing: 2, differing: [] });
  });

  it('counts every license either side holds, and names the differences: absent, allowed, denied', () => {
    const primary = snapshotOf({
      licenses: [
        aLicense({ device_id: id(1) }),
        aLicense({ device_id: id(2), status: 'blocked' }),
        aLicense({ device_id: id(3) }),
        aLicense({ device_id: id(5), license_type: 'vitalicia', end_date: daysFromToday(-400) }),
      ],
    });
    const backup = snapshotOf({
      licenses: [
        aLicense({ device_id: id(1), status: 'pending' }),
        aLicense({ device_id: id(2) }),
        aLicense({ device_id: id(4) }),
        aLicense({ device_id: id(5), license_type: 'vitalicia', end_date: daysFromToday(-400) }),
      ],
    });
    expect(decisionAgreement(primary, backup, TODAY, AT)).toEqual({
      at: AT.toISOString(),
      licenses: 5,
      agreeing: 1,
      differing: [
        { deviceId: id(1), primary: 'allow', backup: 'deny' },
        { deviceId: id(2), primary: 'deny', backup: 'allow' },
        { deviceId: id(3), primary: 'allow', backup: 'absent' },
        { deviceId: id(4), primary: 'absent', backup: 'allow' },
      ],
    });
  });

  it('takes a license missing on one side and denied on the other as agreeing (both deny the client)', () => {
    const primary = snapshotOf({ licenses: [aLicense({ device_id: id(1), status: 'blocked' })] });
    expect(decisionAgreement(primary, snapshotOf(), TODAY, AT)).toMatchObject({ licenses: 1, agreeing: 1, differing: [] });
  });

  it('lists at most the first differences, in device order, and counts them all', () => {
    const primary = snapshotOf({ licenses: Array.from({ length: 30 }, (_, n) => aLicense({ device_id: id(30 - n) })) });
    const agreement = decisionAgreement(primary, snapshotOf(), TODAY, AT);
    expect(agreement).toMatchObject({ licenses: 30, agreeing: 0 });
    expect(agreement.differing).toHaveLength(MAX_DIFFERING);
    expect(agreement.differing[0]).toEqual({ deviceId: id(1), primary: 'allow', backup: 'absent' });
  });

  it('reads an expiry against the day given: the last day still allows', () => {
    const primary = snapshotOf({ licenses: [aLicense({ device_id: id(1), end_date: TODAY })] });
    const backup = snapshotOf({ licenses: [aLicense({ device_id: id(1), end_date: daysFromToday(-1) })] });
    expect(decisionAgreement(primary, backup, TODAY, AT).differing).toEqual([{ deviceId: id(1), primary: 'allow', backup: 'deny' }]);
  });
});
