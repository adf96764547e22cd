import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { JsonReport } from '../../../src/report/json-report.js';
import { CLI_ENTRY } from '../../support/cli-process.js';
import type { SyncPair } from '../../support/sync-pair.js';

// The built CLI run inside scripts/support/rss-probe.mjs (same process, same
// arguments), which writes the process's peak resident set size at exit.

const RSS_PROBE = fileURLToPath(new URL('../../../scripts/support/rss-probe.mjs', import.meta.url));

export interface MeasuredRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: JsonReport;
  /** Peak RSS of the CLI process, in MiB. */
  readonly peakRssMiB: number;
  /** From spawn to exit. */
  readonly wallSeconds: number;
}

/** Runs `sync-dbs --json <args>` against the pair and measures its peak memory and wall time. */
export async function measuredRun(p: SyncPair, args: readonly string[], timeoutMs = 240_000): Promise<MeasuredRun> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-rss-'));
  const rssFile = path.join(scratch, 'peak-rss-kib');
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [RSS_PROBE, '--json', ...args], {
      cwd: p.stateDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...p.env(), BENCH_RSS_FILE: rssFile, BENCH_CLI_ENTRY: CLI_ENTRY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`sync-dbs ${args.join(' ')} did not finish within ${timeoutMs} ms\nstderr:\n${stderr.slice(-2000)}`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    const wallSeconds = (performance.now() - started) / 1000;
    let report: JsonReport;
    try {
      report = JSON.parse(stdout) as JsonReport;
    } catch {
      throw new Error(`stdout is not JSON (exit ${exitCode})\nstderr:\n${stderr.slice(-2000)}`);
    }
    const peakRssMiB = Number((await readFile(rssFile, 'utf8')).trim()) / 1024;
    return { exitCode, stdout, stderr, report, peakRssMiB, wallSeconds };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
