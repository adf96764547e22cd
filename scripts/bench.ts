// npm run bench — how fast sync-dbs is, measured end to end: the built CLI as
// its own process against two emulators, each in its own process.
//
//   (a) initial sync of N licenses (default 10,000) and N/10 users into a fresh
//       backup, 50 ms injected latency per request on both servers, --concurrency 1
//   (b) the same at the default concurrency (8)
//   (c) a no-op run right after (b), latency removed
//   (d) a no-op run with 10 × N licenses (default 100,000) on both servers
//
// HTTP requests and writes come from the emulators' /_emulator/stats (reset
// before each scenario; writes are POST/DELETE other than the login), wall time
// is measured around the CLI process, and its peak RSS is recorded by
// scripts/support/rss-probe.mjs. Then the acceptance checks, PASS or FAIL.
//
//   npm run bench -- [--only a,b,c,d] [--licenses N] [--cli PATH/TO/cli/main.js]
//
// --cli runs another build of the CLI, e.g. a copy of dist/ (with package.json
// beside it) taken so that a rebuild during a long run cannot change what is measured.
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { utcCalendarDate } from '../src/domain/calendar-date.js';
import { writeDatasetFile } from '../src/emulator/dataset/dataset-file.js';
import { defaultUserCount, generateDataset } from '../src/emulator/dataset/generator.js';
import type { EmulatorProcess } from '../src/emulator/emulator-process.js';
import type { EmulatorStatsAnswer } from '../src/emulator/control-client.js';
import { isWriteRoute as isWrite } from '../src/emulator/emulator-stats.js';
import { EmulatorLab } from './support/emulator-lab.js';
import { RSS_FILE_ENV, runSyncCli, syncEnvironment } from './support/sync-cli.js';

const SCENARIOS = ['a', 'b', 'c', 'd'] as const;
type ScenarioId = (typeof SCENARIOS)[number];

const LATENCY_MS = 50;
/** The CLI's default --concurrency, which scenario (b) relies on by not passing the flag. */
const DEFAULT_CONCURRENCY = 8;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: SCENARIOS.join(',') },
    licenses: { type: 'string', default: '10000' },
    cli: { type: 'string' },
  },
});
const CLI = values.cli === undefined ? undefined : resolve(values.cli);
const ONLY = new Set(values.only.split(',').map((part) => part.trim().toLowerCase()));
const LICENSES = Number(values.licenses);
if ([...ONLY].some((id) => !(SCENARIOS as readonly string[]).includes(id)) || !Number.isInteger(LICENSES) || LICENSES < 10) {
  console.error('usage: npm run bench -- [--only a,b,c,d] [--licenses N (>= 10, default 10000; (d) uses 10 x N)] [--cli PATH/TO/cli/main.js]');
  process.exit(2);
}
const BIG_LICENSES = LICENSES * 10;

interface ScenarioResult {
  readonly id: ScenarioId;
  readonly title: string;
  readonly requestsByRoute: Record<string, number>;
  readonly requests: number;
  readonly writes: number;
  readonly wallSeconds: number;
  readonly rssMb: number;
  readonly planned: number;
}

class BenchFailure extends Error {}

const lab = new EmulatorLab('bench');
let workDir = '';

const log = (message: string) => console.error(`bench: ${message}`);

const startEmulator = (args: string[]) => lab.start(args);
const stopEmulator = (emulator: EmulatorProcess) => lab.stop(emulator);

function mergeRoutes(...stats: EmulatorStatsAnswer[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const answer of stats) for (const [route, count] of Object.entries(answer.requests)) merged[route] = (merged[route] ?? 0) + count;
  return merged;
}

const sum = (counts: Record<string, number>, keep: (route: string) => boolean) =>
  Object.entries(counts)
    .filter(([route]) => keep(route))
    .reduce((total, [, count]) => total + count, 0);

interface Pair {
  readonly primary: EmulatorProcess;
  readonly backup: EmulatorProcess;
}

/** The parts of the CLI's --json report the benchmark reads. */
interface JsonReportExcerpt {
  readonly outcome?: string;
  readonly verdict?: string;
  readonly plan?: { readonly operations?: readonly unknown[] } | null;
  readonly failures?: readonly unknown[];
}

/** One CLI run, measured; fails loudly unless the JSON report says in-sync with exit code 0. */
async function measure(id: ScenarioId, title: string, pair: Pair, stateDir: string, extraArgs: string[]): Promise<ScenarioResult> {
  await Promise.all([pair.primary.control.resetStats(), pair.backup.control.resetStats()]);
  const rssFile = join(workDir, `rss-${id}.txt`);
  const env = syncEnvironment({ url: pair.primary.url }, { url: pair.backup.url }, { [RSS_FILE_ENV]: rssFile });
  const args = ['sync', '--json', '--state-dir', stateDir, ...extraArgs];
  log(`(${id}) ${title}: sync-dbs ${args.join(' ')}`);

  // Progress for the long scenarios, from the control endpoint (neither slowed nor counted).
  const started = Date.now();
  const progress = setInterval(() => {
    void pair.backup.control.stats().then(
      (stats) => log(`(${id}) ${Math.round((Date.now() - started) / 1000)} s: ${sum(stats.requests, isWrite)} writes so far`),
      () => undefined,
    );
  }, 30_000);
  let run;
  try {
    run = await runSyncCli(args, { env, cwd: workDir, output: 'capture', probeRss: true, ...(CLI === undefined ? {} : { entry: CLI }) });
  } finally {
    clearInterval(progress);
  }
  if (lab.interrupted) throw new Error('interrupted');
  const [primaryStats, backupStats] = await Promise.all([pair.primary.control.stats(), pair.backup.control.stats()]);

  let report: JsonReportExcerpt | null;
  try {
    report = JSON.parse(run.stdout) as JsonReportExcerpt;
  } catch {
    report = null;
  }
  if (run.exitCode !== 0 || report?.outcome !== 'in-sync') {
    throw new BenchFailure(
      [
        `(${id}) ${title}: expected outcome in-sync and exit code 0, got outcome ${report?.outcome ?? '(no JSON report)'} and ${run.signal ?? `exit code ${run.exitCode}`}`,
        `  command: ${process.execPath} ${CLI ?? 'dist/cli/main.js'} ${args.join(' ')}`,
        report?.verdict ? `  verdict: ${report.verdict}` : '',
        report?.failures?.length ? `  failures: ${JSON.stringify(report.failures.slice(0, 5))}` : '',
        `  stdout (first 2,000 characters):\n${run.stdout.slice(0, 2000)}`,
        `  stderr (last 3,000 characters):\n${run.stderr.slice(-3000)}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  const primaryWrites = sum(primaryStats.requests, isWrite);
  if (primaryWrites > 0) throw new BenchFailure(`(${id}) the primary received ${primaryWrites} writes: ${JSON.stringify(primaryStats.requests)}`);

  const rssKib = Number((await readFile(rssFile, 'utf8').catch(() => 'NaN')).trim());
  const requestsByRoute = mergeRoutes(primaryStats, backupStats);
  const result: ScenarioResult = {
    id,
    title,
    requestsByRoute,
    requests: sum(requestsByRoute, () => true),
    writes: sum(requestsByRoute, isWrite),
    wallSeconds: run.wallSeconds,
    rssMb: rssKib / 1024,
    planned: report.plan?.operations?.length ?? 0,
  };
  log(`(${id}) done in ${result.wallSeconds.toFixed(1)} s: ${result.requests} requests, ${result.writes} writes`);
  return result;
}

async function runScenarios(): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const today = utcCalendarDate(new Date());
  const latency = { latency: { fixedMs: LATENCY_MS, jitterMs: 0 } };
  const users = defaultUserCount(LICENSES);

  if (ONLY.has('a') || ONLY.has('b') || ONLY.has('c')) {
    log(`generating ${LICENSES} licenses and ${users} users`);
    const file = join(workDir, 'primary.json');
    await writeDatasetFile(file, generateDataset({ seed: 1, licenses: LICENSES, users, today }));
    const primary = await startEmulator(['--data', file, '--no-email']);
    const scale = `${LICENSES.toLocaleString('en')} licenses + ${users.toLocaleString('en')} users`;
    let synced: { backup: EmulatorProcess; stateDir: string } | null = null;

    for (const [id, concurrency] of [
      ['a', 1],
      ['b', null],
    ] as const) {
      if (!ONLY.has(id)) continue;
      if (synced !== null) await stopEmulator(synced.backup);
      const backup = await startEmulator(['--no-email']);
      await Promise.all([primary.control.setFaults(latency), backup.control.setFaults(latency)]);
      const stateDir = join(workDir, `state-${id}`);
      const title = `initial sync, ${scale}, ${LATENCY_MS} ms latency, concurrency ${concurrency ?? `${DEFAULT_CONCURRENCY} (default)`}`;
      results.push(await measure(id, title, { primary, backup }, stateDir, concurrency === null ? [] : ['--concurrency', String(concurrency)]));
      synced = { backup, stateDir };
    }

    if (ONLY.has('c')) {
      await primary.control.setFaults({});
      // Right after (b) when it ran; otherwise a backup holding the same data.
      const after = synced ?? { backup: await startEmulator(['--data', file, '--no-email']), stateDir: join(workDir, 'state-c') };
      await after.backup.control.setFaults({});
      const title = `no-op, ${scale}, no latency${synced === null ? '' : `, right after (${ONLY.has('b') ? 'b' : 'a'})`}`;
      results.push(await measure('c', title, { primary, backup: after.backup }, after.stateDir, []));
      synced = after;
    }
    if (synced !== null) await stopEmulator(synced.backup);
    await stopEmulator(primary);
  }

  if (ONLY.has('d')) {
    const bigUsers = defaultUserCount(BIG_LICENSES);
    log(`generating ${BIG_LICENSES} licenses and ${bigUsers} users`);
    const file = join(workDir, 'big.json');
    await writeDatasetFile(file, generateDataset({ seed: 2, licenses: BIG_LICENSES, users: bigUsers, today }));
    const [primary, backup] = await Promise.all([startEmulator(['--data', file, '--no-email']), startEmulator(['--data', file, '--no-email'])]);
    const title = `no-op, ${BIG_LICENSES.toLocaleString('en')} licenses + ${bigUsers.toLocaleString('en')} users on both, no latency, pair base already recorded`;
    // As every hour: the run before recorded the pair's base, which this one loads, checks against and records again.
    const first = await measure('d', title, { primary, backup }, join(workDir, 'state-d'), []);
    log(`(d) first run, recording the base: ${first.wallSeconds.toFixed(1)} s, peak RSS ${first.rssMb.toFixed(0)} MB; measuring the next one`);
    results.push(await measure('d', title, { primary, backup }, join(workDir, 'state-d'), []));
    await Promise.all([stopEmulator(primary), stopEmulator(backup)]);
  }
  return results;
}

interface Check {
  readonly what: string;
  readonly figure: string;
  readonly target: string;
  readonly ok: boolean | null;
}

function noOpChecks(result: ScenarioResult | undefined, id: ScenarioId): Check {
  const what = `(${id}) requests by route`;
  const target = '<= 2 GET /health, <= 2 logins, <= 4 listings, 0 writes';
  if (result === undefined) return { what, figure: 'not run', target, ok: null };
  const routes = result.requestsByRoute;
  const health = routes['GET /health'] ?? 0;
  const logins = routes['POST /admin/login'] ?? 0;
  const listings = (routes['GET /admin/users'] ?? 0) + (routes['GET /admin/devices'] ?? 0);
  const others = sum(routes, (route) => !['GET /health', 'POST /admin/login', 'GET /admin/users', 'GET /admin/devices'].includes(route) && !isWrite(route));
  const figure = `${health} GET /health, ${logins} logins, ${listings} listings, ${result.writes} writes${others > 0 ? `, ${others} other` : ''}`;
  return { what, figure, target, ok: health <= 2 && logins <= 2 && listings <= 4 && result.writes === 0 };
}

function checks(results: readonly ScenarioResult[]): Check[] {
  const get = (id: ScenarioId) => results.find((result) => result.id === id);
  const [a, b, c, d] = SCENARIOS.map(get);
  const idealRate = DEFAULT_CONCURRENCY / (LATENCY_MS / 1000);
  const out: Check[] = [];
  out.push(
    a && b
      ? { what: 'speed-up of (b) over (a)', figure: `${(a.wallSeconds / b.wallSeconds).toFixed(2)}x`, target: '>= 6x', ok: a.wallSeconds / b.wallSeconds >= 6 }
      : { what: 'speed-up of (b) over (a)', figure: 'needs (a) and (b)', target: '>= 6x', ok: null },
  );
  if (b) {
    const share = (b.writes / b.wallSeconds / idealRate) * 100;
    out.push({
      what: `(b) writes/s vs ideal ${DEFAULT_CONCURRENCY} / ${LATENCY_MS / 1000} s = ${idealRate}/s`,
      figure: `${(b.writes / b.wallSeconds).toFixed(1)}/s = ${share.toFixed(0)}%`,
      target: '>= 80%',
      ok: share >= 80,
    });
  } else out.push({ what: '(b) writes/s vs ideal', figure: 'not run', target: '>= 80%', ok: null });
  out.push(noOpChecks(c, 'c'));
  out.push(c ? { what: '(c) wall', figure: `${c.wallSeconds.toFixed(2)} s`, target: '< 3 s', ok: c.wallSeconds < 3 } : { what: '(c) wall', figure: 'not run', target: '< 3 s', ok: null });
  out.push(noOpChecks(d, 'd'));
  out.push(d ? { what: '(d) wall', figure: `${d.wallSeconds.toFixed(2)} s`, target: '< 15 s', ok: d.wallSeconds < 15 } : { what: '(d) wall', figure: 'not run', target: '< 15 s', ok: null });
  out.push(d ? { what: '(d) peak RSS', figure: `${d.rssMb.toFixed(0)} MB`, target: '< 500 MB', ok: d.rssMb < 500 } : { what: '(d) peak RSS', figure: 'not run', target: '< 500 MB', ok: null });
  return out;
}

function printReport(results: readonly ScenarioResult[]): boolean {
  console.log(`sync-dbs benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`CLI: ${CLI ?? 'dist/cli/main.js'}; ${LATENCY_MS} ms injected latency in (a) and (b); emulators and the CLI each in their own process`);
  console.log('');
  console.log('| scenario | HTTP requests | writes | wall s | writes/s | peak RSS MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const result of results) {
    const rate = result.writes === 0 ? '-' : (result.writes / result.wallSeconds).toFixed(1);
    console.log(`| (${result.id}) ${result.title} | ${result.requests} | ${result.writes} | ${result.wallSeconds.toFixed(2)} | ${rate} | ${result.rssMb.toFixed(0)} |`);
  }
  console.log('');
  console.log('Requests by route (both servers):');
  for (const result of results) {
    const routes = Object.entries(result.requestsByRoute)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([route, count]) => `${route} ${count}`)
      .join(', ');
    console.log(`  (${result.id}) ${result.planned} operations planned; ${routes}`);
  }
  console.log('');
  console.log('| check | figure | target | result |');
  console.log('| --- | --- | --- | --- |');
  const list = checks(results);
  for (const check of list) console.log(`| ${check.what} | ${check.figure} | ${check.target} | ${check.ok === null ? 'n/a' : check.ok ? 'PASS' : 'FAIL'} |`);
  return list.every((check) => check.ok !== false);
}

let exitCode = 1;
try {
  workDir = await lab.open();
  const results = await runScenarios();
  exitCode = printReport(results) ? 0 : 1;
} catch (error) {
  if (!lab.interrupted) console.error(`\nbench FAILED: ${error instanceof BenchFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await lab.cleanUp();
}
process.exit(lab.interrupted ? 130 : exitCode);
