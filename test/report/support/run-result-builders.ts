import type { Operation, UpsertBody } from '../../../src/plan/operation.js';
import { licenseKey, userKey } from '../../../src/plan/operation.js';
import type { DriftItem, DriftKind, Plan, SkippedItem, SkipReason } from '../../../src/plan/plan-types.js';
import type { AppliedOperation, Failure, RunResult, ServerName, ServerSummary } from '../../../src/run/run-result.js';
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

/** A sync that found nothing to do: the base every test changes a little. */
export function aRunResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    command: 'sync',
    outcome: 'in-sync',
    exitCode: 0,
    forcedGuards: [],
    interruptedRuns: [],
    runId: null,
    verdict: 'in sync.',
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
