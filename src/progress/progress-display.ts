import type { Writable } from 'node:stream';
import type { LogSink } from '../log/log-sink.js';
import { PeriodicProgress } from './periodic-progress.js';
import { noProgress, type ProgressListener } from './progress-listener.js';
import { TerminalProgress, type TerminalStream } from './terminal-progress.js';

/** `live`: a line redrawn on the terminal; `log`: a log line every interval; `off`: nothing. */
export type ProgressMode = 'live' | 'log' | 'off';

/** The live line on a terminal; log lines elsewhere, and where --quiet keeps stderr for errors; nothing with --no-progress. */
export function progressModeOf(options: { readonly progress: boolean; readonly quiet: boolean; readonly terminal: boolean }): ProgressMode {
  if (!options.progress) return 'off';
  return options.terminal && !options.quiet ? 'live' : 'log';
}

/** How often the live line is redrawn. */
export const REDRAW_MS = 200;
/** How often a progress line is logged when there is no live line. */
export const LOG_EVERY_MS = 10_000;

export interface ProgressDisplay {
  readonly listener: ProgressListener;
  /** The stream log lines must be written to (on a terminal, it keeps them clear of the live line). */
  readonly logStream: Writable;
  /** Where the `log` mode writes its lines (the run's logger, created with `logStream`). */
  logTo(log: LogSink): void;
  /** Takes the live line off before something else is printed on the terminal (the report). */
  clear(): void;
  /** Stops the timers and leaves the terminal clean; safe to call more than once. */
  stop(): void;
}

export interface ProgressDisplayOptions {
  readonly mode: ProgressMode;
  readonly stderr: Writable & TerminalStream;
  readonly colour: boolean;
  /** `log` mode's interval; LOG_EVERY_MS by default. */
  readonly logEveryMs?: number;
  readonly now?: () => number;
}

export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const { stderr } = options;
  if (options.mode === 'off') return { listener: noProgress, logStream: stderr, logTo() {}, clear() {}, stop() {} };
  if (options.mode === 'log') {
    const periodic = new PeriodicProgress(options.now);
    const timer = setInterval(() => periodic.tick(), options.logEveryMs ?? LOG_EVERY_MS).unref();
    return { listener: periodic.board, logStream: stderr, logTo: (log) => periodic.logTo(log), clear() {}, stop: () => clearInterval(timer) };
  }
  const terminal = new TerminalProgress(stderr, { colour: options.colour, ...(options.now ? { now: options.now } : {}) });
  const timer = setInterval(() => terminal.redraw(), REDRAW_MS).unref();
  // A second SIGINT exits at once: the live line must not stay behind on the screen.
  const onExit = () => terminal.clear();
  process.once('exit', onExit);
  return {
    listener: terminal.board,
    logStream: terminal.logStream,
    logTo() {},
    clear: () => terminal.clear(),
    stop: () => {
      clearInterval(timer);
      process.off('exit', onExit);
      terminal.stop();
    },
  };
}

/**
 * Internal, for the end-to-end tests: the interval of the progress log lines
 * in milliseconds (10 s otherwise), so that a short run can show some. Not a
 * SYNC_DBS_ name: those are settings, and an unknown one is refused.
 */
const LOG_EVERY_ENV = '_SYNC_DBS_PROGRESS_LOG_MS';

/** The display an invocation asks for: a live line when stderr is a terminal, else log lines; none with --no-progress. */
export function progressDisplayFor(options: {
  readonly stderr: Writable & TerminalStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False with --no-progress. */
  readonly progress: boolean;
  readonly quiet: boolean;
}): ProgressDisplay {
  const logEvery = Number(options.env[LOG_EVERY_ENV]);
  return createProgressDisplay({
    mode: progressModeOf({ progress: options.progress, quiet: options.quiet, terminal: options.stderr.isTTY === true }),
    stderr: options.stderr,
    // https://no-color.org: present and not empty.
    colour: (options.env.NO_COLOR ?? '') === '',
    ...(Number.isInteger(logEvery) && logEvery > 0 ? { logEveryMs: logEvery } : {}),
  });
}
