import type { UpsertBody } from '../../../src/domain/upsert-body.js';
import type { Operation } from '../../../src/plan/operation.js';
import { licenseKey, userKey } from '../../../src/plan/operation.js';
import type { ConflictItem, DriftItem, DriftKind, Plan, SkippedItem, SkipReason } from '../../../src/plan/plan-types.js';
import type { AppliedOperation, Failure, RunResult, ServerName, ServerSummary, TargetResult, Verification } from '../../../src/outcome/run-result.js';
import type { LicenseContentField, RecordKind } from '../../../src/snapshot/records.js';
import type { Decision } from '../../../src/domain/decision.js';
import { ONE_WAY, type OperationReason, type SideChangeFacts, type WriteReason } from '../../../src/plan/reasons.js';

// Small builders for RunResult fixtures: each gives a plausible default and
// takes overrides for what a test is about.

export function upsertBody(deviceId: string, overrides: Partial<UpsertBody> = {}): UpsertBody {
  return {
    device_id: deviceId,
    license_type: 'anual',
    owner_name: 'Maria Silva',
    cpf: '123.456.789-09',
    email: 'maria@example.com',
    address: 'Rua A, 1, São Paulo',
    created_by: 'admin',
    ...overrides,
  };
}

export function createUser(username: string, reason: OperationReason = { code: 'missing', sides: ONE_WAY }): Operation {
  return { server: 'backup', kind: 'create-user', key: userKey(username), reason, username, email: `${username}@example.com`, role: 'user' };
}

/** A creation; `denied`: the primary's denial, which blocks the license right after ("the primary denies it (blocked)"). */
export function createLicense(deviceId: string, denied: Decision | null = null, reason: OperationReason = { code: 'missing', sides: ONE_WAY }): Operation {
  const thenBlock = denied === null ? null : { code: 'source-denies' as const, sides: ONE_WAY, decision: denied };
  return { server: 'backup', kind: 'create-license', key: licenseKey(deviceId), reason, body: upsertBody(deviceId), thenBlock };
}

/** "content differs (owner_name)" unless told. */
export function updateLicense(deviceId: string, reason: OperationReason = contentDiffers('owner_name')): Operation {
  return { server: 'backup', kind: 'update-license', key: licenseKey(deviceId), reason, body: upsertBody(deviceId) };
}

/** "owner admin on the backup, reseller1 on the primary" unless told. */
export function reownLicense(
  deviceId: string,
  createdBy = 'reseller1',
  reason: OperationReason = { code: 'owner-differs', sides: ONE_WAY, targetOwner: 'admin', sourceOwner: 'reseller1' },
): Operation {
  return { server: 'backup', kind: 'update-created-by', key: licenseKey(deviceId), reason, deviceId, createdBy };
}

/** "blocked on the primary, allowed on the backup" unless told. */
export function blockLicense(deviceId: string, reason: OperationReason = { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' }): Operation {
  return { server: 'backup', kind: 'block', key: licenseKey(deviceId), reason, deviceId };
}

/** "blocked on the backup, allowed by the primary" unless told. */
export function activateLicense(deviceId: string, reason: OperationReason = { code: 'denied-on-target', sides: ONE_WAY, target: 'deny:blocked' }): Operation {
  return { server: 'backup', kind: 'activate', key: licenseKey(deviceId), reason, deviceId };
}

/** "exists only on the backup (--delete)" unless told. */
export function deleteLicense(deviceId: string, reason: OperationReason = { code: 'backup-only' }): Operation {
  return { server: 'backup', kind: 'delete-license', key: licenseKey(deviceId), reason, deviceId };
}

/** "content differs (email, cpf)" (one-way). */
export function contentDiffers(...fields: LicenseContentField[]): OperationReason {
  return { code: 'content-differs', sides: ONE_WAY, fields, expired: null };
}

/** A two-way write whose cause is what `side` did since the base: "created on primary since the base; missing on render". */
export function mergedWrite(change: SideChangeFacts, step: WriteReason): OperationReason {
  return { code: 'merged', cause: [{ code: 'side-change', change }], step };
}

/** The operation, written to `server` (a named backup, the peer, or `primary` in a two-way run). */
export function to<T extends Operation>(server: string, operation: T): T {
  return { ...operation, server };
}

/** `count` operations built by `build` from keys `<prefix>-1` … `<prefix>-<count>`. */
export function many<T>(count: number, prefix: string, build: (key: string) => T): T[] {
  return Array.from({ length: count }, (_, index) => build(`${prefix}-${index + 1}`));
}

/** A drift item of `kind` with plausible facts ("2025-01-01..2026-01-01 on the backup, 2025-01-02..2026-01-02 on the primary" for dates). */
export function driftItem(kind: DriftKind, key: string): DriftItem {
  const sides = ONE_WAY;
  switch (kind) {
    case 'user-email':
      return { kind, key, sides, source: `${key}@example.com`, target: null };
    case 'user-role':
      return { kind, key, sides, source: 'admin', target: 'user' };
    case 'license-content-while-denied':
      return { kind, key, fields: ['email'], because: { code: 'source-denies', sides, decision: 'deny:blocked' } };
    case 'license-deny-reason':
      return { kind, key, sides, source: 'deny:blocked', target: 'deny:expired' };
    case 'license-dates':
      return { kind, key, sides, source: { start: '2025-01-02', end: '2026-01-02' }, target: { start: '2025-01-01', end: '2026-01-01' } };
    case 'license-custom-interval':
      return { kind, key, sides, source: 60, target: 30 };
    case 'license-features':
      return { kind, key, sides, source: 'core', target: null };
    case 'license-telemetry':
      return { kind, key };
    case 'two-way-differs':
      return { kind, key, differs: { code: 'one-side-only', on: 'primary' } };
  }
}

/** A skipped record with plausible facts (one-way). */
export function skippedItem(reason: SkipReason, key: string, kind: RecordKind = 'license'): SkippedItem {
  switch (reason) {
    case 'deletion-pending':
      return { kind, key, reason, deletedOn: 'render', heldOn: null, why: { code: 'no-delete' } };
    case 'backup-only':
      return { kind, key, reason };
    case 'new-users-skip':
      return { kind, key, reason, sides: ONE_WAY };
    case 'unreadable':
      return { kind, key, reason, bothSides: false };
    case 'deletions-suspended':
      return { kind, key, reason, keyless: 1, goneFrom: null };
    case 'creations-suspended':
      return { kind, key, reason, keyless: 1, sides: ONE_WAY };
    case 'not-addressable':
      return { kind, key, reason, why: 'slash', call: 'create', sides: ONE_WAY, source: 'allow' };
    case 'over-grant':
      return { kind, key, reason, why: 'slash', sides: ONE_WAY, source: 'deny:blocked' };
  }
}

/** Both sides edited it: "edited on primary since the base (content: owner_name); edited on render since the base (content: owner_name); primary wins (--conflict primary)". */
export function aConflict(overrides: Partial<ConflictItem> = {}): ConflictItem {
  return {
    kind: 'both-edited',
    key: 'C1',
    resolution: 'primary',
    changes: { primary: edited('primary', 'owner_name'), peer: edited('render', 'owner_name') },
    outcome: { code: 'won', winner: 'primary', policy: 'primary' },
    ...overrides,
  };
}

/** What a side did: content fields edited since the base. */
export function edited(side: string, ...content: LicenseContentField[]): SideChangeFacts {
  return { code: 'edited', side, content, owner: null, held: null, opened: false, renewed: false };
}

export function aPlan(overrides: Partial<Plan> = {}): Plan {
  return { operations: [], skipped: [], drift: [], conflicts: [], ...overrides };
}

export function done(operation: Operation, note: string | null = null): AppliedOperation {
  return { operation, status: 'done', note };
}

export function failed(operation: Operation, note: string | null = null): AppliedOperation {
  return { operation, status: 'failed', note };
}

export function aFailure(overrides: Partial<Failure> = {}): Failure {
  return { server: 'backup', endpoint: 'POST /admin/devices/create', key: 'DEV-1', reason: 'HTTP 500 after 3 attempts', ...overrides };
}

export function aServer(name: ServerName, overrides: Partial<ServerSummary> = {}): ServerSummary {
  return {
    name,
    url: name === 'primary' ? 'https://primary.example.com' : 'https://backup.example.com',
    username: 'sync-admin',
    role: 'admin',
    mustChangePassword: false,
    users: 3,
    licenses: 10,
    rejected: [],
    requests: 2,
    writes: null,
    ...overrides,
  };
}

/**
 * A sync that found nothing to do: the base every test changes a little. Its
 * one target (the backup) mirrors the run's plan, writes and verification
 * unless `targets` is given.
 */
export function aRunResult(overrides: Partial<RunResult> = {}): RunResult {
  const run: Omit<RunResult, 'targets'> = {
    command: 'sync',
    mode: 'one-way',
    resync: false,
    outcome: 'in-sync',
    exitCode: 0,
    forcedGuards: [],
    interruptedRuns: [],
    runId: null,
    stoppedBeforeTargets: false,
    startedAt: '2025-06-01T10:00:00.000Z',
    durationMs: 1234,
    today: '2025-06-01',
    servers: [aServer('primary'), aServer('backup')],
    plan: aPlan(),
    applied: [],
    failures: [],
    guards: [],
    verified: { inSync: true, relisted: false, remaining: [] },
    newUserPasswordsFile: null,
    ...overrides,
  };
  return { ...run, targets: overrides.targets ?? [targetOf(run)] };
}

/** The backup's share of a one-target run. */
export function targetOf(run: Omit<RunResult, 'targets'>, overrides: Partial<TargetResult> = {}): TargetResult {
  return {
    server: 'backup',
    url: run.servers.find((server) => server.name === 'backup')?.url ?? 'https://backup.example.com',
    outcome: run.outcome,
    exitCode: run.exitCode,
    plan: run.plan,
    applied: run.applied,
    failures: run.failures,
    guards: run.guards,
    forcedGuards: run.forcedGuards,
    verified: run.verified,
    base: null,
    baseRecorded: false,
    ...overrides,
  };
}

/** A target on its own, by the backup's (or peer's) name; a plausible in-sync one unless told. */
export function aTarget(server: ServerName, overrides: Partial<TargetResult> = {}): TargetResult {
  return {
    server,
    url: `https://${server}.example.com`,
    outcome: 'in-sync',
    exitCode: 0,
    plan: aPlan(),
    applied: [],
    failures: [],
    guards: [],
    forcedGuards: [],
    verified: { inSync: true, relisted: false, remaining: [] },
    base: null,
    baseRecorded: false,
    ...overrides,
  };
}

/**
 * A run over `targets` whose plan, writes, failures, guards and verification
 * sum the targets up, as the run does: `overrides` then set the run's own
 * facts (outcome, verdict, servers, failures of the primary...).
 */
export function aRunOver(targets: readonly TargetResult[], overrides: Partial<RunResult> = {}): RunResult {
  const plans = targets.flatMap((target) => (target.plan === null ? [] : [target.plan]));
  const verified = targets.flatMap((target) => (target.verified === null ? [] : [target.verified]));
  const plan: Plan | null =
    plans.length === 0
      ? null
      : plans.length === 1
        ? (plans[0] as Plan)
        : aPlan({
            operations: plans.flatMap((each) => each.operations),
            skipped: plans.flatMap((each) => each.skipped),
            drift: plans.flatMap((each) => each.drift),
            conflicts: plans.flatMap((each) => each.conflicts),
          });
  const verification: Verification | null =
    verified.length === 0
      ? null
      : verified.length === 1
        ? (verified[0] as Verification)
        : { inSync: verified.every((each) => each.inSync), relisted: verified.some((each) => each.relisted), remaining: verified.flatMap((each) => each.remaining) };
  return aRunResult({
    servers: [aServer('primary'), ...targets.map((target) => aServer(target.server, { url: target.url }))],
    plan,
    applied: targets.flatMap((target) => target.applied),
    failures: targets.flatMap((target) => target.failures),
    guards: targets.flatMap((target) => target.guards),
    forcedGuards: targets.flatMap((target) => target.forcedGuards),
    verified: verification,
    ...overrides,
    targets,
  });
}

/**
 * Issue 5's three servers: primary → render (in sync after creating D1 and
 * blocking D2) and koyeb (down), summed up as the run does.
 */
export function aRunWithOneBackupDown(): RunResult {
  const createD1 = to('render', createLicense('D1'));
  const blockD2 = to('render', blockLicense('D2'));
  const render = aTarget('render', {
    url: 'https://render.example.com',
    plan: aPlan({ operations: [createD1, blockD2] }),
    applied: [done(createD1), done(blockD2)],
    verified: { inSync: true, relisted: true, remaining: [] },
  });
  const koyeb = aTarget('koyeb', {
    url: 'https://koyeb.example.com',
    outcome: 'unreachable',
    exitCode: 3,
    plan: null,
    failures: [aFailure({ server: 'koyeb', endpoint: 'GET /health', key: null, reason: 'timed out after 60 s' })],
    verified: null,
  });
  return aRunOver([render, koyeb], {
    outcome: 'unreachable',
    exitCode: 3,
    servers: [
      aServer('primary', { requests: 3 }),
      aServer('render', { url: 'https://render.example.com', requests: 6 }),
      aServer('koyeb', { url: 'https://koyeb.example.com', role: null, mustChangePassword: null, users: null, licenses: null, requests: 1 }),
    ],
  });
}

/** The paragraph (block between blank lines) of a text report whose first line starts with `heading`. */
export function sectionOf(report: string, heading: string): string[] {
  const block = report
    .trimEnd()
    .split('\n\n')
    .find((candidate) => candidate.startsWith(heading));
  if (block === undefined) throw new Error(`no section starting with ${JSON.stringify(heading)} in:\n${report}`);
  return block.split('\n');
}

export function hasSection(report: string, heading: string): boolean {
  return report.split('\n\n').some((block) => block.startsWith(heading));
}
