// npm run demo — sync-dbs on two emulated license servers, end to end.
// Act 1: a primary with about 1,000 licenses and a backup that fell behind it in
// every way the replication rules care about. Runs the built CLI twice (the second
// run must find nothing to do) and checks the outcome independently through the
// emulators. Act 2, the failover round trip: the primary stops, a run during the
// outage writes nothing, a reseller sells and blocks on the backup, the primary
// comes back, and one scheduled run brings that work to it. Then stops the
// emulators. Exits 0 when every check passed, else the second run's exit code or 1.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { utcCalendarDate } from '../src/domain/calendar-date.js';
import { licenseDecision } from '../src/domain/decision.js';
import { writeDatasetFile, type Dataset } from '../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../src/emulator/dataset/generator.js';
import { describeStaleness, expectedOperations, makeStaleBackup } from '../src/emulator/dataset/stale-backup.js';
import { countWrites } from '../src/emulator/emulator-stats.js';
import type { EmulatorProcess } from '../src/emulator/emulator-process.js';
import { backupOnlyKept, passwordFile, printChecks, resellersOnBoth, sameAnswers, sameContent, sameLicenseContent, type Check } from './support/demo-checks.js';
import { EmulatorLab } from './support/emulator-lab.js';
import { ResellerClient } from './support/reseller-client.js';
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

function describeExit(run: CliRunResult): string {
  return run.signal !== null ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
}

type Cli = (args: string[], output: 'inherit' | 'capture') => Promise<CliRunResult>;

/** The parts of the JSON report (`--json`) the demo reads. */
interface ReportJson {
  readonly verdict: string;
  readonly plan: { readonly operations: readonly { readonly server: string; readonly kind: string; readonly key: string; readonly reason: string; readonly thenBlock?: string | null }[] } | null;
}

function parseReport(run: CliRunResult): ReportJson | null {
  try {
    return JSON.parse(run.stdout) as ReportJson;
  } catch {
    console.log(`  the command printed no JSON report (${describeExit(run)}):\n${run.stdout}\n${run.stderr}`);
    return null;
  }
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
  // --dump: the primary writes its data back when stopped, so that act 2 can restart it as it was.
  const primaryArgs = ['--data', primaryFile, '--dump', primaryFile];
  const [primary, backup] = await Promise.all([lab.start(primaryArgs), lab.start(['--data', backupFile])]);

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
  const cli: Cli = async (args, output) => {
    const run = await runSyncCli([...args, '--state-dir', stateDir], { env, cwd: workDir, output });
    if (lab.interrupted) throw new Error('interrupted');
    return run;
  };

  heading('Cross-check: what sync-dbs plans (sync-dbs plan --json) against what each server needs');
  console.log('The default sync is the round trip: on this first run (no base yet) the primary\'s version of each license\nwins, and the primary gets only what it lacks and accepts: the resellers created on the backup.\n');
  const expected = expectedOperations(stale);
  const planned: Record<'primary' | 'backup', Record<string, number>> = { primary: {}, backup: {} };
  let thenBlocked = 0;
  for (const operation of parseReport(await cli(['plan', '--json'], 'capture'))?.plan?.operations ?? []) {
    const counts = planned[operation.server === 'primary' ? 'primary' : 'backup'];
    counts[operation.kind] = (counts[operation.kind] ?? 0) + 1;
    if (operation.thenBlock) thenBlocked++;
  }
  const row = (server: 'primary' | 'backup', kind: string, want: number, got: number, note = ''): Check => ({
    what: `${server.padEnd(7)} ${kind.padEnd(17)}`,
    ok: got === want,
    detail: `expected ${want}, planned ${got}${note}`,
  });
  const primaryOthers = Object.entries(planned.primary).filter(([kind]) => kind !== 'create-user').reduce((sum, [, count]) => sum + count, 0);
  const crossChecks: Check[] = [
    ...WRITE_KINDS.map((kind) => row('backup', kind, expected.backup[kind], planned.backup[kind] ?? 0, kind === 'block' ? ' (backup-only licenses it allows included)' : '')),
    row('backup', 'create then block', expected.backup.createdThenBlocked, thenBlocked),
    row('backup', 'delete-license', 0, planned.backup['delete-license'] ?? 0, ' (no --delete)'),
    row('primary', 'create-user', expected.primary['create-user'], planned.primary['create-user'] ?? 0, ' (the resellers only the backup has)'),
    row('primary', 'any other write', 0, primaryOthers),
  ];
  printChecks(crossChecks);

  heading(`First run: sync-dbs sync --state-dir ${stateDir}`);
  await Promise.all([primary.control.resetStats(), backup.control.resetStats()]);
  const first = await cli(['sync'], 'inherit');
  const firstPrimaryStats = await primary.control.stats();
  const firstBackupStats = await backup.control.stats();
  console.log(
    `\n[demo] first run: ${describeExit(first)} after ${first.wallSeconds.toFixed(1)} s; ${countWrites(firstBackupStats.requests)} writes reached the backup ` +
      `(${firstBackupStats.emailsSent} welcome e-mails it would have sent), ${countWrites(firstPrimaryStats.requests)} the primary`,
  );

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
  const userCreations = firstPrimaryStats.requests['POST /admin/users/create'] ?? 0;
  const primaryWrites = countWrites(firstPrimaryStats.requests);
  const checks: Check[] = [
    { what: 'first run exit code', ok: first.exitCode === 0, detail: `${describeExit(first)} (0 expected)` },
    { what: 'second run exit code', ok: second.exitCode === 0, detail: `${describeExit(second)} (0 expected)` },
    {
      what: 'plan matches the stale backup',
      ok: crossChecks.every((check) => check.ok),
      detail: crossChecks.every((check) => check.ok) ? 'every count as expected, on both servers' : 'see the cross-check above',
    },
    {
      what: 'primary gets only the backup\'s own resellers',
      ok: primaryWrites === expected.primary['create-user'] && userCreations === primaryWrites,
      detail: `${primaryWrites} writes, ${userCreations} of them user creations (${expected.primary['create-user']} expected, nothing else)`,
    },
    {
      what: 'second run wrote nothing',
      ok: countWrites(secondBackupStats.requests) + countWrites(secondPrimaryStats.requests) === 0,
      detail: `${countWrites(secondBackupStats.requests)} writes to the backup, ${countWrites(secondPrimaryStats.requests)} to the primary`,
    },
    sameAnswers(primaryState, backupState, today),
    sameContent(primaryState, backupState, today),
    resellersOnBoth(primaryState, backupState),
    backupOnlyKept(stale.changes['license-backup-only'], primaryState, backupState, today),
    await passwordFile(join(stateDir, 'new-user-passwords.txt'), [
      { server: 'backup', usernames: stale.changes['user-missing'] },
      { server: 'primary', usernames: stale.changes['user-backup-only'] },
    ]),
    { what: 'history and status', ok: history.exitCode === 0 && status.exitCode === 0, detail: `history ${describeExit(history)}, status ${describeExit(status)} (0: healthy)` },
  ];
  printChecks(checks);

  // The backup's own resellers log in with the generated password (those the sync created there got new ones).
  const resellers = stale.dataset.users.filter((user) => user.role === 'user').map((user) => user.username);
  const roundTrip = await failoverAct({ cli, primary, backup, primaryArgs, today, resellers });
  printChecks(roundTrip);

  const failed = [...checks, ...roundTrip].filter((check) => !check.ok).length;
  console.log(`\n[demo] ${failed === 0 ? `all ${checks.length + roundTrip.length} checks passed` : `${failed} check(s) failed`}; stopping the emulators and removing ${workDir}`);
  if (second.exitCode !== 0) return second.exitCode ?? 1;
  return failed === 0 ? 0 : 1;
}

const WRITE_KINDS = ['create-user', 'create-license', 'update-license', 'update-created-by', 'block', 'activate'] as const;

interface FailoverSetting {
  readonly cli: Cli;
  readonly primary: EmulatorProcess;
  readonly backup: EmulatorProcess;
  /** How the primary was started: it restarts the same way, on the same port. */
  readonly primaryArgs: readonly string[];
  readonly today: string;
  /** Resellers whose password on the backup is "<username>-senha", as generated. */
  readonly resellers: readonly string[];
}

const SALE = 'SOLD-DURING-OUTAGE-1';

/**
 * Act 2, what the tool is for: the primary stops, clients fail over to the
 * backup, a reseller keeps working there; the primary comes back and the
 * scheduled command, with no flag, brings that work to it.
 */
async function failoverAct({ cli, primary, backup, primaryArgs, today, resellers }: FailoverSetting): Promise<Check[]> {
  const before = await primary.control.state();
  const onBackup = await backup.control.state();
  const allowedOnPrimary = new Set(before.devices.filter((row) => licenseDecision(row, today) === 'allow').map((row) => row.device_id));
  const candidates = onBackup.devices.filter((row) => licenseDecision(row, today) === 'allow' && allowedOnPrimary.has(row.device_id));
  // A reseller blocks one of its own licenses; with very few licenses, any other (the API lets any account block).
  const own = candidates.find((row) => row.created_by !== null && resellers.includes(row.created_by));
  const clone = own ?? candidates[0];
  const reseller = own?.created_by ?? resellers[0];
  if (clone === undefined || reseller == null) throw new Error('act 2 needs a reseller and a license allowed on both servers: run with more --licenses');

  heading('Act 2: the primary goes down');
  const port = new URL(primary.url).port;
  await lab.stop(primary);
  console.log(`[demo] the primary (${primary.url}) stopped; clients fail over to the backup.\n`);
  await backup.control.resetStats();
  // A stopped server is not a sleeping free-tier one: no two-minute wait for it to wake up.
  const outage = await cli(['sync', '--json', '--wake-timeout', '0'], 'capture');
  const outageWrites = countWrites((await backup.control.stats()).requests);
  console.log(`[demo] the hourly run during the outage (sync-dbs sync --wake-timeout 0): ${describeExit(outage)}\n       ${parseReport(outage)?.verdict ?? ''}`);

  const session = await ResellerClient.login(backup.url, reseller, `${reseller}-senha`);
  await session.sell(SALE, {
    owner_name: 'Padaria Estrela Ltda',
    cpf: '52998224725',
    email: 'contato@padaria-estrela.example.com.br',
    address: 'Rua do Sol, 12, Boa Viagem, Recife',
    license_type: 'anual',
  });
  await session.block(clone.device_id);
  console.log(`[demo] reseller ${reseller}, logged into the backup with its own password, sells license ${SALE}\n       and blocks ${own === undefined ? '' : 'its '}license ${clone.device_id} (a cloned installation).`);

  heading('The primary comes back: one sync-dbs sync, the scheduled command, no flag');
  const restarted = await lab.start([...primaryArgs, '--port', port]);
  const after = await restarted.control.state();
  console.log(`[demo] the primary is back at ${restarted.url} with its data (${after.users.length} resellers, ${after.devices.length} licenses).\n`);
  await Promise.all([restarted.control.resetStats(), backup.control.resetStats()]);
  const back = await cli(['sync', '--json'], 'capture');
  const backReport = parseReport(back);
  for (const op of backReport?.plan?.operations ?? []) console.log(`  → ${op.server.padEnd(7)} ${op.kind.padEnd(14)} ${op.key}: ${op.reason}`);
  console.log(`\n[demo] ${describeExit(back)}: ${backReport?.verdict ?? ''}`);
  const [primaryWrites, backupWrites] = await Promise.all([restarted.control.stats(), backup.control.stats()]);

  await Promise.all([restarted.control.resetStats(), backup.control.resetStats()]);
  const next = await cli(['sync', '--json'], 'capture');
  const nextReport = parseReport(next);
  const nextWrites = countWrites((await restarted.control.stats()).requests) + countWrites((await backup.control.stats()).requests);
  console.log(`[demo] the next run: ${describeExit(next)}: ${nextReport?.verdict ?? ''}`);

  heading('Checks of the round trip, through the emulators');
  const [primaryNow, backupNow] = await Promise.all([restarted.control.state(), backup.control.state()]);
  const find = (data: Dataset, key: string) => data.devices.find((row) => row.device_id === key);
  const [saleHere, saleThere] = [find(primaryNow, SALE), find(backupNow, SALE)];
  const blocked = [find(primaryNow, clone.device_id), find(backupNow, clone.device_id)].map((row) => row?.status ?? 'missing');
  const toPrimary = primaryWrites.requests;
  return [
    {
      what: 'run during the outage',
      ok: outage.exitCode === 3 && outageWrites === 0,
      detail: `${describeExit(outage)} (3: a server unreachable), ${outageWrites} writes to the backup`,
    },
    {
      what: 'primary restarted with its data',
      ok: JSON.stringify(after.devices) === JSON.stringify(before.devices) && after.users.length === before.users.length,
      detail: `${after.devices.length} licenses, ${after.users.length} resellers (before it stopped: ${before.devices.length}, ${before.users.length}; licenses identical: ${JSON.stringify(after.devices) === JSON.stringify(before.devices)})`,
    },
    {
      what: 'round trip exit code',
      ok: back.exitCode === 0,
      detail: `${describeExit(back)} (0 expected)`,
    },
    {
      what: 'primary gets the sale and the block',
      ok: countWrites(toPrimary) === 2 && toPrimary['POST /admin/devices/create'] === 1 && toPrimary['POST /admin/devices/:device_id/deactivate'] === 1,
      detail: `${countWrites(toPrimary)} writes: ${toPrimary['POST /admin/devices/create'] ?? 0} license created, ${toPrimary['POST /admin/devices/:device_id/deactivate'] ?? 0} blocked (1 and 1 expected); ${countWrites(backupWrites.requests)} to the backup`,
    },
    {
      what: 'the sale on both servers',
      ok: saleHere !== undefined && saleThere !== undefined && saleHere.created_by === reseller && sameLicenseContent(saleHere, saleThere) && licenseDecision(saleHere, today) === 'allow',
      detail: `on the primary: ${saleHere === undefined ? 'missing' : `owner ${saleHere.created_by}, ${licenseDecision(saleHere, today)}`}; same customer data on both: ${saleHere !== undefined && saleThere !== undefined && sameLicenseContent(saleHere, saleThere)}`,
    },
    {
      what: 'the block on both servers',
      ok: blocked.every((status) => status === 'blocked'),
      detail: `${clone.device_id}: ${blocked[0]} on the primary, ${blocked[1]} on the backup`,
    },
    sameAnswers(primaryNow, backupNow, today),
    {
      what: 'the next run plans nothing',
      ok: next.exitCode === 0 && nextReport?.plan?.operations.length === 0 && nextWrites === 0,
      detail: `${describeExit(next)}, ${nextReport?.plan?.operations.length ?? 'no'} operations planned, ${nextWrites} writes`,
    },
  ];
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
