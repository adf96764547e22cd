import { describe, expect, it } from 'vitest';
import { TerminalProgress } from '../../src/progress/terminal-progress.js';
import { Screen } from './support/screen.js';

const ESC = '\u001b';

function terminal(options: { colour?: boolean; screen?: Screen } = {}) {
  const screen = options.screen ?? new Screen();
  let now = 0;
  const progress = new TerminalProgress(screen, { colour: options.colour ?? false, now: () => now });
  return { screen, progress, board: progress.board, advance: (ms: number) => (now += ms) };
}

const writeLog = (progress: TerminalProgress, line: string) =>
  new Promise<void>((resolve, reject) => progress.logStream.write(line, (error) => (error ? reject(error) : resolve())));

describe('the live progress lines', () => {
  it('draw one line per server and redraw it in place', () => {
    const { screen, progress, board, advance } = terminal();
    board.writing('backup', { done: 0, total: 5_000, failed: 0 });
    board.waking('backup-2', 3_000, 120_000);
    progress.redraw();
    expect(screen.shown()).toEqual(['backup: 0 of 5,000 operations', 'waking backup-2: 3 s of 120']);

    board.writing('backup', { done: 100, total: 5_000, failed: 0 });
    advance(1_000);
    progress.redraw();
    expect(screen.shown()).toEqual(['backup: 100 of 5,000 operations, 100/s, about 49 s left', 'waking backup-2: 4 s of 120']);
  });

  it('keep log lines above them, whole, and come back below the last one', async () => {
    const { screen, progress, board } = terminal();
    board.writing('backup', { done: 10, total: 20, failed: 0 });
    progress.redraw();

    await writeLog(progress, '2026-12-04T10:00:00.000Z info  backup: plan: 20 operations\n');
    await writeLog(progress, '2026-12-04T10:00:01.000Z error backup POST /admin/devices/create [X1]: HTTP 500\n');

    expect(screen.shown()).toEqual([
      '2026-12-04T10:00:00.000Z info  backup: plan: 20 operations',
      '2026-12-04T10:00:01.000Z error backup POST /admin/devices/create [X1]: HTTP 500',
      'backup: 10 of 20 operations',
    ]);
  });

  it('let log lines through untouched while nothing is in progress', async () => {
    const { screen, progress } = terminal();
    await writeLog(progress, 'a log line\n');
    expect(screen.raw).toBe('a log line\n');
  });

  it('are taken off when cleared, and when the last server has finished', () => {
    const { screen, progress, board } = terminal();
    board.writing('backup', { done: 1, total: 2, failed: 0 });
    progress.redraw();
    progress.clear();
    expect(screen.shown()).toEqual([]);

    progress.redraw();
    board.finished('backup');
    progress.redraw();
    expect(screen.shown()).toEqual([]);
  });

  it('stay off once stopped, log lines still passing', async () => {
    const { screen, progress, board } = terminal();
    board.writing('backup', { done: 1, total: 2, failed: 0 });
    progress.redraw();
    progress.stop();
    await writeLog(progress, 'the last log line\n');
    progress.redraw();
    expect(screen.shown()).toEqual(['the last log line']);
  });

  it('colour the failures and the wake-up wait, and write no colour codes without colour', () => {
    const coloured = terminal({ colour: true });
    coloured.board.writing('backup', { done: 2, total: 9, failed: 1 });
    coloured.board.waking('render', 0, 120_000);
    coloured.progress.redraw();
    expect(coloured.screen.raw).toContain('\u001b[31m1 failed\u001b[39m');
    expect(coloured.screen.raw).toContain('\u001b[33mwaking render: 0 s of 120\u001b[39m');

    const plain = terminal({ colour: false });
    plain.board.writing('backup', { done: 2, total: 9, failed: 1 });
    plain.board.waking('render', 0, 120_000);
    plain.progress.redraw();
    expect(plain.screen.raw).not.toMatch(new RegExp(`${ESC}\\[\\d+m`));
  });

  it('fit a terminal that reports no size (a pseudo-terminal may say 0 x 0)', () => {
    const screen = Object.assign(new Screen(), { columns: 0, rows: 0 }) as unknown as Screen;
    const { progress, board } = terminal({ screen });
    board.writing('backup', { done: 0, total: 3, failed: 0 });
    progress.redraw();
    expect(screen.shown()).toEqual(['backup: 0 of 3 operations']);
  });
});
