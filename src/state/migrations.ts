import type Database from 'better-sqlite3';
import { t } from '../i18n/i18n.js';

export interface Migration {
  /** The `user_version` the database has once this migration is applied. */
  readonly version: number;
  readonly sql: string;
}

/** In order; never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        outcome TEXT NOT NULL,
        exit_code INTEGER,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        verdict TEXT,
        planned INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        not_sent INTEGER NOT NULL DEFAULT 0,
        report_text TEXT,
        report_json TEXT
      );
      CREATE INDEX runs_by_outcome ON runs (outcome, id);

      CREATE TABLE run_servers (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        server TEXT NOT NULL,
        url TEXT NOT NULL,
        users INTEGER,
        licenses INTEGER,
        PRIMARY KEY (run_id, position)
      );

      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        server TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT,
        planned_at TEXT NOT NULL,
        sent_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX journal_by_run_status ON journal (run_id, status);

      CREATE TABLE last_good_counts (
        url TEXT PRIMARY KEY,
        server TEXT NOT NULL,
        users INTEGER NOT NULL,
        licenses INTEGER NOT NULL,
        run_id INTEGER NOT NULL,
        recorded_at TEXT NOT NULL
      );

      CREATE TABLE run_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        command TEXT NOT NULL,
        token TEXT NOT NULL
      );
    `,
  },
  {
    // The base of each server pair for two-way runs (pair-base-store.ts):
    // a header per pair and a row per license per side. No foreign key to
    // runs: runs are pruned, bases are not.
    version: 2,
    sql: `
      CREATE TABLE pair_bases (
        id INTEGER PRIMARY KEY,
        primary_url TEXT NOT NULL,
        peer_url TEXT NOT NULL,
        format INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        run_id INTEGER,
        mode TEXT NOT NULL CHECK (mode IN ('one-way', 'two-way')),
        primary_licenses INTEGER NOT NULL,
        peer_licenses INTEGER NOT NULL,
        checksum TEXT NOT NULL,
        UNIQUE (primary_url, peer_url)
      );
      CREATE INDEX pair_bases_by_peer ON pair_bases (peer_url);

      CREATE TABLE pair_base_licenses (
        base_id INTEGER NOT NULL REFERENCES pair_bases (id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('primary', 'peer')),
        device_id TEXT NOT NULL,
        fields TEXT NOT NULL,
        PRIMARY KEY (base_id, side, device_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Deletions made on a pair's peer that a run restored instead of carrying
    // out (no --delete): a later run with --delete still carries them out.
    version: 3,
    sql: `
      CREATE TABLE pair_base_pending_deletions (
        base_id INTEGER NOT NULL REFERENCES pair_bases (id) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        PRIMARY KEY (base_id, device_id)
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to SCHEMA_VERSION. Each migration runs in its own
 * BEGIN IMMEDIATE transaction that re-reads the version first, so processes
 * opening a new state directory at the same time apply each step once.
 * `file` only names the database in errors.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const known = migrations.at(-1)?.version ?? 0;
  const found = schemaVersionOf(db);
  if (found > known) {
    throw new Error(t('state:database.newerSchema', { file, found, known }));
  }
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      if (schemaVersionOf(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
