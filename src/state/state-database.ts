import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';

export const STATE_DATABASE_FILE = 'state.db';

/**
 * Opens (creating it if needed) `<stateDir>/state.db`, readable only by its
 * owner: the directory is created with mode 0700, the file with 0600 (SQLite
 * gives its -wal and -shm files the same mode). WAL lets `status` read while
 * a run writes; the busy timeout makes writers from other processes wait
 * rather than fail.
 */
export function openStateDatabase(stateDir: string): Database.Database {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, STATE_DATABASE_FILE);
  // SQLite would create the file with the umask's mode; create it first so it never is readable by others.
  closeSync(openSync(file, 'a', 0o600));
  if (process.platform !== 'win32') {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not our file (another user's state directory): SQLite says whether we may use it.
    }
  }
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** For commands that only read (status, history, report): null, and nothing created, when there is no state yet. */
export function openStateDatabaseIfExists(stateDir: string): Database.Database | null {
  if (!existsSync(path.join(stateDir, STATE_DATABASE_FILE))) return null;
  return openStateDatabase(stateDir);
}
