import type Database from 'better-sqlite3';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, readLockHolder } from '../../src/state/run-lock.js';
import { openStateDatabase } from '../../src/state/state-database.js';
import { LockChild } from './support/child-process.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;
let db: Database.Database;
let children: LockChild[] = [];

beforeEach(async () => {
  temp = await makeTempStateDir();
  db = openStateDatabase(temp.stateDir);
});

afterEach(async () => {
  await Promise.all(children.map((child) => child.kill()));
  children = [];
  db.close();
  await temp.remove();
});

const start = (mode: 'hold' | 'race') => {
  const child = LockChild.start(temp.stateDir, mode);
  children.push(child);
  return child;
};

const ourClaim = () => ({ pid: process.pid, hostname: os.hostname(), command: 'test', startedAt: new Date() });

describe('run lock across processes', () => {
  it('another live process holds it; once that process is killed, the lock is recovered from it', async () => {
    const holder = start('hold');
    expect(await holder.next()).toEqual({ acquired: true, recovered: null });

    expect(acquireRunLock(db, ourClaim())).toMatchObject({ acquired: false, holder: { pid: holder.pid, hostname: os.hostname() } });
    expect(readLockHolder(db)?.pid).toBe(holder.pid);

    await holder.kill();

    expect(readLockHolder(db)).toBeNull();
    const attempt = acquireRunLock(db, ourClaim());
    expect(attempt).toMatchObject({ acquired: true, recovered: { pid: holder.pid, command: 'lock-child hold' } });
    if (attempt.acquired) attempt.lock.release();
  });

  it('of 8 processes trying at the same moment, exactly one gets it', async () => {
    const racers = Array.from({ length: 8 }, () => start('race'));
    await Promise.all(racers.map(async (racer) => expect(await racer.next()).toEqual({ ready: true })));

    for (const racer of racers) racer.send('go');
    const attempts = await Promise.all(racers.map((racer) => racer.next()));

    const winners = racers.filter((_, n) => attempts[n]?.acquired === true);
    expect(winners).toHaveLength(1);
    const winnerPid = winners[0]?.pid;
    for (const attempt of attempts.filter((result) => result.acquired === false)) {
      expect(attempt).toMatchObject({ holder: { pid: winnerPid } });
    }
    expect(readLockHolder(db)?.pid).toBe(winnerPid);
  });
});
