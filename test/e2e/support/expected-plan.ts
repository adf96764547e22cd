import type { Dataset, DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';

// An independent reading of the replication rules of docs/replication-rules.md: from two
// datasets, the writes a correct sync plans, as `kind key` strings. End-to-end
// tests compare the CLI's plan with it, so it is written from the rules, not
// from the planner.

type Decision = 'allow' | 'deny:blocked' | 'deny:expired' | 'deny:pending';

/** The contract's /verify rules: blocked, then expired, then pending. */
function decisionOf(row: DeviceRow, today: string): Decision {
  if (row.status === 'blocked') return 'deny:blocked';
  if (isExpired(row, today)) return 'deny:expired';
  if (row.status === 'pending') return 'deny:pending';
  return 'allow';
}

function isExpired(row: DeviceRow, today: string): boolean {
  return row.license_type !== 'vitalicia' && row.end_date !== null && today > row.end_date;
}

function text(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function owner(row: DeviceRow): string {
  return text(row.created_by) ?? 'admin';
}

function contentDiffers(a: DeviceRow, b: DeviceRow): boolean {
  return (['owner_name', 'cpf', 'email', 'address'] as const).some((field) => text(a[field]) !== text(b[field])) || a.license_type !== b.license_type;
}

export interface ExpectedPlanOptions {
  readonly newUsers?: 'create' | 'skip';
  readonly delete?: boolean;
}

/** The operations a correct sync of `primary` into `backup` plans, sorted, as `kind key`. */
export function expectedPlan(primary: Dataset, backup: Dataset, today: string, options: ExpectedPlanOptions = {}): string[] {
  const operations: string[] = [];
  const backupUsers = new Set(backup.users.map((user) => user.username.trim()));
  if ((options.newUsers ?? 'create') === 'create') {
    for (const user of primary.users) if (!backupUsers.has(user.username.trim())) operations.push(`create-user user:${user.username.trim()}`);
  }
  const backupLicenses = new Map(backup.devices.map((row) => [row.device_id.trim(), row]));
  const primaryIds = new Set(primary.devices.map((row) => row.device_id.trim()));
  for (const row of primary.devices) {
    const key = `license:${row.device_id.trim()}`;
    const copy = backupLicenses.get(row.device_id.trim());
    if (copy === undefined) {
      operations.push(`create-license ${key}`);
      continue;
    }
    const wanted = decisionOf(row, today);
    const current = decisionOf(copy, today);
    const ownerDiffers = owner(row) !== owner(copy);
    if (wanted === 'allow') {
      if (contentDiffers(row, copy) || isExpired(copy, today)) operations.push(`update-license ${key}`);
      else {
        if (ownerDiffers) operations.push(`update-created-by ${key}`);
        if (current !== 'allow') operations.push(`activate ${key}`);
      }
    } else {
      if (current === 'allow' || (wanted === 'deny:blocked' && copy.status !== 'blocked')) operations.push(`block ${key}`);
      if (ownerDiffers) operations.push(`update-created-by ${key}`);
    }
  }
  if (options.delete === true) {
    for (const row of backup.devices) if (!primaryIds.has(row.device_id.trim())) operations.push(`delete-license license:${row.device_id.trim()}`);
  }
  return operations.sort();
}

/** `kind key` strings of a report's operations, sorted, to compare with `expectedPlan`. */
export function operationLines(operations: readonly { kind: string; key: string }[]): string[] {
  return operations.map((operation) => `${operation.kind} ${operation.key}`).sort();
}
