import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_ENTRY } from './cli-process.js';

// The built CLI on a pseudo-terminal: util-linux `script` runs it with its
// stderr (and stdout, unless redirected to a file) on a terminal of its own,
// and copies everything the terminal showed, escape sequences included.

export interface PtyOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** stdout goes to this file instead of the terminal (stderr stays on it). */
  readonly stdoutFile?: string;
  readonly timeoutMs?: number;
}

export interface PtyRun {
  readonly exitCode: number | null;
  /** What the terminal received, as written (escape sequences, `\r\n` line ends). */
  readonly terminal: string;
}

export interface StartedPty {
  /** What the terminal received so far. */
  terminal(): string;
  /** The pid of the CLI itself (the shell `script` starts is replaced by it). */
  cliPid(): number | null;
  readonly done: Promise<PtyRun>;
}

const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export function startCliOnPty(args: readonly string[], options: PtyOptions = {}): StartedPty {
  const command = [`exec ${quoted(process.execPath)} ${quoted(CLI_ENTRY)}`, ...args.map(quoted)].join(' ') + (options.stdoutFile ? ` > ${quoted(options.stdoutFile)}` : '');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let terminal = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (terminal += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (terminal += chunk));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const done = new Promise<PtyRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sync-dbs ${args.join(' ')} on a terminal did not finish within ${timeoutMs} ms\n${terminal}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, terminal });
    });
  });
  const cliPid = (): number | null => {
    if (child.pid === undefined) return null;
    try {
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return children.length > 0 ? Number(children[0]) : null;
    } catch {
      return null;
    }
  };
  return { terminal: () => terminal, cliPid, done };
}

export function runCliOnPty(args: readonly string[], options: PtyOptions = {}): Promise<PtyRun> {
  return startCliOnPty(args, options).done;
}
