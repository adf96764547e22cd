import fc from 'fast-check';
import { addDays, addMonths } from '../../../src/domain/calendar-date.js';
import type { RunResult } from '../../../src/outcome/run-result.js';
import {
  backupWorkGuard,
  deletionLimitGuard,
  lastGoodRunGuard,
  roleGuard,
  shrunkenPrimaryGuard,
  shrunkenSideGuard,
  shrunkSinceBaseGuard,
} from '../../../src/plan/guards.js';
import { plan } from '../../../src/plan/plan.js';
import type { Plan, PlanOptions } from '../../../src/plan/plan-types.js';
import { baseFromSnapshots } from '../../../src/plan/two-way/pair-base.js';
import { planTwoWay } from '../../../src/plan/two-way/plan-two-way.js';
import { conflictDetailText } from '../../../src/report/wording/conflict-words.js';
import { driftDetailText } from '../../../src/report/wording/drift-words.js';
import { operationReasonText, thenBlockText } from '../../../src/report/wording/operation-reason-words.js';
import { skippedDetailText } from '../../../src/report/wording/skipped-words.js';
import { stopFor } from '../../../src/run/run-stop.js';
import { ApiError } from '../../../src/api/api-error.js';
import { buildSnapshot } from '../../../src/snapshot/build-snapshot.js';
import type { Snapshot } from '../../../src/snapshot/records.js';
import { aLicense, aRejected, aUser, daysFromToday, snapshotOf } from '../../plan/support/records.js';
import { onBoth, planCase, type Case } from '../../plan/support/two-way-cases.js';
import { damaged, LICENSE_DAMAGE, listingPair, planOptions, USER_DAMAGE, type ListingPair } from '../../plan/support/arbitraries.js';
import { applyEdits, convergedPair, daysSinceLastRun, history, TODAY, twoWayOptions } from '../../plan/support/two-way-arbitraries.js';
import { aRunResult, aServer } from './run-result-builders.js';

// Runs built from real planner output over a fixed, seeded sample of the
// property tests' inputs: one-way listings (some damaged), two-way histories
// under every conflict policy, with and without --delete and --resync, and
// every guard. Their JSON and text reports were captured before the planner
// returned codes instead of sentences (test/report/golden/), and must stay
// byte for byte the same.

const SEED = 20261203;

function runOf(planned: Plan, mode: 'one-way' | 'two-way', resync = false): RunResult {
  const base = aRunResult({
    command: 'plan',
    mode,
    resync,
    outcome: planned.operations.length === 0 ? 'in-sync' : 'changes-pending',
    exitCode: planned.operations.length === 0 ? 0 : 2,
    plan: planned,
    verified: null,
    servers: mode === 'two-way' ? [aServer('primary'), aServer('render', { url: 'https://render.example.com' })] : [aServer('primary'), aServer('backup')],
  });
  return withoutTargets(base);
}

/** The run as the golden files hold it: the report derives the verdict from the run itself. */
function withoutTargets(run: RunResult): RunResult {
  const { targets: _targets, ...rest } = run;
  return aRunResult(rest);
}

const damagedPair: fc.Arbitrary<ListingPair> = listingPair.chain((pair) =>
  fc
    .record({
      primaryLicenses: damaged(pair.primaryLicenses, LICENSE_DAMAGE, (row) => ({ ...row, owner_name: 'Twin' })),
      backupLicenses: damaged(pair.backupLicenses, LICENSE_DAMAGE, (row) => ({ ...row, owner_name: 'Twin' })),
      primaryUsers: damaged(pair.primaryUsers, USER_DAMAGE, (row) => ({ ...row, email: 'twin@example.com' })),
      backupUsers: damaged(pair.backupUsers, USER_DAMAGE, (row) => ({ ...row, email: 'twin@example.com' })),
    })
    .map((damage) => ({ ...pair, ...damage })),
);

/** One-way plans over seeded listings, a quarter of them damaged. */
export function oneWayGoldenRuns(count: number): RunResult[] {
  const pairs = fc.sample(fc.tuple(fc.oneof({ weight: 3, arbitrary: listingPair }, { weight: 1, arbitrary: damagedPair }), planOptions), { seed: SEED, numRuns: count });
  return pairs.map(([pair, options]) => {
    const primary = buildSnapshot(pair.primaryUsers, pair.primaryLicenses);
    const backup = buildSnapshot(pair.backupUsers, pair.backupLicenses);
    return runOf(plan(primary, backup, options, pair.today), 'one-way');
  });
}

/** Two-way plans over seeded histories since a converged pair, under every policy, with and without --delete, and some --resync. */
export function twoWayGoldenRuns(count: number): RunResult[] {
  const scenario = fc
    .tuple(fc.constantFrom('primary' as const, 'peer' as const, 'none' as const), fc.boolean(), daysSinceLastRun, fc.nat(9))
    .chain(([conflict, withDelete, days, resync]) => {
      const lastRun = addDays(TODAY, -days);
      return fc.record({
        lastRun: fc.constant(lastRun),
        start: convergedPair(lastRun),
        edits: history,
        options: twoWayOptions(conflict, withDelete),
        resync: fc.constant(resync === 0),
      });
    });
  return fc.sample(scenario, { seed: SEED, numRuns: count }).map(({ lastRun, start, edits, options, resync }) => {
    const now = applyEdits(start, edits, TODAY, lastRun);
    const base = resync ? null : baseFromSnapshots(start.primary, start.peer);
    return runOf(planTwoWay(now.primary, now.peer, base, options, TODAY), 'two-way', resync);
  });
}

/** A refused run carrying every guard the planner words, and a run that overrode some with --force. */
export function guardGoldenRuns(): RunResult[] {
  const counts = { users: 10, licenses: 100 };
  const deletions: Plan = {
    operations: ['D1', 'D2', 'D3'].map((id) => ({ server: 'backup', kind: 'delete-license' as const, key: `license:${id}`, deviceId: id, reason: { code: 'backup-only' as const } })),
    skipped: [],
    drift: [],
    conflicts: [],
  };
  const guards = [
    ...roleGuard([
      { server: 'primary', role: 'user' },
      { server: 'render', role: 'admin' },
    ]),
    ...shrunkenPrimaryGuard({ users: 2, licenses: 55 }, [{ reference: { kind: 'server', server: 'backup' }, counts }, { reference: { kind: 'server', server: 'render' }, counts: { users: 3, licenses: 0 } }], 0.6),
    ...lastGoodRunGuard({ users: 1, licenses: 33 }, { counts, recordedAt: '2025-06-14T10:00:00.000Z' }, 0.25),
    ...shrunkSinceBaseGuard(
      [
        { server: 'primary', licenses: 40, baseLicenses: 100 },
        { server: 'render', licenses: 100, baseLicenses: 100 },
      ],
      '2025-06-14T10:00:00.000Z',
      0.1,
    ),
    ...shrunkenSideGuard(
      [
        { server: 'primary', counts: { users: 1, licenses: 9 } },
        { server: 'render', counts },
      ],
      0.5,
    ),
    ...backupWorkGuard('render', ['K1'], '2025-06-14T10:00:00.000Z'),
    ...backupWorkGuard('backup', ['K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7'], '2025-06-14T10:00:00.000Z'),
    ...backupWorkGuard('backup', [], '2025-06-14T10:00:00.000Z'),
    ...deletionLimitGuard(deletions, 1),
    ...stopFor([{ error: new ApiError({ kind: 'malformed', server: 'primary', endpoint: 'GET /admin/devices', key: null, status: 200, reason: 'not JSON' }), server: 'primary' }]).guards,
  ];
  const refused = aRunResult({ outcome: 'refused', exitCode: 4, guards, plan: deletions, verified: null });
  const forced = aRunResult({ outcome: 'changes-pending', command: 'plan', exitCode: 2, forcedGuards: guards.slice(1, 4), plan: deletions, verified: null });
  return [refused, forced].map(withoutTargets);
}

/**
 * Every golden run, in a stable order. All of them go into the dump of planner
 * sentences; `reported` ones (the guards, the handmade cases and the first of
 * the sample) into the full JSON and text reports too, which keeps those files small.
 */
export function goldenRuns(): { readonly name: string; readonly run: RunResult; readonly reported: boolean }[] {
  return [
    ...guardGoldenRuns().map((run, n) => ({ name: `guards-${n}`, run, reported: true })),
    ...oneWayGoldenRuns(160).map((run, n) => ({ name: `one-way-${n}`, run, reported: n < 30 })),
    ...twoWayGoldenRuns(400).map((run, n) => ({ name: `two-way-${n}`, run, reported: n < 60 })),
    ...handmadeOneWayRuns().map((run, n) => ({ name: `one-way-handmade-${n}`, run, reported: true })),
    ...handmadeTwoWayRuns().map((run, n) => ({ name: `two-way-handmade-${n}`, run, reported: true })),
  ];
}

/** Two-way cases the seeded sample rarely reaches: renewals, pending, one-sided records, keyless listings, --conflict none over an expiry. */
export function handmadeTwoWayRuns(): RunResult[] {
  const license = aLicense();
  const renewed = aLicense({ start_date: TODAY, end_date: addMonths(TODAY, 12) });
  const ended = aLicense({ start_date: daysFromToday(-400), end_date: daysFromToday(-5) });
  const keyless = (kind: 'license' | 'user') => aRejected({ kind, key: null, reason: `${kind === 'license' ? 'device_id' : 'username'}: required` });
  const cases: Case[] = [
    { base: onBoth(license), now: { primary: renewed, peer: license } },
    { base: onBoth(license), now: { primary: renewed, peer: license }, options: { conflict: 'peer' } },
    { base: onBoth(license), now: { primary: aLicense({ status: 'pending' }), peer: aLicense({ owner_name: 'Outro' }) } },
    { base: {}, now: { primary: aLicense({ status: 'pending' }) } },
    { base: {}, now: { primary: aLicense({ status: 'pending' }), peer: aLicense({ owner_name: 'Outro' }) } },
    { base: { primary: license }, now: { primary: license } },
    { base: { peer: license }, now: { peer: license } },
    { base: onBoth(ended), now: { primary: aLicense({ ...ended, owner_name: 'Outro' }), peer: aLicense({ ...ended, email: 'y@example.com', start_date: TODAY, end_date: addMonths(TODAY, 12) }) }, options: { conflict: 'none' } },
    { base: onBoth(ended), now: { primary: aLicense({ ...ended, owner_name: 'Igual' }), peer: aLicense({ ...ended, owner_name: 'Igual' }) } },
    { base: onBoth(license), now: { primary: license }, options: { delete: true, maxDelete: 0 } },
    { base: onBoth(license), now: { primary: license, peerRejected: [keyless('license')] } },
    { base: onBoth(license), now: { peer: license, primaryRejected: [keyless('license')] } },
    { base: {}, now: { primary: license, peerRejected: [keyless('license')], primaryUsers: [aUser()], peerUsers: [aUser({ username: 'bia' })] } },
    { base: {}, now: { primaryUsers: [aUser()], peerUsers: [aUser({ username: 'bia' })], primaryRejected: [keyless('user')] } },
    { base: {}, now: { primaryUsers: [aUser()], peerUsers: [aUser({ username: 'bia', email: null }), aUser({ email: 'outro@example.com', role: 'admin' })] }, options: { newUsers: 'skip' } },
    {
      base: {},
      now: {
        primary: license,
        peer: aLicense({ device_id: 'OTHER' }),
        primaryRejected: [aRejected({ kind: 'license', key: 'OTHER', reason: 'status: required' }), aRejected({ kind: 'user', key: 'bia', reason: 'role: invalid' })],
        peerUsers: [aUser({ username: 'bia' })],
      },
    },
  ];
  return cases.map((example) => runOf(planCase(example), 'two-way', example.base === null));
}

/** One-way cases the seeded sample rarely reaches: keyless listings, --new-users skip, expired and pending copies. */
export function handmadeOneWayRuns(): RunResult[] {
  const license = aLicense();
  const keyless = (kind: 'license' | 'user') => aRejected({ kind, key: null, reason: `${kind === 'license' ? 'device_id' : 'username'}: required` });
  const cases: [Snapshot, Snapshot, PlanOptions][] = [
    [snapshotOf({ licenses: [license], users: [aUser()] }), snapshotOf({ rejected: [keyless('license'), keyless('user')] }), { newUsers: 'create', deleteBackupOnly: false }],
    [snapshotOf({ rejected: [keyless('license')] }), snapshotOf({ licenses: [license], users: [aUser()] }), { newUsers: 'create', deleteBackupOnly: true }],
    [snapshotOf({ licenses: [license], users: [aUser()] }), snapshotOf({ users: [aUser({ username: 'bia' })] }), { newUsers: 'skip', deleteBackupOnly: false }],
    [
      snapshotOf({ licenses: [license, aLicense({ device_id: 'P', status: 'pending' }), aLicense({ device_id: 'V', license_type: 'vitalicia', end_date: null })] }),
      snapshotOf({ licenses: [aLicense({ end_date: daysFromToday(-1) }), aLicense({ device_id: 'P', status: 'blocked', owner_name: 'Outro' }), aLicense({ device_id: 'V', license_type: 'vitalicia', end_date: daysFromToday(-1) })] }),
      { newUsers: 'create', deleteBackupOnly: false },
    ],
    [
      snapshotOf({ licenses: [aLicense({ status: 'pending', custom_interval: 30, features: 'core,pdv' })], users: [aUser({ email: null })] }),
      snapshotOf({ licenses: [aLicense({ status: 'active', end_date: daysFromToday(-3), created_by: 'maria', features: null })], users: [aUser({ role: 'admin' })] }),
      { newUsers: 'create', deleteBackupOnly: false },
    ],
  ];
  return cases.map(([primary, backup, options]) => runOf(plan(primary, backup, options, TODAY), 'one-way'));
}

/** Every planner sentence of a plan, one per line: operation reasons (and what follows a creation), skipped, drift and conflict details. */
export function planItemLines(planned: Plan): string[] {
  return [
    ...planned.operations.map(
      (operation) =>
        `op ${operation.server} ${operation.kind} ${operation.key}: ${operationReasonText(operation.reason)}${operation.kind === 'create-license' && operation.thenBlock !== null ? ` | then: ${thenBlockText(operation.thenBlock)}` : ''}`,
    ),
    ...planned.skipped.map((item) => `skipped ${item.reason} ${item.kind} ${item.key}: ${skippedDetailText(item)}`),
    ...planned.drift.map((item) => `drift ${item.kind} ${item.key}: ${driftDetailText(item)}`),
    ...planned.conflicts.map((item) => `conflict ${item.kind} ${item.key} ${item.resolution}: ${conflictDetailText(item)}`),
  ];
}
