import { describe, expect, it } from 'vitest';
import { baseLicenseOf } from '../../../src/plan/two-way/pair-base.js';
import { changeFacts, madeBlock, sideChange, stateOf } from '../../../src/plan/two-way/side-changes.js';
import { aLicense, daysFromToday } from '../support/records.js';

const BASE = aLicense();
const base = baseLicenseOf(BASE);

describe('sideChange', () => {
  it('is unchanged when present in neither, or equal in every tracked group (telemetry, interval and features are not tracked)', () => {
    expect(sideChange(undefined, undefined).kind).toBe('unchanged');
    expect(sideChange(aLicense({ last_seen_at: '2025-06-14 10:00:00', custom_interval: 5, features: null }), base).kind).toBe('unchanged');
  });

  it('reads presence: created when absent from the base, deleted when gone since', () => {
    expect(sideChange(BASE, undefined)).toMatchObject({ kind: 'created', dates: true, state: null });
    expect(sideChange(undefined, base).kind).toBe('deleted');
  });

  it('names the content fields and the owner that changed', () => {
    expect(sideChange(aLicense({ email: 'x@example.com', license_type: 'mensal', created_by: 'maria' }), base)).toEqual({
      kind: 'edited',
      content: ['email', 'license_type'],
      ownerBefore: 'admin',
      state: null,
      dates: false,
    });
  });

  it('sees a block made (held now, open or absent before) and an unblock', () => {
    expect(madeBlock(sideChange(aLicense({ status: 'blocked' }), base))).toBe(true);
    expect(madeBlock(sideChange(aLicense({ status: 'pending' }), base))).toBe(true);
    expect(madeBlock(sideChange(aLicense({ status: 'blocked' }), undefined))).toBe(true);
    expect(sideChange(BASE, baseLicenseOf(aLicense({ status: 'blocked' }))).state).toBe('opened');
  });

  it('never tells blocked and pending apart', () => {
    expect(sideChange(aLicense({ status: 'pending' }), baseLicenseOf(aLicense({ status: 'blocked' }))).kind).toBe('unchanged');
    expect(stateOf({ status: 'pending' })).toBe(stateOf({ status: 'blocked' }));
  });

  it('sees moved dates (a renewal), not the passage of time', () => {
    expect(sideChange(aLicense({ end_date: daysFromToday(400) }), base)).toMatchObject({ kind: 'edited', dates: true });
  });
});

describe('changeFacts', () => {
  it('says what a side did, and where, as facts', () => {
    expect(changeFacts(sideChange(aLicense({ email: 'x@example.com', created_by: 'maria' }), base), 'render', aLicense({ created_by: 'maria' }))).toEqual({
      code: 'edited',
      side: 'render',
      content: ['email'],
      owner: { before: 'admin', after: 'maria' },
      held: null,
      opened: false,
      renewed: false,
    });
    expect(changeFacts(sideChange(aLicense({ status: 'blocked' }), base), 'primary', aLicense({ status: 'blocked' }))).toEqual({
      code: 'edited',
      side: 'primary',
      content: [],
      owner: null,
      held: 'blocked',
      opened: false,
      renewed: false,
    });
    expect(changeFacts(sideChange(undefined, base), 'render', undefined)).toEqual({ code: 'deleted', side: 'render' });
    expect(changeFacts(sideChange(BASE, undefined), 'render', BASE)).toEqual({ code: 'created', side: 'render', held: null });
  });

  it('tells a license set pending from one blocked', () => {
    const pending = aLicense({ status: 'pending' });
    expect(changeFacts(sideChange(pending, base), 'render', pending)).toMatchObject({ code: 'edited', held: 'pending' });
    expect(changeFacts(sideChange(pending, undefined), 'render', pending)).toEqual({ code: 'created', side: 'render', held: 'pending' });
  });
});
