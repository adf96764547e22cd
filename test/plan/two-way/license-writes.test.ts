import { describe, expect, it } from 'vitest';
import { addMonths } from '../../../src/domain/calendar-date.js';
import { planLicenseWrites } from '../../../src/plan/plan.js';
import { projectLicense } from '../../../src/plan/two-way/projection.js';
import { ONE_WAY, twoWaySides, type OperationReason, type ThenBlock } from '../../../src/plan/reasons.js';
import { aLicense, daysFromToday, TODAY } from '../support/records.js';

// The one-way rules for one license, as the two-way merge reuses them: the
// facts of reasons name the sides given, and two knobs a two-way run needs.

const WORDS = twoWaySides('render', 'primary');

describe('planLicenseWrites', () => {
  it('names the sides it is given in reasons and drift', () => {
    const { operations, drift } = planLicenseWrites(aLicense({ status: 'blocked', email: 'x@example.com' }), aLicense(), TODAY, WORDS);

    expect(operations).toMatchObject([{ kind: 'block', reason: { code: 'denied-on-source', sides: WORDS, source: 'deny:blocked', target: 'allow' } }]);
    expect(drift).toMatchObject([{ kind: 'license-content-while-denied', fields: ['email'], because: { code: 'source-denies', sides: WORDS, decision: 'deny:blocked' } }]);
    expect(planLicenseWrites(aLicense(), undefined, TODAY, WORDS).operations).toMatchObject([{ kind: 'create-license', reason: { code: 'missing', sides: WORDS } }]);
  });

  it('names the servers of a one-way run by default', () => {
    expect(planLicenseWrites(aLicense(), undefined, TODAY).operations).toMatchObject([{ kind: 'create-license', reason: { code: 'missing', sides: ONE_WAY } }]);
  });

  it('re-dates a target that ends earlier only when told the wanted record was renewed', () => {
    const renewed = aLicense({ start_date: TODAY, end_date: addMonths(TODAY, 12) });
    const target = aLicense();

    expect(planLicenseWrites(renewed, target, TODAY, WORDS).operations).toEqual([]);
    expect(planLicenseWrites(renewed, target, TODAY, WORDS, { renewed: true }).operations).toMatchObject([{ kind: 'update-license' }]);
    expect(planLicenseWrites(renewed, aLicense({ end_date: addMonths(TODAY, 24) }), TODAY, WORDS, { renewed: true }).operations).toEqual([]);
  });

  it('takes the blocking rule it is given', () => {
    const pending = aLicense({ status: 'pending' });
    expect(planLicenseWrites(aLicense({ status: 'blocked' }), pending, TODAY, WORDS).operations).toMatchObject([{ kind: 'block' }]);
    expect(planLicenseWrites(aLicense({ status: 'blocked' }), pending, TODAY, WORDS, { mustBlock: () => false }).operations).toEqual([]);
  });
});

describe('projectLicense', () => {
  const reason: OperationReason = { code: 'missing', sides: ONE_WAY };
  const denied: ThenBlock = { code: 'source-denies', sides: ONE_WAY, decision: 'deny:blocked' };

  it('applies writes as the contract says: an upsert re-opens and re-dates, a block touches the status only', () => {
    const license = aLicense({ status: 'blocked', end_date: daysFromToday(-3) });
    const upserted = projectLicense(license, [{ kind: 'update-license', key: 'k', reason, body: { ...license, email: 'x@example.com' } }], TODAY);

    expect(upserted).toMatchObject({ status: 'active', start_date: TODAY, end_date: addMonths(TODAY, 12), email: 'x@example.com' });
    expect(projectLicense(undefined, [{ kind: 'create-license', key: 'k', reason, body: license, thenBlock: denied }], TODAY)).toMatchObject({ status: 'blocked', start_date: TODAY });
    expect(projectLicense(license, [{ kind: 'delete-license', key: 'k', reason, deviceId: license.device_id }], TODAY)).toBeUndefined();
    expect(projectLicense(license, [{ kind: 'activate', key: 'k', reason, deviceId: license.device_id }], TODAY)).toEqual({ ...license, status: 'active' });
  });
});
