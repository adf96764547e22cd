import Database from 'better-sqlite3';
import { chmod, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION, schemaVersionOf, type Migration } from '../../src/state/migrations.js';
import { openStateDatabase, openStateDatabaseIfExists, STATE_DATABASE_FILE } from '../../src/state/state-database.js';
import { StateStore } from '../../src/state/state-store.js';
import { LockChild } from './support/child-process.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;
let dbFile = '';

beforeEach(async () => {
  temp = await makeTempStateDir();
  dbFile = path.join(temp.stateDir, STATE_DATABASE_FILE);
});

afterEach(() => temp.remove());

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

const tableNames = (db: Database.Database) =>
  db
    .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all();

describe('openStateDatabase', () => {
  it('creates the state directory and a migrated state.db, with WAL, a busy timeout and foreign keys', () => {
    const db = openStateDatabase(temp.stateDir);
    try {
      expect(existsSync(dbFile)).toBe(true);
      expect(tableNames(db)).toEqual(['journal', 'last_good_counts', 'pair_base_licenses', 'pair_base_pending_deletions', 'pair_bases', 'run_lock', 'run_servers', 'runs']);
      expect(schemaVersionOf(db)).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(10_000);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it.skipIf(process.platform === 'win32')('makes the directory 0700 and the database and its WAL file 0600', async () => {
    const store = StateStore.open(temp.stateDir);
    try {
      store.startRun({ command: 'sync', startedAt: new Date(), pid: 1, hostname: 'h' });
      expect(await modeOf(temp.stateDir)).toBe(0o700);
      expect(await modeOf(dbFile)).toBe(0o600);
      expect(await modeOf(`${dbFile}-wal`)).toBe(0o600);
    } finally {
      store.close();
    }
  });

  it.skipIf(process.platform === 'win32')('tightens a database file that became readable by others back to 0600', async () => {
    openStateDatabase(temp.stateDir).close();
    await chmod(dbFile, 0o644);

    openStateDatabase(temp.stateDir).close();

    expect(await modeOf(dbFile)).toBe(0o600);
  });

  it('reopens an existing database without migrating again, keeping what it holds', () => {
    const first = StateStore.open(temp.stateDir);
    const runId = first.startRun({ command: 'sync', startedAt: new Date('2026-03-01T10:00:00Z'), pid: 42, hostname: 'host-a' });
    first.close();

    const second = StateStore.open(temp.stateDir);
    try {
      expect(schemaVersionOf(second.database)).toBe(SCHEMA_VERSION);
      expect(second.run(runId)).toMatchObject({ id: runId, command: 'sync', outcome: 'running', pid: 42, hostname: 'host-a' });
    } finally {
      second.close();
    }
  });

  it('refuses a database written by a newer version, naming the file', () => {
    const db = openStateDatabase(temp.stateDir);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    expect(() => openStateDatabase(temp.stateDir)).toThrow(`${dbFile} has schema version ${SCHEMA_VERSION + 1}, written by a newer sync-dbs`);
  });

  it('opens fine from several processes creating the same new state directory at once', async () => {
    const children = Array.from({ length: 6 }, () => LockChild.start(temp.stateDir, 'open'));
    const versions = await Promise.all(children.map((child) => child.next()));
    await Promise.all(children.map((child) => child.stop()));

    expect(versions).toEqual(children.map(() => ({ version: SCHEMA_VERSION })));
  });
});

describe('openStateDatabaseIfExists', () => {
  it('returns null and creates nothing when there is no state yet', () => {
    expect(openStateDatabaseIfExists(temp.stateDir)).toBeNull();
    expect(existsSync(temp.stateDir)).toBe(false);
  });

  it('opens the database once there is one', () => {
    openStateDatabase(temp.stateDir).close();
    const db = openStateDatabaseIfExists(temp.stateDir);
    expect(db).not.toBeNull();
    db?.close();
  });
});

describe('migrate', () => {
  const migrations: Migration[] = [
    { version: 1, sql: 'CREATE TABLE first (id INTEGER PRIMARY KEY)' },
    { version: 2, sql: 'CREATE TABLE second (id INTEGER PRIMARY KEY); CREATE TABLE broken (' },
  ];

  it('applies each migration in its own transaction: a failing one leaves the earlier ones and nothing of itself', () => {
    const db = new Database(path.join(temp.root, 'plain.db'));
    try {
      expect(() => migrate(db, 'plain.db', migrations)).toThrow();
      expect(schemaVersionOf(db)).toBe(1);
      expect(tableNames(db)).toEqual(['first']);
    } finally {
      db.close();
    }
  });

  it('applies only the migrations newer than the database', () => {
    const db = new Database(path.join(temp.root, 'plain.db'));
    try {
      migrate(db, 'plain.db', migrations.slice(0, 1));
      migrate(db, 'plain.db', [...migrations.slice(0, 1), { version: 2, sql: 'CREATE TABLE second (id INTEGER PRIMARY KEY)' }]);
      expect(schemaVersionOf(db)).toBe(2);
      expect(tableNames(db)).toEqual(['first', 'second']);
    } finally {
      db.close();
    }
  });
});
