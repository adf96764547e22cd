import { describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { useServerGroup, type ServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, writesReceived } from '../support/sync-pair.js';
import {
  adminPanel,
  editStateDb,
  licensesOn,
  operationsByServer,
  recordedRuns,
  runGroupJson,
  sideDifferences,
  storedBases,
  usernamesOn,
} from './support/two-way-helpers.js';
import { expectSameAnswerEverywhere } from './support/round-trip.js';

// What a two-way run (the round trip, the default mode) does without a usable
// base, through the built CLI: a pair's first run needs no --resync (the
// primary's version wins, nothing is written to the primary); a base recorded
// with another primary or tampered with in state.db stops it, and --resync is
// the way out; two-way takes every configured backup (--backup narrows it);
// --resync with one-way is a usage error; and `plan --mode two-way` neither
// writes nor records.

const group = useServerGroup({ backups: 2 });

/** Only backup 1 configured: the pair primary ↔ backup. */
const ONE_PEER = { SYNC_DBS_BACKUP_2_URL: undefined, SYNC_DBS_BACKUP_2_USER: undefined, SYNC_DBS_BACKUP_2_PASSWORD: undefined } as const;

const licenses = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => allowedLicense(`${prefix}-${String(index).padStart(2, '0')}`));

function servers(g: ServerGroup) {
  const [peer, other] = g.backups;
  if (peer === undefined || other === undefined) throw new Error('two backups expected');
  return { primary: g.primary, peer, other };
}

async function requestsReceived(g: ServerGroup): Promise<number> {
  const all = await Promise.all(g.servers.map((server) => server.control.stats()));
  return all.flatMap((stats) => Object.values(stats.requests)).reduce((sum, count) => sum + count, 0);
}

async function writesOnAnyServer(g: ServerGroup): Promise<number[]> {
  return Promise.all(g.servers.map((server) => writesReceived(server)));
}

/** A one-way sync primary -> backup that records the pair's base. */
async function oneWaySync(g: ServerGroup): Promise<void> {
  const run = await runGroupJson(g, ['sync', '--mode', 'one-way'], { env: ONE_PEER });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.report.targets.map((target) => [target.server, target.baseRecorded])).toEqual([['backup', true]]);
}

describe('a two-way run without a base: the primary wins; a base that cannot be trusted refuses (exit 4) and says to --resync', () => {
  it('the first two-way run of a pair needs no --resync: the primary’s version everywhere, what only the peer lists denied there, nothing written to the primary', async () => {
    const g = group();
    const { primary, peer } = servers(g);
    const common = licenses('G', 10);
    await g.load(
      datasetOf({
        users: [{ username: 'only-on-primary', password: 'secret-123', role: 'user' }],
        licenses: [
          ...common,
          allowedLicense('ONLY-PRIMARY'),
          allowedLicense('DIFFERS', { owner_name: 'Primary version' }),
          allowedLicense('HELD-ON-PRIMARY', { status: 'blocked' }),
          allowedLicense('HELD-ON-PEER'),
        ],
      }),
      datasetOf({
        users: [{ username: 'only-on-peer', password: 'secret-123', role: 'user' }],
        licenses: [
          ...common,
          allowedLicense('ONLY-PEER', { created_by: 'only-on-peer' }),
          allowedLicense('DIFFERS', { owner_name: 'Peer version' }),
          allowedLicense('HELD-ON-PRIMARY'),
          allowedLicense('HELD-ON-PEER', { status: 'blocked' }),
        ],
      }),
      datasetOf({}),
    );
    const primaryBefore = await licensesOn(primary);

    const first = await runGroupJson(g, ['sync', '--mode', 'two-way'], { env: ONE_PEER });

    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.report).toMatchObject({ mode: 'two-way', outcome: 'in-sync' });
    expect(first.report.guards).toEqual([]);
    expect(first.report.targets[0]).toMatchObject({ server: 'backup', base: null, baseRecorded: true, verified: { inSync: true } });
    expect(first.report.plan?.operations.some((operation) => operation.kind === 'delete-license')).toBe(false);
    // Users are a union (the API only creates them): the peer's reseller is the one write to the primary.
    expect(operationsByServer((first.report.plan?.operations ?? []).filter((operation) => operation.server === 'primary')), 'writes to the primary').toEqual([
      'primary create-user user:only-on-peer',
    ]);
    expect(await licensesOn(primary), 'the primary after its pair’s first run').toEqual(primaryBefore);
    const onPeer = await licensesOn(peer);
    expect(onPeer.has('ONLY-PRIMARY')).toBe(true);
    expect(onPeer.get('DIFFERS')?.owner_name).toBe('Primary version');
    // The primary's answer on the peer: its block copied, the peer's block lifted, what the primary never had denied.
    expect(['HELD-ON-PRIMARY', 'HELD-ON-PEER', 'ONLY-PEER'].map((id) => onPeer.get(id)?.status)).toEqual(['blocked', 'active', 'blocked']);
    expect(await sideDifferences(primary, peer), 'differences left: ONLY-PEER, denied on the peer and absent from the primary').toEqual([expect.stringMatching(/^ONLY-PEER: /)]);
    await expectSameAnswerEverywhere([primary, peer], ['ONLY-PEER', 'HELD-ON-PEER', 'HELD-ON-PRIMARY', 'DIFFERS']);
    expect([await usernamesOn(primary), await usernamesOn(peer)]).toEqual([
      ['only-on-peer', 'only-on-primary'],
      ['only-on-peer', 'only-on-primary'],
    ]);
    expect(storedBases(g.stateDir)).toMatchObject([{ primary_url: primary.url, peer_url: peer.url, mode: 'two-way' }]);

    // The pair now has a base: the next two-way run has nothing to do.
    await g.resetStats();
    const next = await runGroupJson(g, ['sync', '--mode', 'two-way'], { env: ONE_PEER });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.report.plan?.operations).toEqual([]);
    expect(await writesOnAnyServer(g)).toEqual([0, 0, 0]);

    // --resync does the same from scratch: nothing left to write.
    const resync = await runGroupJson(g, ['sync', '--mode', 'two-way', '--resync'], { env: ONE_PEER });
    expect(resync.exitCode, resync.stderr).toBe(0);
    expect(resync.report).toMatchObject({ mode: 'two-way', resync: true, outcome: 'in-sync' });
    expect(resync.report.plan?.operations).toEqual([]);
  });

  it('refuses when the base kept for the peer was recorded with another primary', async () => {
    const g = group();
    const { primary, peer, other } = servers(g);
    const data = licenses('G', 10);
    await g.load(datasetOf({ licenses: data }), datasetOf({ licenses: data }), datasetOf({ licenses: data }));
    await oneWaySync(g);
    await g.resetStats();

    // The same peer, now paired with another primary (backup-2's server standing in as the primary).
    const run = await runGroupJson(g, ['sync', '--mode', 'two-way'], { env: { ...ONE_PEER, SYNC_DBS_PRIMARY_URL: other.url } });

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.guards).toEqual([{ guard: 'two-way-base', message: expect.stringContaining('--resync') as string }]);
    expect(run.report.guards[0]?.message).toContain(primary.url);
    expect(run.report.targets[0]?.baseRecorded).toBe(false);
    expect(await writesOnAnyServer(g)).toEqual([0, 0, 0]);
    expect(storedBases(g.stateDir).map((base) => [base.primary_url, base.peer_url])).toEqual([[primary.url, peer.url]]);
  });

  const CORRUPTIONS: readonly [string, (db: Database.Database) => number][] = [
    // Valid JSON, valid values: only the checksum can tell (the license silently "blocked" in the peer's base).
    [
      'a license edited in place',
      (db) => db.prepare(`UPDATE pair_base_licenses SET fields = json_set(fields, '$[6]', 'blocked') WHERE side = 'peer' AND device_id = 'G-03'`).run().changes,
    ],
    ['a license row that is not JSON', (db) => db.prepare(`UPDATE pair_base_licenses SET fields = '[not json' WHERE side = 'primary' AND device_id = 'G-04'`).run().changes],
    ['a license row gone', (db) => db.prepare(`DELETE FROM pair_base_licenses WHERE side = 'primary' AND device_id = 'G-05'`).run().changes],
  ];

  it.each(CORRUPTIONS)('refuses a base with %s in state.db; --resync recovers', async (_what, corrupt) => {
    const g = group();
    const data = licenses('G', 10);
    await g.load(datasetOf({ licenses: data }), datasetOf({ licenses: data.slice(0, 8) }), datasetOf({}));
    await oneWaySync(g);
    editStateDb(g.stateDir, (db) => expect(corrupt(db)).toBe(1));
    const peer = servers(g).peer;
    await adminPanel(peer).then((panel) => panel.block('G-01'));
    await g.resetStats();

    const run = await runGroupJson(g, ['sync', '--mode', 'two-way'], { env: ONE_PEER });

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.guards).toEqual([{ guard: 'two-way-base', message: expect.stringMatching(/--resync/) as string }]);
    expect(run.stderr).toMatch(/--resync/);
    expect(await writesOnAnyServer(g)).toEqual([0, 0, 0]);

    const resync = await runGroupJson(g, ['sync', '--mode', 'two-way', '--resync'], { env: ONE_PEER });
    expect(resync.exitCode, resync.stderr).toBe(0);
    expect(await sideDifferences(g.primary, peer)).toEqual([]);
    // Without a base the primary's version wins: the peer's block of G-01 is lifted (what --resync costs).
    expect([(await licensesOn(g.primary)).get('G-01')?.status, (await licensesOn(peer)).get('G-01')?.status]).toEqual(['active', 'active']);
  });
});

describe('two-way takes every backup; --resync only with two-way', () => {
  it('--mode two-way with two backups configured runs the round trip over both; --backup narrows it to one', async () => {
    const g = group();
    const data = licenses('G', 3);
    await g.load(datasetOf({ licenses: data }), datasetOf({ licenses: data }), datasetOf({ licenses: data }));

    const chosen = await runGroupJson(g, ['sync', '--mode', 'two-way', '--backup', 'backup-2']);
    expect(chosen.exitCode, chosen.stderr).toBe(0);
    expect(chosen.report.targets.map((target) => target.server)).toEqual(['backup-2']);
    expect(storedBases(g.stateDir).map((base) => base.peer_url)).toEqual([servers(g).other.url]);

    const run = await runGroupJson(g, ['sync', '--mode', 'two-way']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.targets.map((target) => [target.server, target.outcome, target.baseRecorded])).toEqual([
      ['backup', 'in-sync', true],
      ['backup-2', 'in-sync', true],
    ]);
  });

  it.each([{ args: ['sync', '--resync', '--mode', 'one-way'] }, { args: ['plan', '--resync', '--mode', 'one-way'] }])(
    '$args is refused',
    async ({ args }) => {
      const g = group();
      await g.load(datasetOf({ licenses: licenses('G', 3) }), datasetOf({}), datasetOf({}));

      const run = await g.cli([...args, '--backup', 'backup']);

      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--resync/);
      expect(run.stderr).toMatch(/two-way/);
      expect(await requestsReceived(g)).toBe(0);
    },
  );

  it('sync --resync in the default mode is the round trip from scratch', async () => {
    const g = group();
    await g.load(datasetOf({ licenses: licenses('G', 3) }), datasetOf({}), datasetOf({}));

    const run = await runGroupJson(g, ['sync', '--resync', '--backup', 'backup']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report).toMatchObject({ mode: 'two-way', resync: true, outcome: 'in-sync' });
    expect(await sideDifferences(g.primary, servers(g).peer)).toEqual([]);
  });
});

describe('plan --mode two-way', () => {
  it('shows writes in both directions but writes nothing and records nothing (base, runs)', async () => {
    const g = group();
    const { primary, peer } = servers(g);
    const data = licenses('G', 10);
    await g.load(datasetOf({ licenses: data }), datasetOf({ licenses: data }), datasetOf({}));
    await oneWaySync(g);
    await (await adminPanel(primary)).block('G-01');
    await (await adminPanel(peer)).create('NEW-ON-PEER');
    await g.resetStats();
    const basesBefore = storedBases(g.stateDir);
    const runsBefore = recordedRuns(g.stateDir);

    const plan = await runGroupJson(g, ['plan', '--mode', 'two-way'], { env: ONE_PEER });

    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.report).toMatchObject({ command: 'plan', mode: 'two-way', outcome: 'changes-pending', runId: null });
    expect(operationsByServer(plan.report.plan?.operations ?? [])).toEqual(['backup block license:G-01', 'primary create-license license:NEW-ON-PEER']);
    expect(await writesOnAnyServer(g)).toEqual([0, 0, 0]);
    expect(storedBases(g.stateDir)).toEqual(basesBefore);
    expect(recordedRuns(g.stateDir)).toBe(runsBefore);
    expect((await licensesOn(primary)).has('NEW-ON-PEER')).toBe(false);

    // The same with --resync, in a state directory that has no base: still nothing written or recorded.
    const fresh = await runGroupJson(g, ['plan', '--mode', 'two-way', '--resync'], { env: { ...ONE_PEER, SYNC_DBS_STATE_DIR: `${g.stateDir}/fresh` } });
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect(fresh.report.resync).toBe(true);
    // Without a base the primary wins: NEW-ON-PEER, unknown to the primary, is denied on the peer.
    expect(operationsByServer(fresh.report.plan?.operations ?? [])).toEqual(['backup block license:G-01', 'backup block license:NEW-ON-PEER']);
    expect(await writesOnAnyServer(g)).toEqual([0, 0, 0]);
    expect(storedBases(`${g.stateDir}/fresh`)).toEqual([]);
  });
});
