import type { UpsertBody } from '../../../src/domain/upsert-body.js';
import type { Operation } from '../../../src/plan/operation.js';
import { licenseKey, userKey } from '../../../src/plan/operation.js';
import type { ConflictItem, DriftItem, DriftKind, Plan, SkippedItem, SkipReason } from '../../../src/plan/plan-types.js';
import type { AppliedOperation, Failure, RunResult, ServerName, ServerSummary, TargetResult, Verification } from '../../../src/outcome/run-result.js';
import type { RecordKind } from '../../../src/snapshot/records.js';

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

export function createUser(username: string, reason = 'missing on the backup'): Operation {
  return { server: 'backup', kind: 'create-user', key: userKey(username), reason, username, email: `${username}@example.com`, role: 'user' };
}

export function createLicense(deviceId: string, thenBlock: string | null = null, reason = 'missing on the backup'): Operation {
  return { server: 'backup', kind: 'create-license', key: licenseKey(deviceId), reason, body: upsertBody(deviceId), thenBlock };
}

export function updateLicense(deviceId: string, reason = 'content differs (owner_name)'): Operation {
  return { server: 'backup', kind: 'update-license', key: licenseKey(deviceId), reason, body: upsertBody(deviceId) };
}

export function reownLicense(deviceId: string, createdBy = 'reseller1', reason = 'owner admin on the backup, reseller1 on the primary'): Operation {
  return { server: 'backup', kind: 'update-created-by', key: licenseKey(deviceId), reason, deviceId, createdBy };
}

export function blockLicense(deviceId: string, reason = 'blocked on the primary, allowed on the backup'): Operation {
  return { server: 'backup', kind: 'block', key: licenseKey(deviceId), reason, deviceId };
}

export function activateLicense(deviceId: string, reason = 'blocked on the backup, allowed by the primary'): Operation {
  return { server: 'backup', kind: 'activate', key: licenseKey(deviceId), reason, deviceId };
}

export function deleteLicense(deviceId: string, reason = 'exists only on the backup (--delete)'): Operation {
  return { server: 'backup', kind: 'delete-license', key: licenseKey(deviceId), reason, deviceId };
}

/** The operation, written to `server` (a named backup, the peer, or `primary` in a two-way run). */
export function to<T extends Operation>(server: string, operation: T): T {
  return { ...operation, server };
}

/** `count` operations built by `build` from keys `<prefix>-1` … `<prefix>-<count>`. */
export function many<T>(count: number, prefix: string, build: (key: string) => T): T[] {
  return Array.from({ length: count }, (_, index) => build(`${prefix}-${index + 1}`));
}

export function driftItem(kind: DriftKind, key: string, detail = `${kind} detail of ${key}`): DriftItem {
  return { kind, key, detail };
}

export function skippedItem(reason: SkipReason, key: string, kind: RecordKind = 'license', detail = `${reason} detail`): SkippedItem {
  return { kind, key, reason, detail };
}

export function aConflict(overrides: Partial<ConflictItem> = {}): ConflictItem {
  return {
    kind: 'both-edited',
    key: 'C1',
    resolution: 'primary',
    detail: 'owner_name "Ana" on the primary, "Ana Souza" on the peer',
    ...overrides,
  };
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
