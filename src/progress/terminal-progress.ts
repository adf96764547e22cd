import { Writable } from 'node:stream';
import { styleText } from 'node:util';
import { createLogUpdate } from 'log-update';
import { ProgressBoard } from './progress-board.js';
import { PLAIN, progressText, type LineStyle } from './progress-text.js';

/** What the live line needs of stderr (a TTY WriteStream in the CLI). */
export interface TerminalStream {
  write(text: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

const COLOURED: LineStyle = {
  failed: (text) => styleText('red', text, { validateStream: false }),
  waking: (text) => styleText('yellow', text, { validateStream: false }),
};

/**
 * The live progress lines at the bottom of a terminal, one per server, drawn
 * by log-update. Log lines pass through `logStream`, which takes the live
 * lines off before each one and draws them again below it, so that the two
 * never mix on the screen.
 */
export class TerminalProgress {
  readonly board: ProgressBoard;
  readonly logStream: Writable;
  private readonly update: ReturnType<typeof createLogUpdate>;
  private readonly style: LineStyle;
  private shown = false;
  private stopped = false;

  constructor(
    private readonly terminal: TerminalStream,
    options: { readonly colour: boolean; readonly now?: () => number },
  ) {
    this.board = new ProgressBoard(options.now);
    this.style = options.colour ? COLOURED : PLAIN;
    // A pseudo-terminal may report a size of 0 x 0, which log-update would take literally (and draw nothing).
    const sized = {
      isTTY: true,
      get columns() {
        return terminal.columns || 80;
      },
      get rows() {
        return terminal.rows || 24;
      },
      write: (text: string) => terminal.write(text),
    };
    // The cursor stays visible: nothing is left to restore if the process is killed.
    this.update = createLogUpdate(sized as unknown as NodeJS.WritableStream, { showCursor: true });
    this.logStream = new Writable({
      write: (chunk: Buffer | string, _encoding, callback) => {
        this.clear();
        terminal.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        this.redraw();
        callback();
      },
    });
  }

  /** Draws the current lines (nothing when no server has progress to show). */
  redraw(): void {
    if (this.stopped || this.board.empty) {
      this.clear();
      return;
    }
    this.update(this.board.lines().map((line) => progressText(line, this.style)).join('\n'));
    this.shown = true;
  }

  /** Takes the live lines off for good: log lines written later (the logger's last ones) pass alone. */
  stop(): void {
    this.clear();
    this.stopped = true;
  }

  /** Takes the live lines off the screen (the next redraw brings them back). */
  clear(): void {
    if (!this.shown) return;
    this.update.clear();
    this.shown = false;
  }
}
