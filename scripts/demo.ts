// npm run demo — sync-dbs on two emulated license servers, end to end:
// a primary with about 1,000 licenses and a backup that fell behind it in every
// way the replication rules care about. Runs the built CLI twice (the second
// run must find nothing to do), checks the outcome independently through the
// emulators, then stops them. Exits with the second run's exit code (0 expected),
// or 1 when the CLI said "in sync" but a check below disagrees.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { utcCalendarDate } from '../src/domain/calendar-date.js';
import { licenseDecision } from '../src/domain/decision.js';
import { writeDatasetFile, type Dataset } from '../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../src/emulator/dataset/generator.js';
import { describeStaleness, expectedOperations, makeStaleBackup } from '../src/emulator/dataset/stale-backup.js';
import { countWrites } from '../src/emulator/emulator-stats.js';
import { EmulatorLab } from './support/emulator-lab.js';
import { runSyncCli, syncEnvironment, type CliRunResult } from './support/sync-cli.js';

const { values } = parseArgs({
  options: {
    licenses: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
  },
});
const LICENSES = Number(values.licenses);
const SEED = Number(values.seed);
if (!Number.isInteger(LICENSES) || LICENSES < 10 || !Number.isInteger(SEED)) {
  console.error('usage: npm run demo -- [--licenses N (>= 10, default 1000)] [--seed S]');
  process.exit(2);
}

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text: string) => console.log(`\n${bold(`━━ ${text} `.padEnd(78, '━'))}\n`);

const lab = new EmulatorLab('demo');

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

function printChecks(checks: readonly Check[]): void {
  for (const check of checks) console.log(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.what}: ${check.detail}`);
}

function describeExit(run: CliRunResult): string {
  return run.signal !== null ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
}

async function main(): Promise<number> {
  const today = utcCalendarDate(new Date());
  const workDir = await lab.open();
  const stateDir = join(workDir, 'state');

  heading('Setting up two emulated license servers');
  const primaryData = generateDataset({ seed: SEED, licenses: LICENSES, today });
  const stale = makeStaleBackup(primaryData, { seed: SEED, today });
  const primaryFile = join(workDir, 'primary.json');
  const backupFile = join(workDir, 'backup.json');
  await writeDatasetFile(primaryFile, primaryData);
  await writeDatasetFile(backupFile, stale.dataset);
  const [primary, backup] = await Promise.all([lab.start(['--data', primaryFile]), lab.start(['--data', backupFile])]);

  console.log(`today (UTC): ${today}; data seed ${SEED}; work dir ${workDir}`);
  console.log(`primary  ${primary.url}  ${primaryData.users.length} resellers, ${primaryData.devices.length} licenses (admin / admin123)`);
  console.log(`backup   ${backup.url}  ${stale.dataset.users.length} resellers, ${stale.dataset.devices.length} licenses (admin / admin123)`);
  console.log('\nHow the backup fell behind (each record follows one rule; every other record is identical):\n');
  const lines = describeStaleness(stale);
  const width = Math.max(...lines.map((line) => line.description.length));
  for (const line of lines) {
    console.log(`  ${String(line.count).padStart(4)}  ${line.subject.padEnd(7)} ${line.description.padEnd(width)}  → ${line.expected}`);
  }

  const env = syncEnvironment({ url: primary.url }, { url: backup.url });
  const cli = async (args: string[], output: 'inherit' | 'capture') => {
    const run = await runSyncCli([...args, '--state-dir', stateDir], { env, cwd: workDir, output });
    if (lab.interrupted) throw new Error('interrupted');
    return run;
  };

  heading('Cross-check: what sync-dbs plans (sync-dbs plan --json) against what the backup needs');
  const expected = expectedOperations(stale);
  const planRun = await cli(['plan', '--json'], 'capture');
  const planned: Record<string, number> = {};
  let thenBlocked = 0;
  try {
    const report = JSON.parse(planRun.stdout) as { plan: { operations: { kind: string; thenBlock?: string | null }[] } | null };
    for (const operation of report.plan?.operations ?? []) {
      planned[operation.kind] = (planned[operation.kind] ?? 0) + 1;
      if (operation.thenBlock) thenBlocked++;
    }
  } catch {
    console.log(`  the plan command printed no JSON report (${describeExit(planRun)}):\n${planRun.stdout}\n${planRun.stderr}`);
  }
  const crossChecks: Check[] = [
    ...(['create-user', 'create-license', 'update-license', 'update-created-by', 'block', 'activate'] as const).map((kind) => ({
      what: kind.padEnd(17),
      ok: (planned[kind] ?? 0) === expected[kind],
      detail: `expected ${expected[kind]}, planned ${planned[kind] ?? 0}`,
    })),
    { what: 'create then block', ok: thenBlocked === expected.createdThenBlocked, detail: `expected ${expected.createdThenBlocked}, planned ${thenBlocked}` },
    { what: 'delete-license   ', ok: (planned['delete-license'] ?? 0) === 0, detail: `expected 0 (no --delete), planned ${planned['delete-license'] ?? 0}` },
  ];
  printChecks(crossChecks);

  heading(`First run: sync-dbs sync --state-dir ${stateDir}`);
  await Promise.all([primary.control.resetStats(), backup.control.resetStats()]);
  const first = await cli(['sync'], 'inherit');
  const firstPrimaryStats = await primary.control.stats();
  const firstBackupStats = await backup.control.stats();
  console.log(`\n[demo] first run: ${describeExit(first)} after ${first.wallSeconds.toFixed(1)} s; ${countWrites(firstBackupStats.requests)} writes reached the backup, ${firstBackupStats.emailsSent} welcome e-mails it would have sent`);

  heading('Second run, right after: nothing should be left to do');
  await Promise.all([primary.control.resetStats(), backup.control.resetStats()]);
  const second = await cli(['sync'], 'inherit');
  const secondBackupStats = await backup.control.stats();
  const secondPrimaryStats = await primary.control.stats();
  console.log(`\n[demo] second run: ${describeExit(second)} after ${second.wallSeconds.toFixed(1)} s`);

  heading('What monitoring sees: sync-dbs history, then sync-dbs status');
  const history = await cli(['history'], 'inherit');
  console.log('');
  const status = await cli(['status'], 'inherit');

  heading('Independent checks, through the emulators');
  const [primaryState, backupState] = await Promise.all([primary.control.state(), backup.control.state()]);
  const checks: Check[] = [
    { what: 'first run exit code', ok: first.exitCode === 0, detail: `${describeExit(first)} (0 expected)` },
    { what: 'second run exit code', ok: second.exitCode === 0, detail: `${describeExit(second)} (0 expected)` },
    { what: 'plan matches the stale backup', ok: crossChecks.every((check) => check.ok), detail: crossChecks.every((check) => check.ok) ? 'every count as expected' : 'see the cross-check above' },
    {
      what: 'primary never written',
      ok: countWrites(firstPrimaryStats.requests) + countWrites(secondPrimaryStats.requests) === 0,
      detail: `${countWrites(firstPrimaryStats.requests) + countWrites(secondPrimaryStats.requests)} writes`,
    },
    { what: 'second run wrote nothing', ok: countWrites(secondBackupStats.requests) === 0, detail: `${countWrites(secondBackupStats.requests)} writes to the backup` },
    sameAnswers(primaryState, backupState, today),
    sameContent(primaryState, backupState, today),
    resellersPresent(primaryState, backupState),
    untouched(stale.changes['license-backup-only'], backupState),
    await passwordFile(join(stateDir, 'new-user-passwords.txt'), stale.changes['user-missing']),
    { what: 'history and status', ok: history.exitCode === 0 && status.exitCode === 0, detail: `history ${describeExit(history)}, status ${describeExit(status)} (0: healthy)` },
  ];
  printChecks(checks);

  const failed = checks.filter((check) => !check.ok).length;
  console.log(`\n[demo] ${failed === 0 ? 'all checks passed' : `${failed} check(s) failed`}; stopping the emulators and removing ${workDir}`);
  if (second.exitCode !== 0) return second.exitCode ?? 1;
  return failed === 0 ? 0 : 1;
}

/** What /verify would tell a client, license by license, on both servers. */
function sameAnswers(primary: Dataset, backup: Dataset, today: string): Check {
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const wrong = primary.devices.filter((row) => {
    const copy = onBackup.get(row.device_id);
    return copy === undefined || (licenseDecision(row, today) === 'allow') !== (licenseDecision(copy, today) === 'allow');
  });
  return {
    what: 'same allow/deny on both servers',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `all ${primary.devices.length} primary licenses` : `${wrong.length} differ, e.g. ${wrong[0]?.device_id}`,
  };
}

/** Licenses the primary allows carry the primary's content and owner on the backup. */
function sameContent(primary: Dataset, backup: Dataset, today: string): Check {
  const onBackup = new Map(backup.devices.map((row) => [row.device_id, row]));
  const norm = (value: string | null) => value?.trim() || null;
  const allowed = primary.devices.filter((row) => licenseDecision(row, today) === 'allow');
  const wrong = allowed.filter((row) => {
    const copy = onBackup.get(row.device_id);
    if (copy === undefined) return true;
    const fields = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;
    return fields.some((field) => norm(row[field]) !== norm(copy[field])) || (norm(row.created_by) ?? 'admin') !== (norm(copy.created_by) ?? 'admin');
  });
  return {
    what: 'same content where allowed',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `all ${allowed.length} allowed licenses` : `${wrong.length} differ, e.g. ${wrong[0]?.device_id}`,
  };
}

function resellersPresent(primary: Dataset, backup: Dataset): Check {
  const names = new Set(backup.users.map((user) => user.username));
  const missing = primary.users.filter((user) => !names.has(user.username));
  return { what: 'every reseller on the backup', ok: missing.length === 0, detail: `${primary.users.length - missing.length} of ${primary.users.length}` };
}

function untouched(backupOnly: readonly string[], backup: Dataset): Check {
  const present = new Set(backup.devices.map((row) => row.device_id));
  const kept = backupOnly.filter((key) => present.has(key)).length;
  return { what: 'backup-only licenses kept', ok: kept === backupOnly.length, detail: `${kept} of ${backupOnly.length} (no --delete)` };
}

/** The new users' passwords: a line per created user, distinct, readable only by the operator. Never printed here. */
async function passwordFile(path: string, created: readonly string[]): Promise<Check> {
  const what = 'new-user-passwords.txt';
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    // Lines are "<time>\t<server>\t<username>\t<password>".
    const rows = text.split('\n').map((line) => line.split('\t')).filter((fields) => fields.length >= 4);
    const wanted = new Set(created);
    const listed = rows.filter((fields) => wanted.has(fields[2] ?? ''));
    const distinct = new Set(listed.map((fields) => fields[3])).size;
    const private_ = process.platform === 'win32' || (info.mode & 0o077) === 0;
    return {
      what,
      ok: listed.length === created.length && new Set(listed.map((fields) => fields[2])).size === created.length && distinct === created.length && private_,
      detail: `${listed.length} lines for ${created.length} created users, ${distinct} distinct passwords, mode ${(info.mode & 0o777).toString(8)}`,
    };
  } catch (error) {
    return { what, ok: created.length === 0, detail: `cannot read it: ${(error as Error).message}` };
  }
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!lab.interrupted) console.error(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await lab.cleanUp();
}
process.exit(lab.interrupted ? 130 : exitCode);
