import type Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acquireRunLock, isProcessAlive, readLockHolder, type LockAttempt, type LockClaim, type RunLock } from '../../src/state/run-lock.js';
import { openStateDatabase } from '../../src/state/state-database.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;
let db: Database.Database;
const locks: RunLock[] = [];

beforeEach(async () => {
  temp = await makeTempStateDir();
  db = openStateDatabase(temp.stateDir);
});

afterEach(async () => {
  for (const lock of locks.splice(0)) lock.release();
  vi.useRealTimers();
  db.close();
  await temp.remove();
});

const T0 = new Date('2026-03-01T10:00:00.000Z');
const MIN = 60_000;
const alive = () => true;

function claim(pid: number, hostname = 'host-a', startedAt = T0): LockClaim {
  return { pid, hostname, command: `sync (pid ${pid})`, startedAt };
}

/** The lock of a successful attempt, released after the test. */
function lockOf(attempt: LockAttempt): RunLock {
  if (!attempt.acquired) throw new Error(`expected the lock, but pid ${attempt.holder.pid} holds it`);
  locks.push(attempt.lock);
  return attempt.lock;
}

const heartbeatAt = () => db.prepare<[], string>('SELECT heartbeat_at FROM run_lock').pluck().get();

describe('acquireRunLock', () => {
  it('takes a free lock, and a second attempt meets the holder', () => {
    const first = acquireRunLock(db, claim(1111), { isAlive: alive, now: () => T0 });
    expect(first).toMatchObject({ acquired: true, recovered: null });
    expect(lockOf(first).holder).toEqual({ pid: 1111, hostname: 'host-a', startedAt: T0.toISOString(), command: 'sync (pid 1111)' });

    const second = acquireRunLock(db, claim(2222), { isAlive: alive, now: () => T0 });

    expect(second).toEqual({ acquired: false, holder: { pid: 1111, hostname: 'host-a', startedAt: T0.toISOString(), command: 'sync (pid 1111)' } });
  });

  it('can be taken again once released; release is idempotent', () => {
    const first = lockOf(acquireRunLock(db, claim(1111), { isAlive: alive }));
    expect(first.isHeld()).toBe(true);

    first.release();
    first.release();

    expect(first.isHeld()).toBe(false);
    expect(readLockHolder(db, { isAlive: alive })).toBeNull();
    expect(acquireRunLock(db, claim(2222), { isAlive: alive })).toMatchObject({ acquired: true, recovered: null });
  });

  it('takes over a lock whose process on this host is dead, returning the old holder', () => {
    const stale = lockOf(acquireRunLock(db, claim(1111), { isAlive: alive }));

    const attempt = acquireRunLock(db, claim(2222), { isAlive: (pid) => pid !== 1111 });

    expect(attempt).toMatchObject({ acquired: true, recovered: { pid: 1111, hostname: 'host-a', startedAt: T0.toISOString() } });
    expect(stale.isHeld()).toBe(false);
    // The old holder's release must not free the lock it lost.
    stale.release();
    expect(readLockHolder(db, { isAlive: alive, hostname: 'host-a' })?.pid).toBe(2222);
  });

  it('cannot tell whether a process on another host lives: its lock holds while its heartbeat is fresh', () => {
    lockOf(acquireRunLock(db, claim(1111, 'host-b'), { isAlive: alive, now: () => T0 }));

    const attempt = acquireRunLock(db, claim(2222, 'host-a'), { isAlive: () => false, now: () => new Date(T0.getTime() + 10 * MIN) });

    expect(attempt).toMatchObject({ acquired: false, holder: { pid: 1111, hostname: 'host-b' } });
  });

  it('takes over a lock whose heartbeat is older than the stale age (10 min by default)', () => {
    lockOf(acquireRunLock(db, claim(1111, 'host-b'), { isAlive: alive, now: () => T0 }));
    const later = (ms: number) => () => new Date(T0.getTime() + ms);

    expect(acquireRunLock(db, claim(2222), { isAlive: alive, now: later(10 * MIN) }).acquired).toBe(false);
    const attempt = acquireRunLock(db, claim(2222), { isAlive: alive, now: later(10 * MIN + 1) });

    expect(attempt).toMatchObject({ acquired: true, recovered: { pid: 1111, hostname: 'host-b' } });
    lockOf(attempt);
    // The new holder's heartbeat is 2 min - 1 ms old at 12 min.
    expect(acquireRunLock(db, claim(3333), { isAlive: alive, now: later(12 * MIN), staleAfterMs: 2 * MIN - 1 }).acquired).toBe(false);
    lockOf(acquireRunLock(db, claim(3333), { isAlive: alive, now: later(12 * MIN), staleAfterMs: 2 * MIN - 2 }));
  });

  it('keeps its heartbeat fresh while held, and stops once released', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = T0.getTime();
    const now = () => new Date(clock);
    const lock = lockOf(acquireRunLock(db, claim(1111, 'host-b'), { isAlive: alive, now, heartbeatMs: 30_000 }));

    clock += 9 * MIN;
    vi.advanceTimersByTime(30_000);
    expect(heartbeatAt()).toBe(new Date(T0.getTime() + 9 * MIN).toISOString());
    clock += 9 * MIN;
    expect(acquireRunLock(db, claim(2222), { isAlive: alive, now }).acquired).toBe(false);

    lock.release();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a row with this process id but a token it does not hold as left by a run that never released it', () => {
    const mine = lockOf(acquireRunLock(db, claim(process.pid), { isAlive: alive }));
    expect(acquireRunLock(db, claim(process.pid), { isAlive: alive }).acquired).toBe(false);

    db.prepare(`UPDATE run_lock SET token = 'left by a crashed run'`).run();

    expect(acquireRunLock(db, claim(process.pid), { isAlive: alive })).toMatchObject({ acquired: true, recovered: { pid: process.pid } });
    expect(mine.isHeld()).toBe(false);
  });

  it('does not throw when the database is closed under a held lock', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const lock = lockOf(acquireRunLock(db, claim(1111), { isAlive: alive, heartbeatMs: 1000 }));
    db.close();

    expect(() => vi.advanceTimersByTime(5000)).not.toThrow();
    expect(lock.isHeld()).toBe(false);
    expect(() => lock.release()).not.toThrow();
    db = openStateDatabase(temp.stateDir);
  });
});

describe('readLockHolder', () => {
  it('is null when the lock is free or stale, else the holder', () => {
    expect(readLockHolder(db)).toBeNull();
    lockOf(acquireRunLock(db, claim(1111), { isAlive: alive, now: () => T0 }));

    expect(readLockHolder(db, { isAlive: alive, hostname: 'host-a', now: () => T0 })).toMatchObject({ pid: 1111, command: 'sync (pid 1111)' });
    expect(readLockHolder(db, { isAlive: () => false, hostname: 'host-a', now: () => T0 })).toBeNull();
    expect(readLockHolder(db, { isAlive: () => false, hostname: 'host-b', now: () => T0 })).not.toBeNull();
    expect(readLockHolder(db, { isAlive: alive, hostname: 'host-b', now: () => new Date(T0.getTime() + 11 * MIN) })).toBeNull();
  });
});

describe('isProcessAlive', () => {
  it('is true for this process, false for one that exited and for impossible ids', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    expect(isProcessAlive(exited)).toBe(false);
    for (const pid of [0, -1, Number.NaN, 1.5]) expect(isProcessAlive(pid)).toBe(false);
  });
});
