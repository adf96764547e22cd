import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../../src/state/migrations.js';
import { PairBaseStore } from '../../src/state/pair-base-store.js';
import { openStateDatabase, STATE_DATABASE_FILE } from '../../src/state/state-database.js';
import { StateStore } from '../../src/state/state-store.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;

beforeEach(async () => {
  temp = await makeTempStateDir();
});

afterEach(() => temp.remove());

const tableNames = (db: Database.Database) =>
  db
    .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all();

const SERVERS = [
  { server: 'primary', url: 'https://primary.example', users: 10, licenses: 30 },
  { server: 'backup', url: 'https://peer.example', users: 10, licenses: 30 },
];

/** A state.db as an existing user has it: written by a sync-dbs that knew migration 1 only, with a finished run. */
function createVersionOneState(): number {
  mkdirSync(temp.stateDir, { recursive: true });
  const file = path.join(temp.stateDir, STATE_DATABASE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, file, MIGRATIONS.slice(0, 1));
  const store = new StateStore(db);
  const runId = store.startRun({ command: 'sync', startedAt: new Date('2026-02-01T10:00:00Z'), pid: 4242, hostname: 'host-a' });
  store.finishRun(runId, {
    outcome: 'in-sync',
    exitCode: 0,
    endedAt: new Date('2026-02-01T10:01:00Z'),
    durationMs: 60_000,
    verdict: 'backup in sync with primary',
    servers: SERVERS,
    reportText: 'report',
    reportJson: null,
  });
  expect(schemaVersionOf(db)).toBe(1);
  db.close();
  return runId;
}

describe('migrations 2 and 3: pair bases and their pending deletions', () => {
  it('are the latest migrations, after an unchanged migration 1', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual([1, 2, 3]);
    expect(SCHEMA_VERSION).toBe(3);
  });

  it("bring an existing user's version-1 state.db to version 3, keeping its runs and last good counts", () => {
    const runId = createVersionOneState();

    const db = openStateDatabase(temp.stateDir);
    try {
      expect(schemaVersionOf(db)).toBe(3);
      expect(tableNames(db)).toEqual([
        'journal',
        'last_good_counts',
        'pair_base_licenses',
        'pair_base_pending_deletions',
        'pair_bases',
        'run_lock',
        'run_servers',
        'runs',
      ]);

      const runs = new StateStore(db);
      expect(runs.run(runId)).toMatchObject({ id: runId, outcome: 'in-sync', verdict: 'backup in sync with primary', servers: SERVERS });
      expect(runs.lastGoodCounts('https://peer.example')).toMatchObject({ users: 10, licenses: 30, runId });

      const bases = new PairBaseStore(db);
      const pair = { primaryUrl: 'https://primary.example', peerUrl: 'https://peer.example' };
      expect(bases.load(pair)).toEqual({ kind: 'none' });
      const license = {
        owner_name: null,
        cpf: null,
        email: null,
        address: null,
        license_type: 'mensal',
        created_by: 'admin',
        status: 'active',
        start_date: '2026-01-01',
        end_date: '2026-02-01',
      } as const;
      bases.save(pair, { primary: { licenses: new Map([['dev-1', license]]) }, peer: { licenses: new Map() } }, {
        runId,
        recordedAt: '2026-02-01T10:01:00.000Z',
        mode: 'two-way',
      });
      expect(bases.load(pair)).toMatchObject({ kind: 'found', meta: { runId } });
    } finally {
      db.close();
    }
  });

  it('keeps bases when runs are pruned: no foreign key to runs', () => {
    const runId = createVersionOneState();
    const store = StateStore.open(temp.stateDir);
    try {
      const bases = new PairBaseStore(store.database);
      const pair = { primaryUrl: 'https://primary.example', peerUrl: 'https://peer.example' };
      bases.save(pair, { primary: { licenses: new Map() }, peer: { licenses: new Map() } }, { runId, recordedAt: '2026-02-01T10:01:00.000Z', mode: 'two-way' });
      // The last success is never pruned: delete the run by hand, as pruning would a later one.
      store.database.prepare('DELETE FROM runs WHERE id = ?').run(runId);

      expect(store.run(runId)).toBeNull();
      expect(bases.load(pair)).toMatchObject({ kind: 'found', meta: { runId } });
    } finally {
      store.close();
    }
  });
});
