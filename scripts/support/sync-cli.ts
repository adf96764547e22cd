// The built sync-dbs CLI as a child process, for the demo and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const CLI_ENTRY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const RSS_PROBE = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
/** The environment variable naming the file rss-probe.mjs writes the peak RSS (KiB) to. */
export const RSS_FILE_ENV = 'BENCH_RSS_FILE';
/** The environment variable telling rss-probe.mjs which CLI entry to run (default: dist/cli/main.js). */
export const CLI_ENTRY_ENV = 'BENCH_CLI_ENTRY';

export interface ServerAccess {
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
}

/**
 * The CLI's configuration for two servers, on top of this process's
 * environment without any SYNC_DBS_* variable of the user's own (they would
 * point it at real servers, or be refused as unknown).
 */
export function syncEnvironment(primary: ServerAccess, backup: ServerAccess, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.toUpperCase().startsWith('SYNC_DBS_')) env[name] = value;
  }
  return {
    ...env,
    SYNC_DBS_PRIMARY_URL: primary.url,
    SYNC_DBS_PRIMARY_USER: primary.user ?? 'admin',
    SYNC_DBS_PRIMARY_PASSWORD: primary.password ?? 'admin123',
    SYNC_DBS_BACKUP_URL: backup.url,
    SYNC_DBS_BACKUP_USER: backup.user ?? 'admin',
    SYNC_DBS_BACKUP_PASSWORD: backup.password ?? 'admin123',
    ...extra,
  };
}

export function assertCliBuilt(entry: string = CLI_ENTRY): void {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
}

export interface CliRunOptions {
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** `inherit`: the report and logs go straight to this terminal; `capture`: both are collected. */
  readonly output: 'inherit' | 'capture';
  /** Run the CLI inside rss-probe.mjs (same process), which records its peak RSS. */
  readonly probeRss?: boolean;
  /** Another build of the CLI (a copy of dist/ taken before a long benchmark); default dist/cli/main.js. */
  readonly entry?: string;
}

export interface CliRunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, in seconds. */
  readonly wallSeconds: number;
}

let running: ChildProcess | null = null;

/** Stops the CLI child that is running, if any (on Ctrl-C). */
export function killRunningCli(): void {
  if (running !== null && running.exitCode === null && running.signalCode === null) running.kill('SIGTERM');
}

export async function runSyncCli(args: readonly string[], options: CliRunOptions): Promise<CliRunResult> {
  const cliEntry = options.entry ?? CLI_ENTRY;
  assertCliBuilt(cliEntry);
  const entry = options.probeRss === true ? [RSS_PROBE] : [cliEntry];
  const started = performance.now();
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: options.cwd,
    env: options.probeRss === true ? { ...options.env, [CLI_ENTRY_ENV]: cliEntry } : options.env,
    stdio: ['ignore', options.output === 'inherit' ? 'inherit' : 'pipe', options.output === 'inherit' ? 'inherit' : 'pipe'],
  });
  running = child;
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    });
    return { exitCode, signal, stdout, stderr, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    running = null;
  }
}
