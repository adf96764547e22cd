// The demo's independent checks: what the emulators hold, judged without sync-dbs's own code
// (only the domain's decision: what /verify answers a client).
import { readFile, stat } from 'node:fs/promises';
import { licenseDecision } from '../../src/domain/decision.js';
import type { Dataset, DeviceRow } from '../../src/emulator/dataset/dataset-file.js';

export interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function printChecks(checks: readonly Check[]): void {
  for (const check of checks) console.log(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.what}: ${check.detail}`);
}

const allows = (row: DeviceRow | undefined, today: string) => row !== undefined && licenseDecision(row, today) === 'allow';

/** What /verify tells a client, for every device_id either server lists: a license a server does not list is refused there. */
export function sameAnswers(primary: Dataset, backup: Dataset, today: string): Check {
  const onPrimary = new Map(primary.devices.map((row) => [row.device_id, row]));
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const keys = new Set([...onPrimary.keys(), ...onBackup.keys()]);
  const wrong = [...keys].filter((key) => allows(onPrimary.get(key), today) !== allows(onBackup.get(key), today));
  return {
    what: 'same allow/deny on both servers',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `all ${keys.size} licenses either server lists` : `${wrong.length} differ, e.g. ${wrong[0]}`,
  };
}

/** Licenses the primary allows carry the primary's content and owner on the backup. */
export function sameContent(primary: Dataset, backup: Dataset, today: string): Check {
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const allowed = primary.devices.filter((row) => allows(row, today));
  const wrong = allowed.filter((row) => {
    const copy = onBackup.get(row.device_id);
    return copy === undefined || !sameLicenseContent(row, copy);
  });
  return {
    what: 'same content where allowed',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `all ${allowed.length} allowed licenses` : `${wrong.length} differ, e.g. ${wrong[0]?.device_id}`,
  };
}

/** Customer data, type and owner alike, as the server trims them and reads a missing owner as "admin". */
export function sameLicenseContent(a: DeviceRow, b: DeviceRow): boolean {
  const norm = (value: string | null) => value?.trim() || null;
  const fields = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;
  return fields.every((field) => norm(a[field]) === norm(b[field])) && (norm(a.created_by) ?? 'admin') === (norm(b.created_by) ?? 'admin');
}

/** Users can only be created through the API: each server ends up with every reseller of the other. */
export function resellersOnBoth(primary: Dataset, backup: Dataset): Check {
  const names = (data: Dataset) => new Set(data.users.map((user) => user.username));
  const [onPrimary, onBackup] = [names(primary), names(backup)];
  const all = new Set([...onPrimary, ...onBackup]);
  const missing = [...all].filter((name) => !onPrimary.has(name) || !onBackup.has(name));
  return { what: 'every reseller on both servers', ok: missing.length === 0, detail: missing.length === 0 ? `all ${all.size}` : `${missing.length} missing on one side, e.g. ${missing[0]}` };
}

/** Licenses only the backup had: kept (no --delete), and refused there as the primary, which does not list them, refuses them. */
export function backupOnlyKept(backupOnly: readonly string[], primary: Dataset, backup: Dataset, today: string): Check {
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const onPrimary = new Set(primary.devices.map((row) => row.device_id));
  const kept = backupOnly.filter((key) => onBackup.has(key)).length;
  const allowed = backupOnly.filter((key) => allows(onBackup.get(key), today)).length;
  const copied = backupOnly.filter((key) => onPrimary.has(key)).length;
  return {
    what: 'backup-only licenses kept, refused as the primary refuses them',
    ok: kept === backupOnly.length && allowed === 0 && copied === 0,
    detail: `${kept} of ${backupOnly.length} kept on the backup (no --delete), ${allowed} still allowed there, ${copied} copied to the primary`,
  };
}

/** The new users' passwords: a line per created user and server, distinct, readable only by the operator. Never printed here. */
export async function passwordFile(path: string, created: { readonly server: string; readonly usernames: readonly string[] }[]): Promise<Check> {
  const what = 'new-user-passwords.txt';
  const wanted = new Set(created.flatMap(({ server, usernames }) => usernames.map((name) => `${server}\t${name}`)));
  const summary = created.map(({ server, usernames }) => `${usernames.length} on the ${server}`).join(', ');
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    // Lines are "<time>\t<server>\t<username>\t<password>".
    const rows = text.split('\n').map((line) => line.split('\t')).filter((fields) => fields.length >= 4);
    const listed = rows.filter((fields) => wanted.has(`${fields[1]}\t${fields[2]}`));
    const distinct = new Set(listed.map((fields) => fields[3])).size;
    const private_ = process.platform === 'win32' || (info.mode & 0o077) === 0;
    return {
      what,
      ok: listed.length === wanted.size && new Set(listed.map((fields) => `${fields[1]}\t${fields[2]}`)).size === wanted.size && distinct === wanted.size && private_,
      detail: `${listed.length} lines for ${wanted.size} created users (${summary}), ${distinct} distinct passwords, mode ${(info.mode & 0o777).toString(8)}`,
    };
  } catch (error) {
    return { what, ok: wanted.size === 0, detail: `cannot read it: ${(error as Error).message}` };
  }
}
