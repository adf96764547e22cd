// The demo's independent checks: what the emulators hold, judged without sync-dbs's own code
// (only the domain's decision: what /verify answers a client).
import { readFile, stat } from 'node:fs/promises';
import { licenseDecision } from '../../src/domain/decision.js';
import type { Dataset, DeviceRow } from '../../src/emulator/dataset/dataset-file.js';
import { t } from '../../src/i18n/i18n.js';

export interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function printChecks(checks: readonly Check[]): void {
  const [pass, fail] = [t('demo:check.pass'), t('demo:check.fail')];
  const width = Math.max(pass.length, fail.length);
  for (const check of checks) console.log(`  ${(check.ok ? pass : fail).padEnd(width)}  ${check.what}: ${check.detail}`);
}

const allows = (row: DeviceRow | undefined, today: string) => row !== undefined && licenseDecision(row, today) === 'allow';

/** What /verify tells a client, for every device_id either server lists: a license a server does not list is refused there. */
export function sameAnswers(primary: Dataset, backup: Dataset, today: string): Check {
  const onPrimary = new Map(primary.devices.map((row) => [row.device_id, row]));
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const keys = new Set([...onPrimary.keys(), ...onBackup.keys()]);
  const wrong = [...keys].filter((key) => allows(onPrimary.get(key), today) !== allows(onBackup.get(key), today));
  return {
    what: t('demo:check.sameAnswers'),
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? t('demo:check.sameAnswers.ok', { count: keys.size }) : t('demo:check.differ', { count: wrong.length, example: wrong[0] }),
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
    what: t('demo:check.sameContent'),
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? t('demo:check.sameContent.ok', { count: allowed.length }) : t('demo:check.differ', { count: wrong.length, example: wrong[0]?.device_id }),
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
  return {
    what: t('demo:check.resellersOnBoth'),
    ok: missing.length === 0,
    detail: missing.length === 0 ? t('demo:check.resellersOnBoth.ok', { count: all.size }) : t('demo:check.resellersOnBoth.bad', { count: missing.length, example: missing[0] }),
  };
}

/** Licenses only the backup had: kept (no --delete), and refused there as the primary, which does not list them, refuses them. */
export function backupOnlyKept(backupOnly: readonly string[], primary: Dataset, backup: Dataset, today: string): Check {
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const onPrimary = new Set(primary.devices.map((row) => row.device_id));
  const kept = backupOnly.filter((key) => onBackup.has(key)).length;
  const allowed = backupOnly.filter((key) => allows(onBackup.get(key), today)).length;
  const copied = backupOnly.filter((key) => onPrimary.has(key)).length;
  return {
    what: t('demo:check.backupOnlyKept'),
    ok: kept === backupOnly.length && allowed === 0 && copied === 0,
    detail: t('demo:check.backupOnlyKept.detail', { kept, total: backupOnly.length, allowed, copied }),
  };
}

/** The new users' passwords: a line per created user and server, distinct, readable only by the operator. Never printed here. */
export async function passwordFile(path: string, created: { readonly server: 'primary' | 'backup'; readonly usernames: readonly string[] }[]): Promise<Check> {
  const what = 'new-user-passwords.txt';
  const wanted = new Set(created.flatMap(({ server, usernames }) => usernames.map((name) => `${server}\t${name}`)));
  const summary = created
    .map(({ server, usernames }) => t('demo:check.passwordFile.onServer', { count: usernames.length, role: t(server === 'primary' ? 'demo:role.primary' : 'demo:role.backup') }))
    .join(', ');
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
      detail: t('demo:check.passwordFile.detail', { lines: listed.length, users: wanted.size, summary, distinct, mode: (info.mode & 0o777).toString(8) }),
    };
  } catch (error) {
    return { what, ok: wanted.size === 0, detail: t('demo:check.passwordFile.unreadable', { message: (error as Error).message }) };
  }
}
