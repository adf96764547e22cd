import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressDisplay, LOG_EVERY_MS, progressDisplayFor, progressModeOf, REDRAW_MS } from '../../src/progress/progress-display.js';
import { recordingLog } from '../notify/support/recording-log.js';
import { Screen } from './support/screen.js';

describe('progressModeOf', () => {
  it('draws a live line on a terminal, logs elsewhere and under --quiet, and shows nothing with --no-progress', () => {
    expect(progressModeOf({ progress: true, quiet: false, terminal: true })).toBe('live');
    expect(progressModeOf({ progress: true, quiet: false, terminal: false })).toBe('log');
    expect(progressModeOf({ progress: true, quiet: true, terminal: true })).toBe('log');
    expect(progressModeOf({ progress: false, quiet: false, terminal: true })).toBe('off');
    expect(progressModeOf({ progress: false, quiet: false, terminal: false })).toBe('off');
  });
});

describe('the progress log lines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('come every 10 s, one per server in progress, and stop with the display', () => {
    const display = createProgressDisplay({ mode: 'log', stderr: new PassThrough(), colour: true, now: () => Date.now() });
    const log = recordingLog();
    display.logTo(log);
    display.listener.writing('backup', { done: 0, total: 50, failed: 0 });
    display.listener.waking('render', 0, 120_000);

    vi.advanceTimersByTime(LOG_EVERY_MS - 1);
    expect(log.lines).toEqual([]);
    display.listener.writing('backup', { done: 20, total: 50, failed: 0 });
    vi.advanceTimersByTime(1);
    expect(log.lines).toEqual(['info backup: 20 of 50 operations, 2/s, about 15 s left', 'info waking render: 10 s of 120']);

    display.listener.finished('render');
    vi.advanceTimersByTime(LOG_EVERY_MS);
    expect(log.lines.slice(2)).toEqual(['info backup: 20 of 50 operations, 1/s, about 30 s left']);

    display.stop();
    vi.advanceTimersByTime(LOG_EVERY_MS * 3);
    expect(log.lines).toHaveLength(3);
  });

  it('are none while nothing is in progress', () => {
    const display = createProgressDisplay({ mode: 'log', stderr: new PassThrough(), colour: false });
    const log = recordingLog();
    display.logTo(log);
    vi.advanceTimersByTime(LOG_EVERY_MS * 5);
    expect(log.lines).toEqual([]);
    display.stop();
  });

  it('are none with --no-progress, and the log goes straight to stderr', () => {
    const stderr = new PassThrough();
    const display = progressDisplayFor({ stderr, env: {}, progress: false, quiet: false });
    const log = recordingLog();
    display.logTo(log);
    display.listener.writing('backup', { done: 0, total: 50, failed: 0 });
    vi.advanceTimersByTime(LOG_EVERY_MS * 2);
    expect(log.lines).toEqual([]);
    expect(display.logStream).toBe(stderr);
    display.stop();
  });

  it('come at the internal interval the end-to-end tests set', () => {
    const display = progressDisplayFor({ stderr: new PassThrough(), env: { _SYNC_DBS_PROGRESS_LOG_MS: '300' }, progress: true, quiet: false });
    const log = recordingLog();
    display.logTo(log);
    display.listener.writing('backup', { done: 0, total: 50, failed: 0 });
    vi.advanceTimersByTime(300);
    expect(log.lines).toEqual(['info backup: 0 of 50 operations']);
    display.stop();
  });
});

describe('the live progress display', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('redraws on its own while a server is in progress, and leaves the terminal clean when stopped or when the process exits', () => {
    const screen = new Screen();
    const exitListeners = process.listenerCount('exit');
    const display = createProgressDisplay({ mode: 'live', stderr: screen as unknown as Screen & PassThrough, colour: false, now: () => Date.now() });
    expect(process.listenerCount('exit')).toBe(exitListeners + 1);
    display.listener.waking('render', 0, 120_000);
    vi.advanceTimersByTime(REDRAW_MS);
    expect(screen.shown()).toEqual(['waking render: 0 s of 120']);
    vi.advanceTimersByTime(5_000);
    expect(screen.shown()).toEqual(['waking render: 5 s of 120']);

    process.listeners('exit').at(-1)?.(0);
    expect(screen.shown()).toEqual([]);

    vi.advanceTimersByTime(REDRAW_MS);
    expect(screen.shown()).toEqual(['waking render: 5 s of 120']);
    display.stop();
    expect(screen.shown()).toEqual([]);
    expect(process.listenerCount('exit')).toBe(exitListeners);
    vi.advanceTimersByTime(REDRAW_MS * 3);
    expect(screen.shown()).toEqual([]);
  });
});
