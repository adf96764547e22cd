import type { CalendarDate } from '../../../src/domain/calendar-date.js';
import { licenseDecision } from '../../../src/domain/decision.js';
import type { Dataset } from '../../../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../../../src/emulator/dataset/generator.js';
import { makeStaleBackup } from '../../../src/emulator/dataset/stale-backup.js';

// The data of the crash tests: a primary of 2,000 licenses and a backup stale
// in every way the rules care about, that has also lost about half of its
// licenses (allowed and denied alike, so that many creations are followed by
// a block) and a fifth of its users: a run that writes a lot.

export interface CrashData {
  readonly primary: Dataset;
  readonly backup: Dataset;
  /**
   * Licenses left on the backup whose content differs while the primary denies
   * them: drift the API cannot repair (an upsert would open them), so they
   * keep their content after any number of runs.
   */
  readonly unrepairableContent: ReadonlySet<string>;
  /** Primary licenses the backup lacks and that the primary denies: each is created, then blocked. */
  readonly missingDenied: readonly string[];
  /** Primary users the backup lacks. */
  readonly missingUsers: readonly string[];
}

export function crashData(spec: { readonly seed: number; readonly licenses: number; readonly users: number; readonly today: CalendarDate }): CrashData {
  const primary = generateDataset(spec);
  const stale = makeStaleBackup(primary, { seed: spec.seed, today: spec.today });
  const devices = stale.dataset.devices.filter((_, index) => index % 2 === 0);
  const users = stale.dataset.users.filter((_, index) => index % 5 !== 0);
  const backup: Dataset = {
    ...stale.dataset,
    devices: devices.map((row, index) => ({ ...row, id: index + 1 })),
    users: users.map((row, index) => ({ ...row, id: index + 1 })),
  };
  const onBackup = new Set(devices.map((row) => row.device_id));
  const usersOnBackup = new Set(users.map((row) => row.username));
  return {
    primary,
    backup,
    unrepairableContent: new Set(stale.changes['license-content-while-denied'].filter((deviceId) => onBackup.has(deviceId))),
    missingDenied: primary.devices.filter((row) => !onBackup.has(row.device_id) && licenseDecision(row, spec.today) !== 'allow').map((row) => row.device_id),
    missingUsers: primary.users.filter((row) => !usersOnBackup.has(row.username)).map((row) => row.username),
  };
}
