import type { LogSink } from '../log/log-sink.js';
import { ProgressBoard } from './progress-board.js';
import { progressText } from './progress-text.js';

/** Where stderr is no terminal: each tick logs one line per server in progress (the CLI ticks every 10 s). */
export class PeriodicProgress {
  readonly board: ProgressBoard;
  private log: LogSink | null = null;

  constructor(now?: () => number) {
    this.board = new ProgressBoard(now);
  }

  logTo(log: LogSink): void {
    this.log = log;
  }

  tick(): void {
    for (const line of this.board.lines()) this.log?.info(progressText(line));
  }
}
