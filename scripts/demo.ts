// npm run demo — sync-dbs on two emulated license servers, end to end.
// Act 1: a primary with about 1,000 licenses and a backup that fell behind it in
// every way the replication rules care about. Runs the built CLI twice (the second
// run must find nothing to do) and checks the outcome independently through the
// emulators. Act 2, the failover round trip: the primary stops, a run during the
// outage writes nothing, a reseller sells and blocks on the backup, the primary
// comes back, and one scheduled run brings that work to it. Then stops the
// emulators. Exits 0 when every check passed, else the second run's exit code or 1.
// The narration speaks the language of --lang, SYNC_DBS_LANG or the locale (as the
// CLI does), and so do the CLI runs it starts.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { utcCalendarDate } from '../src/domain/calendar-date.js';
import { licenseDecision } from '../src/domain/decision.js';
import { writeDatasetFile, type Dataset } from '../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../src/emulator/dataset/generator.js';
import { describeStaleness, expectedOperations, makeStaleBackup, type StaleRule } from '../src/emulator/dataset/stale-backup.js';
import { countWrites } from '../src/emulator/emulator-stats.js';
import type { EmulatorProcess } from '../src/emulator/emulator-process.js';
import { UnknownLanguageError } from '../src/i18n/detect-language.js';
import { formatNumber, t, type Language, type MessageKey } from '../src/i18n/i18n.js';
import { backupOnlyKept, passwordFile, printChecks, resellersOnBoth, sameAnswers, sameContent, sameLicenseContent, type Check } from './support/demo-checks.js';
import { chooseDemoLanguage, cliLanguageEnvironment } from './support/demo-language.js';
import { EmulatorLab } from './support/emulator-lab.js';
import { ResellerClient } from './support/reseller-client.js';
import { runSyncCli, syncEnvironment, type CliRunResult } from './support/sync-cli.js';

const { values } = parseArgs({
  options: {
    licenses: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    lang: { type: 'string' },
  },
});
function languageOrExit(): Language {
  try {
    return chooseDemoLanguage(values.lang);
  } catch (error) {
    if (!(error instanceof UnknownLanguageError)) throw error;
    console.error(`${t('demo:usage.unknownLanguage', { given: error.given })}\n${t('demo:usage')}`);
    process.exit(2);
  }
}
const LANGUAGE = languageOrExit();
const LICENSES = Number(values.licenses);
const SEED = Number(values.seed);
if (!Number.isInteger(LICENSES) || LICENSES < 10 || !Number.isInteger(SEED)) {
  console.error(t('demo:usage'));
  process.exit(2);
}

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text: string) => console.log(`\n${bold(`━━ ${text} `.padEnd(78, '━'))}\n`);

const lab = new EmulatorLab('demo');

function describeExit(run: CliRunResult): string {
  return run.signal !== null ? t('demo:exit.signal', { signal: run.signal }) : t('demo:exit.code', { code: run.exitCode });
}

const writes = (count: number) => t('demo:count.writes', { count });
const licenses = (count: number) => t('common:count.licenses', { count });
const resellerCount = (count: number) => t('demo:count.resellers', { count });
const operations = (count: number) => t('demo:count.operations', { count });
const yesNo = (value: boolean) => t(value ? 'demo:yes' : 'demo:no');
const seconds = (value: number) => formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const role = (server: 'primary' | 'backup') => t(server === 'primary' ? 'demo:role.primary' : 'demo:role.backup');
const staleText = (rule: StaleRule, part: 'description' | 'expected') => t(`demo:stale.${rule}.${part}` as MessageKey);

type Cli = (args: string[], output: 'inherit' | 'capture') => Promise<CliRunResult>;

/** The parts of the JSON report (`--json`) the demo reads. */
interface ReportJson {
  readonly plan: { readonly operations: readonly { readonly server: string; readonly kind: string; readonly thenBlock?: string | null }[] } | null;
}

function parseReport(run: CliRunResult): ReportJson | null {
  try {
    return JSON.parse(run.stdout) as ReportJson;
  } catch {
    console.log(`${t('demo:noJsonReport', { exit: describeExit(run) })}\n${run.stdout}\n${run.stderr}`);
    return null;
  }
}

async function main(): Promise<number> {
  const today = utcCalendarDate(new Date());
  const workDir = await lab.open();
  const stateDir = join(workDir, 'state');

  heading(t('demo:heading.setup'));
  const primaryData = generateDataset({ seed: SEED, licenses: LICENSES, today });
  const stale = makeStaleBackup(primaryData, { seed: SEED, today });
  const primaryFile = join(workDir, 'primary.json');
  const backupFile = join(workDir, 'backup.json');
  await writeDatasetFile(primaryFile, primaryData);
  await writeDatasetFile(backupFile, stale.dataset);
  // --dump: the primary writes its data back when stopped, so that act 2 can restart it as it was.
  const primaryArgs = ['--data', primaryFile, '--dump', primaryFile];
  const [primary, backup] = await Promise.all([lab.start(primaryArgs), lab.start(['--data', backupFile])]);

  console.log(t('demo:setup.today', { today, seed: SEED, dir: workDir }));
  const roleWidth = Math.max(role('primary').length, role('backup').length);
  const serverLine = (server: 'primary' | 'backup', url: string, data: Dataset) =>
    t('demo:setup.server', { role: role(server).padEnd(roleWidth), url, resellers: resellerCount(data.users.length), licenses: licenses(data.devices.length) });
  console.log(serverLine('primary', primary.url, primaryData));
  console.log(serverLine('backup', backup.url, stale.dataset));
  console.log(`\n${t('demo:staleness.intro')}\n`);
  const lines = describeStaleness(stale).map((line) => ({
    count: formatNumber(line.count),
    subject: t(line.subject === 'license' ? 'demo:subject.license' : 'demo:subject.user'),
    description: staleText(line.rule, 'description'),
    expected: staleText(line.rule, 'expected'),
  }));
  const width = Math.max(...lines.map((line) => line.description.length));
  const subjectWidth = Math.max(...lines.map((line) => line.subject.length));
  for (const line of lines) {
    console.log(`  ${line.count.padStart(4)}  ${line.subject.padEnd(subjectWidth)} ${line.description.padEnd(width)}  → ${line.expected}`);
  }

  const env = syncEnvironment({ url: primary.url }, { url: backup.url }, cliLanguageEnvironment(LANGUAGE));
  const cli: Cli = async (args, output) => {
    const run = await runSyncCli([...args, '--state-dir', stateDir], { env, cwd: workDir, output });
    if (lab.interrupted) throw new Error('interrupted');
    return run;
  };

  heading(t('demo:heading.crossCheck'));
  console.log(`${t('demo:crossCheck.intro')}\n`);
  const expected = expectedOperations(stale);
  const planned: Record<'primary' | 'backup', Record<string, number>> = { primary: {}, backup: {} };
  let thenBlocked = 0;
  for (const operation of parseReport(await cli(['plan', '--json'], 'capture'))?.plan?.operations ?? []) {
    const counts = planned[operation.server === 'primary' ? 'primary' : 'backup'];
    counts[operation.kind] = (counts[operation.kind] ?? 0) + 1;
    if (operation.thenBlock) thenBlocked++;
  }
  interface Row {
    readonly server: 'primary' | 'backup';
    readonly kind: string;
    readonly want: number;
    readonly got: number;
    readonly note?: string;
  }
  const primaryOthers = Object.entries(planned.primary).filter(([kind]) => kind !== 'create-user').reduce((sum, [, count]) => sum + count, 0);
  const rows: Row[] = [
    ...WRITE_KINDS.map((kind) => ({
      server: 'backup' as const,
      kind,
      want: expected.backup[kind],
      got: planned.backup[kind] ?? 0,
      ...(kind === 'block' ? { note: t('demo:crossCheck.note.backupOnlyIncluded') } : {}),
    })),
    { server: 'backup', kind: t('demo:crossCheck.kind.createThenBlock'), want: expected.backup.createdThenBlocked, got: thenBlocked },
    { server: 'backup', kind: 'delete-license', want: 0, got: planned.backup['delete-license'] ?? 0, note: t('demo:crossCheck.note.noDelete') },
    { server: 'primary', kind: 'create-user', want: expected.primary['create-user'], got: planned.primary['create-user'] ?? 0, note: t('demo:crossCheck.note.backupResellers') },
    { server: 'primary', kind: t('demo:crossCheck.kind.anyOtherWrite'), want: 0, got: primaryOthers },
  ];
  const serverWidth = Math.max(...rows.map((entry) => role(entry.server).length));
  const kindWidth = Math.max(...rows.map((entry) => entry.kind.length));
  const crossChecks: Check[] = rows.map(({ server, kind, want, got, note }) => ({
    what: `${role(server).padEnd(serverWidth)} ${kind.padEnd(kindWidth)}`,
    ok: got === want,
    detail: `${t('demo:crossCheck.detail', { want: formatNumber(want), got: formatNumber(got) })}${note === undefined ? '' : ` (${note})`}`,
  }));
  printChecks(crossChecks);

  heading(t('demo:heading.firstRun', { dir: stateDir }));
  await Promise.all([primary.control.resetStats(), backup.control.resetStats()]);
  const first = await cli(['sync'], 'inherit');
  const firstPrimaryStats = await primary.control.stats();
  const firstBackupStats = await backup.control.stats();
  console.log(
    `\n${t('demo:firstRun.summary', {
      exit: describeExit(first),
      seconds: seconds(first.wallSeconds),
      backupWrites: writes(countWrites(firstBackupStats.requests)),
      emails: formatNumber(firstBackupStats.emailsSent),
      primaryWrites: writes(countWrites(firstPrimaryStats.requests)),
    })}`,
  );

  heading(t('demo:heading.secondRun'));
  await Promise.all([primary.control.resetStats(), backup.control.resetStats()]);
  const second = await cli(['sync'], 'inherit');
  const secondBackupStats = await backup.control.stats();
  const secondPrimaryStats = await primary.control.stats();
  console.log(`\n${t('demo:secondRun.summary', { exit: describeExit(second), seconds: seconds(second.wallSeconds) })}`);

  heading(t('demo:heading.monitoring'));
  const history = await cli(['history'], 'inherit');
  console.log('');
  const status = await cli(['status'], 'inherit');

  heading(t('demo:heading.checks'));
  const [primaryState, backupState] = await Promise.all([primary.control.state(), backup.control.state()]);
  const userCreations = firstPrimaryStats.requests['POST /admin/users/create'] ?? 0;
  const primaryWrites = countWrites(firstPrimaryStats.requests);
  const checks: Check[] = [
    { what: t('demo:check.firstExit'), ok: first.exitCode === 0, detail: t('demo:check.exitZero.detail', { exit: describeExit(first) }) },
    { what: t('demo:check.secondExit'), ok: second.exitCode === 0, detail: t('demo:check.exitZero.detail', { exit: describeExit(second) }) },
    {
      what: t('demo:check.planMatches'),
      ok: crossChecks.every((check) => check.ok),
      detail: t(crossChecks.every((check) => check.ok) ? 'demo:check.planMatches.ok' : 'demo:check.planMatches.bad'),
    },
    {
      what: t('demo:check.primaryResellers'),
      ok: primaryWrites === expected.primary['create-user'] && userCreations === primaryWrites,
      detail: t('demo:check.primaryResellers.detail', { writes: writes(primaryWrites), creations: userCreations, expected: expected.primary['create-user'] }),
    },
    {
      what: t('demo:check.secondWroteNothing'),
      ok: countWrites(secondBackupStats.requests) + countWrites(secondPrimaryStats.requests) === 0,
      detail: t('demo:check.secondWroteNothing.detail', { backup: writes(countWrites(secondBackupStats.requests)), primary: writes(countWrites(secondPrimaryStats.requests)) }),
    },
    sameAnswers(primaryState, backupState, today),
    sameContent(primaryState, backupState, today),
    resellersOnBoth(primaryState, backupState),
    backupOnlyKept(stale.changes['license-backup-only'], primaryState, backupState, today),
    await passwordFile(join(stateDir, 'new-user-passwords.txt'), [
      { server: 'backup', usernames: stale.changes['user-missing'] },
      { server: 'primary', usernames: stale.changes['user-backup-only'] },
    ]),
    {
      what: t('demo:check.historyStatus'),
      ok: history.exitCode === 0 && status.exitCode === 0,
      detail: t('demo:check.historyStatus.detail', { history: describeExit(history), status: describeExit(status) }),
    },
  ];
  printChecks(checks);

  // The backup's own resellers log in with the generated password (those the sync created there got new ones).
  const resellers = stale.dataset.users.filter((user) => user.role === 'user').map((user) => user.username);
  const roundTrip = await failoverAct({ cli, primary, backup, primaryArgs, today, resellers });
  printChecks(roundTrip);

  const failed = [...checks, ...roundTrip].filter((check) => !check.ok).length;
  const summary = failed === 0 ? t('demo:summary.allPassed', { count: checks.length + roundTrip.length, dir: workDir }) : t('demo:summary.someFailed', { count: failed, dir: workDir });
  console.log(`\n${summary}`);
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
  if (clone === undefined || reseller == null) throw new Error(t('demo:act2.needsMore'));

  heading(t('demo:heading.act2'));
  const port = new URL(primary.url).port;
  await lab.stop(primary);
  console.log(`${t('demo:act2.stopped', { url: primary.url })}\n`);
  await backup.control.resetStats();
  // A stopped server is not a sleeping free-tier one: no two-minute wait for it to wake up.
  // The run's own report, in the operator's language (a JSON report's verdict is for machines).
  console.log(t('demo:act2.outageRun'));
  const outage = await cli(['sync', '--wake-timeout', '0'], 'inherit');
  const outageWrites = countWrites((await backup.control.stats()).requests);
  console.log(t('demo:act2.outageSummary', { exit: describeExit(outage), writes: writes(outageWrites) }));

  const session = await ResellerClient.login(backup.url, reseller, `${reseller}-senha`);
  await session.sell(SALE, {
    owner_name: 'Padaria Estrela Ltda',
    cpf: '52998224725',
    email: 'contato@padaria-estrela.example.com.br',
    address: 'Rua do Sol, 12, Boa Viagem, Recife',
    license_type: 'anual',
  });
  await session.block(clone.device_id);
  console.log(t(own === undefined ? 'demo:act2.saleOther' : 'demo:act2.saleOwn', { reseller, sale: SALE, license: clone.device_id }));

  heading(t('demo:heading.primaryBack'));
  const restarted = await lab.start([...primaryArgs, '--port', port]);
  const after = await restarted.control.state();
  console.log(t('demo:act2.back', { url: restarted.url, resellers: resellerCount(after.users.length), licenses: licenses(after.devices.length) }));
  await Promise.all([restarted.control.resetStats(), backup.control.resetStats()]);
  const back = await cli(['sync'], 'inherit');
  console.log(t('demo:act2.backSummary', { exit: describeExit(back) }));
  const [primaryWrites, backupWrites] = await Promise.all([restarted.control.stats(), backup.control.stats()]);

  await Promise.all([restarted.control.resetStats(), backup.control.resetStats()]);
  const next = await cli(['sync', '--json'], 'capture');
  const nextOperations = parseReport(next)?.plan?.operations.length;
  const nextWrites = countWrites((await restarted.control.stats()).requests) + countWrites((await backup.control.stats()).requests);
  const nextDetail = { exit: describeExit(next), operations: nextOperations === undefined ? '?' : operations(nextOperations), writes: writes(nextWrites) };
  console.log(t('demo:act2.nextSummary', nextDetail));

  heading(t('demo:heading.roundTripChecks'));
  const [primaryNow, backupNow] = await Promise.all([restarted.control.state(), backup.control.state()]);
  const find = (data: Dataset, key: string) => data.devices.find((row) => row.device_id === key);
  const [saleHere, saleThere] = [find(primaryNow, SALE), find(backupNow, SALE)];
  const blocked = [find(primaryNow, clone.device_id), find(backupNow, clone.device_id)].map((row) => row?.status ?? 'missing');
  const statusText = (status: string) => t(`demo:licenseStatus.${status as 'active' | 'blocked' | 'pending' | 'missing'}`);
  const toPrimary = primaryWrites.requests;
  const identical = JSON.stringify(after.devices) === JSON.stringify(before.devices);
  const sameSale = saleHere !== undefined && saleThere !== undefined && sameLicenseContent(saleHere, saleThere);
  const decisionText = (decision: string) => t(decision === 'allow' ? 'demo:decision.allow' : 'demo:decision.deny');
  return [
    {
      what: t('demo:check.outage'),
      ok: outage.exitCode === 3 && outageWrites === 0,
      detail: t('demo:check.outage.detail', { exit: describeExit(outage), writes: writes(outageWrites) }),
    },
    {
      what: t('demo:check.restarted'),
      ok: identical && after.users.length === before.users.length,
      detail: t('demo:check.restarted.detail', {
        licenses: licenses(after.devices.length),
        resellers: resellerCount(after.users.length),
        licensesBefore: before.devices.length,
        resellersBefore: before.users.length,
        identical: yesNo(identical),
      }),
    },
    {
      what: t('demo:check.roundTripExit'),
      ok: back.exitCode === 0,
      detail: t('demo:check.exitZero.detail', { exit: describeExit(back) }),
    },
    {
      what: t('demo:check.saleAndBlock'),
      ok: countWrites(toPrimary) === 2 && toPrimary['POST /admin/devices/create'] === 1 && toPrimary['POST /admin/devices/:device_id/deactivate'] === 1,
      detail: t('demo:check.saleAndBlock.detail', {
        writes: writes(countWrites(toPrimary)),
        created: toPrimary['POST /admin/devices/create'] ?? 0,
        blocked: toPrimary['POST /admin/devices/:device_id/deactivate'] ?? 0,
        backupWrites: writes(countWrites(backupWrites.requests)),
      }),
    },
    {
      what: t('demo:check.saleOnBoth'),
      ok: sameSale && saleHere.created_by === reseller && licenseDecision(saleHere, today) === 'allow',
      detail: t('demo:check.saleOnBoth.detail', {
        state: saleHere === undefined ? statusText('missing') : t('demo:check.saleOnBoth.state', { owner: saleHere.created_by, decision: decisionText(licenseDecision(saleHere, today)) }),
        same: yesNo(sameSale),
      }),
    },
    {
      what: t('demo:check.blockOnBoth'),
      ok: blocked.every((status) => status === 'blocked'),
      detail: t('demo:check.blockOnBoth.detail', { license: clone.device_id, primary: statusText(blocked[0] ?? 'missing'), backup: statusText(blocked[1] ?? 'missing') }),
    },
    sameAnswers(primaryNow, backupNow, today),
    {
      what: t('demo:check.nextPlansNothing'),
      ok: next.exitCode === 0 && nextOperations === 0 && nextWrites === 0,
      detail: t('demo:check.nextPlansNothing.detail', nextDetail),
    },
  ];
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!lab.interrupted) console.error(`\n${t('demo:failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) })}`);
  exitCode = 1;
} finally {
  await lab.cleanUp();
}
process.exit(lab.interrupted ? 130 : exitCode);
