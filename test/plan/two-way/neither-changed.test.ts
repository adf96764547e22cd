import { describe, expect, it } from 'vitest';
import { addMonths } from '../../../src/domain/calendar-date.js';
import { aLicense, daysFromToday, TODAY } from '../support/records.js';
import { afterPlan, ID, nextPlan, onBoth, only, planCase, type Case } from '../support/two-way-cases.js';

// Rule 1: a license neither side changed since the base. Any difference was left
// by an earlier run on purpose, so nothing is copied; only the passage of time
// (dates move by expiry alone) can make the sides answer clients differently,
// and then the primary's answer stands and only the peer is written.

const LICENSE = aLicense();

describe('a license neither side changed since the base', () => {
  it('equal on both sides plans and reports nothing', () => {
    expect(planCase({ base: onBoth(LICENSE), now: onBoth(LICENSE) })).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });

  it('differing in content, owner or state is left as is and reported as two-way-differs', () => {
    const primary = aLicense({ status: 'blocked', email: 'a@example.com', created_by: 'maria' });
    const peer = aLicense({ status: 'blocked', email: 'b@example.com', created_by: 'joao' });
    const plan = planCase({ base: { primary, peer }, now: { primary, peer } });

    expect(plan.operations).toEqual([]);
    expect(plan.drift).toEqual([
      { kind: 'two-way-differs', key: ID, differs: { code: 'tracked', peer: 'render', content: ['email'], owner: { primary: 'maria', peer: 'joao' }, status: null } },
    ]);
  });

  it('on the primary only is left as is and reported', () => {
    const plan = planCase({ base: { primary: LICENSE }, now: { primary: LICENSE } });

    expect(plan.operations).toEqual([]);
    expect(plan.drift).toEqual([{ kind: 'two-way-differs', key: ID, differs: { code: 'one-side-only', on: 'primary' } }]);
  });

  it('on the peer only is the primary’s deletion still pending: an open copy is blocked, and deleted with --delete', () => {
    const example: Case = { base: { peer: LICENSE }, now: { peer: LICENSE } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'block',
      reason: { code: 'merged', cause: [{ code: 'deletion-pending', deletedOn: 'primary' }], step: { code: 'deleted-on-primary', peer: 'render', why: { code: 'no-delete' } } },
    });
    expect(plan.skipped).toEqual([{ kind: 'license', key: ID, reason: 'deletion-pending', deletedOn: 'primary', heldOn: 'render', why: { code: 'no-delete' } }]);
    expect(afterPlan(example, plan).primary.licenses.has(ID)).toBe(false);
    expect(nextPlan(example, plan).operations).toEqual([]);

    const held = aLicense({ status: 'blocked' });
    expect(planCase({ base: { peer: held }, now: { peer: held } }).operations).toEqual([]);
    expect(only(planCase({ ...example, options: { delete: true } }))).toMatchObject({ server: 'render', kind: 'delete-license' });
  });

  it('differing in dates only plans nothing and reports license-dates', () => {
    const peer = aLicense({ end_date: daysFromToday(100) });
    const plan = planCase({ base: { primary: LICENSE, peer }, now: { primary: LICENSE, peer } });

    expect(plan.operations).toEqual([]);
    expect(plan.drift.map((item) => item.kind)).toEqual(['license-dates']);
  });

  it('held on the peer while the primary allows is left held (the peer is never opened by the safety net)', () => {
    const peer = aLicense({ status: 'blocked' });
    expect(planCase({ base: { primary: LICENSE, peer }, now: { primary: LICENSE, peer } }).operations).toEqual([]);
  });
});

describe('the safety net for the passage of time', () => {
  const endsSoon = aLicense({ end_date: daysFromToday(-1) });
  const endsLater = aLicense({ end_date: daysFromToday(40) });

  it('blocks the peer when the license expired on the primary but not on the peer, naming the expiry', () => {
    const example: Case = { base: { primary: endsSoon, peer: endsLater }, now: { primary: endsSoon, peer: endsLater } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'block',
      reason: { code: 'merged', step: { code: 'primary-denies-peer-allows', primary: 'deny:expired', primaryEnd: endsSoon.end_date, peer: 'render' } },
    });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('blocks the peer when the primary blocks it and the peer allows (left so by an earlier run)', () => {
    const blocked = aLicense({ status: 'blocked' });
    expect(only(planCase({ base: { primary: blocked, peer: LICENSE }, now: { primary: blocked, peer: LICENSE } }))).toMatchObject({ server: 'render', kind: 'block' });
  });

  it('re-dates the peer when it expired there but the primary allows and their content is equal, keeping the peer’s owner', () => {
    const peer = aLicense({ end_date: daysFromToday(-1), created_by: 'joao' });
    const example: Case = { base: { primary: endsLater, peer }, now: { primary: endsLater, peer } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'update-license',
      body: { created_by: 'joao' },
      reason: { code: 'merged', step: { code: 'expired-on-target', runs: { until: addMonths(TODAY, 12), sourceEnd: endsLater.end_date } } },
    });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('leaves an expired peer alone when its content differs (re-dating would copy the primary’s content)', () => {
    const peer = aLicense({ end_date: daysFromToday(-1), email: 'outro@example.com' });
    expect(planCase({ base: { primary: endsLater, peer }, now: { primary: endsLater, peer } }).operations).toEqual([]);
  });

  it('never writes the primary, whichever side expired', () => {
    for (const [primary, peer] of [
      [endsSoon, endsLater],
      [endsLater, endsSoon],
      [aLicense({ status: 'pending' }), LICENSE],
      [LICENSE, aLicense({ status: 'pending' })],
    ] as const) {
      const example: Case = { base: { primary, peer }, now: { primary, peer } };
      const plan = planCase(example);
      for (const operation of plan.operations) expect(operation.server).toBe('render');
      expect(afterPlan(example, plan).primary).toEqual(afterPlan(example, { ...plan, operations: [] }).primary);
    }
  });
});
