import { describe, expect, it } from 'vitest';
import { ProgressBoard } from '../../src/progress/progress-board.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ProgressBoard', () => {
  it('has no rate nor time left before the first write settles', () => {
    const time = clock();
    const board = new ProgressBoard(time.now);
    board.writing('backup', { done: 0, total: 5_000, failed: 0 });
    time.advance(2_000);
    expect(board.lines()).toEqual([{ kind: 'writing', server: 'backup', counts: { done: 0, total: 5_000, failed: 0 }, perSecond: null, leftMs: null }]);
  });

  it('takes the rate from the settled writes since the server\'s writes began, and the time left from that rate', () => {
    const time = clock();
    const board = new ProgressBoard(time.now);
    board.writing('backup', { done: 0, total: 5_000, failed: 0 });
    time.advance(4_000);
    board.writing('backup', { done: 400, total: 5_000, failed: 3 });
    time.advance(1_000);
    expect(board.lines()).toEqual([{ kind: 'writing', server: 'backup', counts: { done: 400, total: 5_000, failed: 3 }, perSecond: 80, leftMs: 57_500 }]);
  });

  it('starts a new clock for a new plan on the same server', () => {
    const time = clock();
    const board = new ProgressBoard(time.now);
    board.writing('primary', { done: 0, total: 10, failed: 0 });
    time.advance(10_000);
    board.writing('primary', { done: 10, total: 10, failed: 0 });
    board.writing('primary', { done: 0, total: 100, failed: 0 });
    time.advance(1_000);
    board.writing('primary', { done: 50, total: 100, failed: 0 });
    expect(board.lines()[0]).toMatchObject({ perSecond: 50, leftMs: 1_000 });
  });

  it('keeps counting the wake-up wait between two reports, never beyond its limit', () => {
    const time = clock();
    const board = new ProgressBoard(time.now);
    board.waking('render', 2_000, 120_000);
    time.advance(1_500);
    expect(board.lines()).toEqual([{ kind: 'waking', server: 'render', elapsedMs: 3_500, limitMs: 120_000 }]);
    time.advance(200_000);
    expect(board.lines()[0]).toMatchObject({ elapsedMs: 120_000 });
  });

  it('keeps one line per server, in the order they first spoke, until each is finished', () => {
    const board = new ProgressBoard(clock().now);
    board.waking('backup-2', 0, 5_000);
    board.writing('backup', { done: 0, total: 3, failed: 0 });
    board.writing('backup-2', { done: 0, total: 7, failed: 0 });
    expect(board.lines().map((line) => `${line.server} ${line.kind}`)).toEqual(['backup-2 writing', 'backup writing']);
    board.finished('backup-2');
    expect(board.lines().map((line) => line.server)).toEqual(['backup']);
    board.finished('backup');
    expect(board.empty).toBe(true);
  });
});
