// npm run bench — how fast sync-dbs is, measured end to end: the built CLI as
// its own process against two emulators, each in its own process.
//
//   (a) initial sync of N licenses (default 10,000) and N/10 users into a fresh
//       backup, 50 ms injected latency per request on both servers, --concurrency 1
//   (b) the same at a fixed --concurrency 8 (the default before the limit adapted)
//   (c) a no-op run right after (b), latency removed, the limit adaptive (the default)
//   (d) a no-op run with 10 × N licenses (default 100,000) on both servers
//   (e) (a)'s initial sync into a backup that serves 300 requests/s (the rest
//       queue), the limit adaptive, then at a fixed --concurrency 8
//   (f) the same into a slow backup, 20 requests/s, with N/10 licenses (at
//       20 requests/s N would take over 12 minutes a run)
//   (g) (a)'s initial sync, no capacity limit, adaptive then fixed 8
//
// HTTP requests and writes come from the emulators' /_emulator/stats (reset
// before each scenario; writes are POST/DELETE other than the login), wall time
// is measured around the CLI process, and its peak RSS is recorded by
// scripts/support/rss-probe.mjs. Then the acceptance checks, PASS or FAIL.
//
//   npm run bench -- [--only a,b,c,d,e,f,g] [--licenses N] [--cli PATH/TO/cli/main.js]
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

const SCENARIOS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'] as const;
type ScenarioId = (typeof SCENARIOS)[number];

const LATENCY_MS = 50;
/** The fixed concurrency of (b), and the one (e), (f) and (g) compare the adaptive limit with. */
const DEFAULT_CONCURRENCY = 8;
/** The backup's capacity in (e) and (f), in requests a second. */
const FAST_CAPACITY = 300;
const SLOW_CAPACITY = 20;

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
  console.error('usage: npm run bench -- [--only a,b,c,d,e,f,g] [--licenses N (>= 10, default 10000; (d) uses 10 x N, (f) N / 10)] [--cli PATH/TO/cli/main.js]');
  process.exit(2);
}
const BIG_LICENSES = LICENSES * 10;
const SLOW_LICENSES = Math.max(10, Math.round(LICENSES / 10));

/** How the limit was set: the CLI's default (adaptive) or pinned. */
type Variant = 'adaptive' | `fixed ${number}` | null;

/** The backup's writes as the CLI's JSON report gives them. */
interface WriteFigures {
  readonly requests: number;
  readonly concurrency: { readonly median: number; readonly max: number };
  readonly perSecond: number;
  readonly maxLatencyMs: number;
}

interface ScenarioResult {
  readonly id: ScenarioId;
  readonly variant: Variant;
  readonly title: string;
  readonly requestsByRoute: Record<string, number>;
  readonly requests: number;
  readonly writes: number;
  readonly wallSeconds: number;
  readonly rssMb: number;
  readonly planned: number;
  /** The backup's writes (null when none). */
  readonly backupWrites: WriteFigures | null;
  /** Requests the CLI retried (timeouts, 5xx, resets), from its log. */
  readonly retried: number;
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
  readonly servers?: readonly { readonly name: string; readonly writes?: WriteFigures | null }[];
}

/** One CLI run, measured; fails loudly unless the JSON report says in-sync with exit code 0. */
async function measure(id: ScenarioId, title: string, pair: Pair, stateDir: string, extraArgs: string[], variant: Variant = null): Promise<ScenarioResult> {
  await Promise.all([pair.primary.control.resetStats(), pair.backup.control.resetStats()]);
  const rssFile = join(workDir, `rss-${id}${variant === null ? '' : `-${variant.replace(' ', '-')}`}.txt`);
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
    variant,
    title,
    requestsByRoute,
    requests: sum(requestsByRoute, () => true),
    writes: sum(requestsByRoute, isWrite),
    wallSeconds: run.wallSeconds,
    rssMb: rssKib / 1024,
    planned: report.plan?.operations?.length ?? 0,
    backupWrites: report.servers?.find((server) => server.name === 'backup')?.writes ?? null,
    retried: run.stderr.split('\n').filter((line) => /; retrying\)$/.test(line)).length,
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
      ['b', DEFAULT_CONCURRENCY],
    ] as const) {
      if (!ONLY.has(id)) continue;
      if (synced !== null) await stopEmulator(synced.backup);
      const backup = await startEmulator(['--no-email']);
      await Promise.all([primary.control.setFaults(latency), backup.control.setFaults(latency)]);
      const stateDir = join(workDir, `state-${id}`);
      const title = `initial sync, ${scale}, ${LATENCY_MS} ms latency, concurrency ${concurrency}`;
      results.push(await measure(id, title, { primary, backup }, stateDir, ['--concurrency', String(concurrency)], `fixed ${concurrency}`));
      synced = { backup, stateDir };
    }

    if (ONLY.has('c')) {
      await primary.control.setFaults({});
      // Right after (b) when it ran; otherwise a backup holding the same data.
      const after = synced ?? { backup: await startEmulator(['--data', file, '--no-email']), stateDir: join(workDir, 'state-c') };
      await after.backup.control.setFaults({});
      const title = `no-op, ${scale}, no latency${synced === null ? '' : `, right after (${ONLY.has('b') ? 'b' : 'a'})`}, adaptive`;
      results.push(await measure('c', title, { primary, backup: after.backup }, after.stateDir, [], 'adaptive'));
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

  const adaptiveScenarios = [
    { id: 'e', capacity: FAST_CAPACITY, licenses: LICENSES },
    { id: 'f', capacity: SLOW_CAPACITY, licenses: SLOW_LICENSES },
    { id: 'g', capacity: null, licenses: LICENSES },
  ] as const;
  for (const { id, capacity, licenses } of adaptiveScenarios) {
    if (!ONLY.has(id)) continue;
    const scenarioUsers = defaultUserCount(licenses);
    const file = join(workDir, `primary-${licenses}.json`);
    await writeDatasetFile(file, generateDataset({ seed: 1, licenses, users: scenarioUsers, today }));
    const primary = await startEmulator(['--data', file, '--no-email']);
    await primary.control.setFaults(latency);
    const scale = `${licenses.toLocaleString('en')} licenses + ${scenarioUsers.toLocaleString('en')} users`;
    const server = capacity === null ? 'no capacity limit' : `backup serving ${capacity} requests/s`;
    for (const variant of ['adaptive', `fixed ${DEFAULT_CONCURRENCY}`] as const) {
      const backup = await startEmulator(['--no-email']);
      await backup.control.setFaults({ ...latency, ...(capacity === null ? {} : { capacity: { requestsPerSecond: capacity } }) });
      const title = `initial sync, ${scale}, ${LATENCY_MS} ms latency, ${server}, ${variant}`;
      const args = variant === 'adaptive' ? [] : ['--concurrency', String(DEFAULT_CONCURRENCY)];
      results.push(await measure(id, title, { primary, backup }, join(workDir, `state-${id}-${variant.replace(' ', '-')}`), args, variant));
      await stopEmulator(backup);
    }
    await stopEmulator(primary);
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

const rateOf = (result: ScenarioResult) => result.writes / result.wallSeconds;

/** The checks of issue 18: the adaptive limit against each server's capacity and against a fixed 8. */
function adaptiveChecks(results: readonly ScenarioResult[]): Check[] {
  const get = (id: ScenarioId, variant: Variant) => results.find((result) => result.id === id && result.variant === variant);
  const out: Check[] = [];
  const e = get('e', 'adaptive');
  out.push(
    e
      ? { what: `(e) adaptive writes/s vs capacity ${FAST_CAPACITY}/s`, figure: `${rateOf(e).toFixed(1)}/s = ${((rateOf(e) / FAST_CAPACITY) * 100).toFixed(0)}%`, target: '>= 85%', ok: rateOf(e) >= 0.85 * FAST_CAPACITY }
      : { what: '(e) adaptive writes/s vs capacity', figure: 'not run', target: '>= 85%', ok: null },
  );
  const f = get('f', 'adaptive');
  if (f) {
    const latency = f.backupWrites?.maxLatencyMs ?? Number.NaN;
    out.push({ what: `(f) adaptive writes/s vs capacity ${SLOW_CAPACITY}/s`, figure: `${rateOf(f).toFixed(1)}/s = ${((rateOf(f) / SLOW_CAPACITY) * 100).toFixed(0)}%`, target: '>= 80%', ok: rateOf(f) >= 0.8 * SLOW_CAPACITY });
    out.push({ what: '(f) adaptive: requests retried (timeouts, 5xx, resets), slowest write', figure: `${f.retried}, ${(latency / 1000).toFixed(2)} s`, target: '0, <= 2 s', ok: f.retried === 0 && latency <= 2_000 });
  } else out.push({ what: '(f) adaptive writes/s vs capacity', figure: 'not run', target: '>= 80%, no retry, <= 2 s', ok: null });
  const [g, g8] = [get('g', 'adaptive'), get('g', `fixed ${DEFAULT_CONCURRENCY}`)];
  out.push(
    g && g8
      ? { what: `(g) adaptive vs fixed ${DEFAULT_CONCURRENCY}, no capacity limit`, figure: `${(rateOf(g) / rateOf(g8)).toFixed(2)}x`, target: '>= 3x', ok: rateOf(g) >= 3 * rateOf(g8) }
      : { what: '(g) adaptive vs fixed 8', figure: 'not run', target: '>= 3x', ok: null },
  );
  return out;
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
  out.push(...adaptiveChecks(results));
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
  const compared = (['e', 'f', 'g'] as const).flatMap((id) => {
    const adaptive = results.find((result) => result.id === id && result.variant === 'adaptive');
    const fixed = results.find((result) => result.id === id && result.variant === `fixed ${DEFAULT_CONCURRENCY}`);
    return adaptive && fixed ? [{ id, adaptive, fixed }] : [];
  });
  if (compared.length > 0) {
    console.log('');
    console.log(`| scenario | writes | adaptive writes/s | fixed ${DEFAULT_CONCURRENCY} writes/s | adaptive ÷ fixed | adaptive concurrency median / max | slowest write adaptive / fixed s | retried adaptive / fixed |`);
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { id, adaptive, fixed } of compared) {
      const slowest = (result: ScenarioResult) => ((result.backupWrites?.maxLatencyMs ?? Number.NaN) / 1000).toFixed(2);
      console.log(
        `| (${id}) ${adaptive.title.replace(/, adaptive$/, '')} | ${adaptive.writes} | ${rateOf(adaptive).toFixed(1)} | ${rateOf(fixed).toFixed(1)} | ${(rateOf(adaptive) / rateOf(fixed)).toFixed(2)}x | ` +
          `${adaptive.backupWrites?.concurrency.median ?? '-'} / ${adaptive.backupWrites?.concurrency.max ?? '-'} | ${slowest(adaptive)} / ${slowest(fixed)} | ${adaptive.retried} / ${fixed.retried} |`,
      );
    }
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
