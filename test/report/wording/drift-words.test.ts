import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan, planLicenseWrites } from '../../../src/plan/plan.js';
import type { DriftItem, PlanOptions } from '../../../src/plan/plan-types.js';
import { ONE_WAY, twoWaySides } from '../../../src/plan/reasons.js';
import { driftDetailText } from '../../../src/report/wording/drift-words.js';
import type { LicenseRecord } from '../../../src/snapshot/records.js';
import { aLicense, aUser, daysFromToday, snapshotOf, TODAY } from '../../plan/support/records.js';
import { planCase } from '../../plan/support/two-way-cases.js';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { englishLeft } from './support/english-left.js';

// A drift item's detail, in words: every kind has its wording, and the
// planner's scenarios read as they always did.

const TO_PEER = twoWaySides('primary', 'render');

const SAMPLES: { readonly [K in DriftItem['kind']]: readonly (readonly [Extract<DriftItem, { readonly kind: K }>, string])[] } = {
  'user-email': [
    [{ kind: 'user-email', key: 'maria', sides: ONE_WAY, source: 'new@example.com', target: null }, 'email none on the backup, "new@example.com" on the primary'],
    [
      { kind: 'user-email', key: 'maria', sides: twoWaySides('render', 'primary'), source: 'b@example.com', target: 'a@example.com' },
      'email "a@example.com" on primary, "b@example.com" on render',
    ],
  ],
  'user-role': [[{ kind: 'user-role', key: 'maria', sides: ONE_WAY, source: 'admin', target: 'user' }, 'role user on the backup, admin on the primary']],
  'license-content-while-denied': [
    [
      { kind: 'license-content-while-denied', key: 'D', fields: ['owner_name', 'email'], because: { code: 'source-denies', sides: ONE_WAY, decision: 'deny:pending' } },
      'content differs (owner_name, email) but the primary denies it (pending); an upsert would re-open it',
    ],
    [
      { kind: 'license-content-while-denied', key: 'D', fields: ['cpf'], because: { code: 'held', winner: 'render', policy: 'peer' } },
      "content differs (cpf) from render's version (--conflict peer), but the license is held (a block always wins); an upsert would re-open it",
    ],
  ],
  'license-deny-reason': [
    [{ kind: 'license-deny-reason', key: 'D', sides: ONE_WAY, source: 'deny:pending', target: 'deny:blocked' }, 'denied on both, as blocked on the backup and pending on the primary'],
  ],
  'license-dates': [
    [
      { kind: 'license-dates', key: 'D', sides: TO_PEER, source: { start: '2025-01-01', end: null }, target: { start: null, end: '2026-01-01' } },
      'none..2026-01-01 on render, 2025-01-01..none on primary',
    ],
  ],
  'license-custom-interval': [[{ kind: 'license-custom-interval', key: 'D', sides: ONE_WAY, source: 30, target: null }, 'none on the backup, 30 on the primary']],
  'license-features': [[{ kind: 'license-features', key: 'D', sides: ONE_WAY, source: 'core,pdv', target: 'core' }, '"core" on the backup, "core,pdv" on the primary']],
  'license-telemetry': [[{ kind: 'license-telemetry', key: 'D' }, 'last-seen fields differ (written by clients on each server)']],
  'two-way-differs': [
    [
      { kind: 'two-way-differs', key: 'D', differs: { code: 'tracked', peer: 'render', content: ['email'], owner: { primary: 'maria', peer: 'joao' }, status: { primary: 'blocked', peer: 'active' } } },
      'content differs (email); owner maria on primary, joao on render; blocked on primary, active on render; neither side changed it since the base',
    ],
    [{ kind: 'two-way-differs', key: 'D', differs: { code: 'one-side-only', on: 'render' } }, 'present on render only; neither side changed it since the base'],
  ],
};

describe('every drift kind has its wording', () => {
  const cases = Object.entries(SAMPLES).flatMap(([kind, list]) => (list as readonly (readonly [DriftItem, string])[]).map(([item, words]) => [kind, item, words] as const));

  it.each(cases)('%s', (_kind, item, words) => {
    expect(driftDetailText(item)).toBe(words);
  });
});

// The English the planner's tests used to check, now checked on the wording of the planner's codes.

const CREATE: PlanOptions = { newUsers: 'create', deleteBackupOnly: false };

function driftOf(primary: LicenseRecord, backup: LicenseRecord): string[] {
  return plan(snapshotOf({ licenses: [primary] }), snapshotOf({ licenses: [backup] }), CREATE, TODAY).drift.map(driftDetailText);
}

describe('one-way drift, in words', () => {
  it.each([
    ['blocked', aLicense({ status: 'blocked' })],
    ['expired', aLicense({ start_date: daysFromToday(-400), end_date: daysFromToday(-1) })],
    ['pending', aLicense({ status: 'pending' })],
  ])('content left alone while the primary denies (%s) names the fields', (_name, primary) => {
    expect(driftOf(primary, { ...primary, owner_name: 'Outro Nome', email: 'outro@example.com' })).toEqual([expect.stringMatching(/owner_name, email/)]);
  });

  it('names the values no call can write', () => {
    expect(driftOf(aLicense({ custom_interval: 30 }), aLicense({ custom_interval: 60 }))).toEqual([expect.stringContaining('30')]);
    expect(driftOf(aLicense({ features: 'core,pdv' }), aLicense({ features: 'core' }))).toEqual([expect.stringContaining('core,pdv')]);
  });

  it('names the user fields that differ', () => {
    const email = plan(snapshotOf({ users: [aUser({ email: 'new@example.com' })] }), snapshotOf({ users: [aUser({ email: 'old@example.com' })] }), CREATE, TODAY);
    expect(email.drift.map(driftDetailText)).toEqual([expect.stringContaining('new@example.com')]);
    const role = plan(snapshotOf({ users: [aUser({ role: 'admin' })] }), snapshotOf({ users: [aUser({ role: 'user' })] }), CREATE, TODAY);
    expect(role.drift.map(driftDetailText)).toEqual([expect.stringContaining('admin')]);
  });

  it('names the side that denies, as planLicenseWrites is told', () => {
    const { drift } = planLicenseWrites(aLicense({ status: 'blocked', email: 'x@example.com' }), aLicense(), TODAY, twoWaySides('render', 'primary'));
    expect(drift.map(driftDetailText)).toEqual([expect.stringContaining('but render denies it (blocked)')]);
  });
});

describe('two-way drift, in words', () => {
  it('a license neither side changed names what differs, or that it is on the primary only', () => {
    const primary = aLicense({ status: 'blocked', email: 'a@example.com', created_by: 'maria' });
    const peer = aLicense({ status: 'blocked', email: 'b@example.com', created_by: 'joao' });
    expect(planCase({ base: { primary, peer }, now: { primary, peer } }).drift.map(driftDetailText)).toEqual([
      expect.stringMatching(/content differs \(email\); owner maria on primary, joao on render/),
    ]);
    const license = aLicense();
    expect(planCase({ base: { primary: license }, now: { primary: license } }).drift.map(driftDetailText)).toEqual(['present on primary only; neither side changed it since the base']);
    // On the peer only, it is the primary's deletion still pending: a skipped item, not drift.
    expect(planCase({ base: { peer: license }, now: { peer: license } }).drift).toEqual([]);
  });

  it('users that differ name both sides', () => {
    const plan = planCase({
      base: {},
      now: { primaryUsers: [aUser({ email: 'a@example.com', role: 'admin' })], peerUsers: [aUser({ email: 'b@example.com', role: 'user' })] },
    });
    expect(plan.drift.map(driftDetailText)).toEqual(['email "a@example.com" on primary, "b@example.com" on render', 'role admin on primary, user on render']);
  });
});

describe('drift in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));
  afterEach(() => setLanguage('en'));

  const cases = Object.entries(SAMPLES).flatMap(([kind, list]) => (list as readonly (readonly [DriftItem, string])[]).map(([item, words]) => [kind, item, words] as const));

  it.each(cases)('%s has its Portuguese wording, no English left', (_kind, item, english) => {
    const words = driftDetailText(item);
    expect(words).not.toBe(english);
    expect(englishLeft(words), words).toEqual([]);
  });

  it('fuses the preposition with the role (no backup, no primário) and keeps values and server names', () => {
    expect(driftDetailText({ kind: 'user-email', key: 'maria', sides: ONE_WAY, source: 'new@example.com', target: null })).toBe('e-mail nenhum no backup, "new@example.com" no primário');
    expect(driftDetailText({ kind: 'user-role', key: 'maria', sides: TO_PEER, source: 'admin', target: 'user' })).toBe('papel user em render, admin em primary');
  });
});
