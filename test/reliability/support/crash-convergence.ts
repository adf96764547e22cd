import { Agent } from 'node:http';
import type { CalendarDate } from '../../../src/domain/calendar-date.js';
import { licenseDecision } from '../../../src/domain/decision.js';
import { CONTROL_SECRET_HEADER } from '../../../src/emulator/control-routes.js';
import type { Dataset, DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { WriteEntry } from '../../../src/emulator/write-log.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { rawRequest } from '../../support/raw-http.js';

// What "converged" means after a crash and the next run: the backup holds the
// primary's replicable data, answers /verify as the primary does, and nothing
// was created twice on the way.

const CONTENT_FIELDS = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;

/** As the sync compares them: trimmed, the empty string as null. */
function normalised(value: string | null): string | null {
  const trimmed = value?.trim() ?? null;
  return trimmed === '' ? null : trimmed;
}

function replicable(row: DeviceRow, today: CalendarDate) {
  return {
    ...Object.fromEntries(CONTENT_FIELDS.map((field) => [field, normalised(row[field])])),
    created_by: normalised(row.created_by) ?? 'admin',
    // Allow or deny: a license created for a denied one is blocked, whatever the primary's reason (drift the API cannot repair).
    allow: licenseDecision(row, today) === 'allow',
  };
}

/**
 * Where the backup differs from the primary on replicable data: each primary
 * user missing, each primary license missing or with other content, owner or
 * allow/deny. Content in `unrepairableContent` (drift the API cannot repair) is
 * not compared.
 */
export function replicableDifferences(primary: Dataset, backup: Dataset, today: CalendarDate, unrepairableContent: ReadonlySet<string>): string[] {
  const differences: string[] = [];
  const backupUsers = new Set(backup.users.map((user) => user.username));
  for (const user of primary.users) if (!backupUsers.has(user.username)) differences.push(`user ${user.username}: missing`);
  const backupRows = new Map(backup.devices.map((row) => [row.device_id, row]));
  for (const row of primary.devices) {
    const copy = backupRows.get(row.device_id);
    if (copy === undefined) {
      differences.push(`license ${row.device_id}: missing`);
      continue;
    }
    const wanted = replicable(row, today);
    const got = replicable(copy, today);
    const fields = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
      (field) => wanted[field] !== got[field] && !(unrepairableContent.has(row.device_id) && (CONTENT_FIELDS as readonly string[]).includes(field)),
    );
    if (fields.length > 0) differences.push(`license ${row.device_id}: ${fields.map((field) => `${field} ${String(got[field])} instead of ${String(wanted[field])}`).join(', ')}`);
  }
  return differences;
}

/** `/verify`'s allow for each id, asked as an observer (never faulted or intercepted), many at a time. */
export async function observedAllows(server: EmulatorHandle, deviceIds: readonly string[], parallel = 32): Promise<Map<string, boolean>> {
  const agent = new Agent({ keepAlive: true, maxSockets: parallel });
  const allows = new Map<string, boolean>();
  try {
    for (let start = 0; start < deviceIds.length; start += parallel) {
      const batch = deviceIds.slice(start, start + parallel);
      const answers = await Promise.all(
        batch.map((deviceId) =>
          rawRequest(server.url, {
            path: `/verify?${new URLSearchParams({ id: deviceId, version: '1.0.0', ts: '20250131120000' }).toString()}`,
            headers: { [CONTROL_SECRET_HEADER]: server.emulator.controlSecret },
            agent,
          }),
        ),
      );
      answers.forEach((answer, index) => {
        const allow = (answer.json as { allow?: unknown } | undefined)?.allow;
        if (typeof allow !== 'boolean') throw new Error(`/verify ${batch[index]}: no allow in ${answer.status} ${answer.text.slice(0, 200)}`);
        allows.set(batch[index] as string, allow);
      });
    }
  } finally {
    agent.destroy();
  }
  return allows;
}

/** The ids on which the backup's /verify answers otherwise than the primary's. */
export async function verifyDisagreements(primary: EmulatorHandle, backup: EmulatorHandle, deviceIds: readonly string[]): Promise<string[]> {
  const [onPrimary, onBackup] = await Promise.all([observedAllows(primary, deviceIds), observedAllows(backup, deviceIds)]);
  return deviceIds.filter((id) => onPrimary.get(id) !== onBackup.get(id)).map((id) => `${id}: primary allow=${onPrimary.get(id)}, backup allow=${onBackup.get(id)}`);
}

/**
 * What a write log shows was created more than once: a license inserted again
 * without being deleted in between, a license the plan creates that received
 * more than one upsert (a second one would re-date it), a user created twice.
 */
export function createdTwice(writes: readonly WriteEntry[], plannedCreations: ReadonlySet<string>): string[] {
  const present = new Set<string>();
  const upserts = new Map<string, number>();
  const users = new Set<string>();
  const twice: string[] = [];
  for (const { route, effect, key } of writes) {
    if (key === null) continue;
    if (effect === 'inserted' && present.has(key)) twice.push(`license ${key}: inserted again`);
    if (effect === 'inserted') present.add(key);
    if (effect === 'deleted') present.delete(key);
    if (route === 'POST /admin/devices/create' && effect !== 'refused' && plannedCreations.has(key)) {
      upserts.set(key, (upserts.get(key) ?? 0) + 1);
      if (upserts.get(key) === 2) twice.push(`license ${key}: created, then upserted again`);
    }
    if (effect === 'user-created' && users.has(key)) twice.push(`user ${key}: created again`);
    if (effect === 'user-created') users.add(key);
  }
  return twice;
}
