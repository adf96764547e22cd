import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onTestFinished } from 'vitest';
import type { DashboardStatus, RunStatus, ServerStatus } from '../../../src/dashboard/dashboard-status.js';
import type { CliOptions, CliRun, StartedCli } from '../../support/cli-process.js';
import type { ServerGroup } from '../../support/server-group.js';

// `sync-dbs serve` as a real process against a server group: started with a
// free dashboard port, its URL read from the line it logs on start, its
// `/api/status` polled until a condition holds (deadlines, never fixed
// sleeps: the machine may be loaded). A process the test left running is
// killed when the test ends.

/** No scheduled run during a test: only the run at start and the watchdog's runs. */
export const NO_SCHEDULED_RUN = '0 0 1 1 *';

export interface ServeRun {
  readonly cli: StartedCli;
  /** `http://127.0.0.1:PORT/`, as logged on start (`dashboard: URL`, in Portuguese `painel: URL`). */
  readonly url: string;
  readonly port: number;
  /** `GET /api/status` (with the Bearer token when given). */
  status(token?: string): Promise<DashboardStatus>;
  /** Polls the status until `check` returns a value (not undefined); fails with the last status and the output after `timeoutMs`. */
  waitFor<T>(what: string, check: (status: DashboardStatus) => T | undefined, timeoutMs?: number, token?: string): Promise<T>;
  /** Sends `signal` and waits for the exit; after `timeoutMs` kills it and fails with what it printed. */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<CliRun>;
  /** Waits until stderr matches `pattern`. */
  waitForOutput(what: string, pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** What the process printed so far, for assertion messages. */
  output(): string;
}

/** Starts `sync-dbs serve --port 0 ...args` against the group and waits for its dashboard line. */
export async function startServe(g: ServerGroup, args: readonly string[], options: CliOptions = {}): Promise<ServeRun> {
  const cli = g.start(['serve', '--port', '0', '--every', NO_SCHEDULED_RUN, ...args], { timeoutMs: 120_000, ...options });
  onTestFinished(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  const output = () => {
    const { stdout, stderr } = cli.output();
    return `exit ${String(cli.child.exitCode)}\nstderr:\n${tail(stderr)}\nstdout:\n${tail(stdout)}`;
  };
  const url = await until(`the dashboard line of serve`, () => /(?:dashboard|painel): (http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.output().stderr)?.[1], cli, output, 30_000);
  const port = Number(new URL(url).port);
  const status = async (token?: string): Promise<DashboardStatus> => {
    const res = await fetch(new URL('/api/status', url), token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET /api/status: ${res.status} ${await res.text()}`);
    return (await res.json()) as DashboardStatus;
  };
  let last: DashboardStatus | undefined;
  const waitFor = <T>(what: string, check: (s: DashboardStatus) => T | undefined, timeoutMs = 30_000, token?: string) =>
    until(
      what,
      async () => {
        last = await status(token);
        return check(last);
      },
      cli,
      () => `${output()}\nlast status: ${last === undefined ? 'none' : statusDigest(last)}`,
      timeoutMs,
    );
  const waitForOutput = async (what: string, pattern: RegExp, timeoutMs = 15_000) => {
    await until(what, () => (pattern.test(cli.output().stderr) ? true : undefined), cli, output, timeoutMs);
  };
  const stop = async (signal: NodeJS.Signals, timeoutMs = 20_000): Promise<CliRun> => {
    cli.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cli.child.kill('SIGKILL');
        reject(new Error(`serve did not exit within ${timeoutMs} ms of ${signal}\n${output()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([cli.done, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { cli, url, port, status, waitFor, stop, waitForOutput, output };
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, cli: StartedCli, output: () => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (cli.child.exitCode !== null) throw new Error(`serve exited while waiting for ${what}\n${output()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output()}`);
    await sleep(100);
  }
}

function tail(text: string): string {
  return text.length > 4000 ? `…${text.slice(-4000)}` : text;
}

/** The status in a few lines: mode, running, each server, the newest runs. */
export function statusDigest(status: DashboardStatus): string {
  const servers = status.servers.map(
    (server) =>
      `  ${server.name}: ${server.state} (failures ${server.consecutiveFailures}, successes ${server.consecutiveSuccesses}) records ${JSON.stringify(server.records)} agreement ${
        server.agreement === null ? 'none' : `${server.agreement.agreeing}/${server.agreement.licenses}`
      }`,
  );
  const runs = status.runs.slice(0, 5).map((run) => `  #${run.id} ${String(run.trigger)} exit ${String(run.exitCode)} ${String(run.outcome)}`);
  return [`mode ${status.mode}, running ${JSON.stringify(status.running)}`, ...servers, 'runs:', ...runs].join('\n');
}

export function serverIn(status: DashboardStatus, name: string): ServerStatus {
  const server = status.servers.find((candidate) => candidate.name === name);
  if (server === undefined) throw new Error(`no server ${name} in the status: ${status.servers.map((s) => s.name).join(', ')}`);
  return server;
}

/** The finished runs serve started for `trigger`, oldest first. */
export function finishedRuns(status: DashboardStatus, trigger: RunStatus['trigger']): RunStatus[] {
  return status.runs.filter((run) => run.trigger === trigger && run.finishedAt !== null).reverse();
}

/** Whether something accepts connections on the loopback port. */
export function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
