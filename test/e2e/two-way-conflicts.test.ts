import { describe, expect, it } from 'vitest';
import type { DeviceRow } from '../../src/emulator/dataset/dataset-file.js';
import { useServerGroup, type ServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, daysFromToday } from '../support/sync-pair.js';
import { allowMap } from './support/report.js';
import {
  adminPanel,
  conflictLines,
  licensesOn,
  operationsByServer,
  runGroupJson,
  statusClass,
  storedBases,
  type AdminPanel,
  type JsonReport,
} from './support/two-way-helpers.js';

// The four kinds of conflict of issue 5 through the built CLI, one test per
// --conflict policy: the base comes from a real one-way sync, each side is then
// changed through its API, and `sync --mode two-way --conflict <policy>` runs.
// Each case uses two licenses where the orientation matters: one where the
// primary made the first change of the pair, one where the peer (render) did.

const group = useServerGroup({ backups: 1, names: ['render'] });

type Policy = 'primary' | 'peer' | 'none';
const POLICIES: readonly Policy[] = ['primary', 'peer', 'none'];

type Row = Omit<DeviceRow, 'id'>;

/** Licenses both servers hold unchanged in every case (so that one deletion stays far below --max-shrink). */
const COMMON: readonly Row[] = Array.from({ length: 12 }, (_, index) => allowedLicense(`C-${String(index).padStart(2, '0')}`));

interface Sides {
  readonly g: ServerGroup;
  readonly onPrimary: AdminPanel;
  readonly onPeer: AdminPanel;
}

/**
 * Loads the servers (COMMON plus each side's own rows), runs a one-way sync
 * that must record the pair's base, and opens each side's panel.
 */
async function withBase(g: ServerGroup, primaryRows: readonly Row[], peerRows: readonly Row[]): Promise<Sides> {
  const [render] = g.backups;
  if (render === undefined) throw new Error('no backup');
  await g.load(datasetOf({ licenses: [...COMMON, ...primaryRows] }), datasetOf({ licenses: [...COMMON, ...peerRows] }));
  const sync = await runGroupJson(g, ['sync', '--mode', 'one-way']);
  expect(sync.exitCode, sync.stderr).toBe(0);
  expect(sync.report.targets[0]?.baseRecorded).toBe(true);
  expect(storedBases(g.stateDir)).toHaveLength(1);
  return { g, onPrimary: await adminPanel(g.primary), onPeer: await adminPanel(render) };
}

/** The two-way run; it must succeed and verify. */
async function twoWay(g: ServerGroup, policy: Policy, extra: readonly string[] = []): Promise<JsonReport> {
  const run = await runGroupJson(g, ['sync', '--mode', 'two-way', '--conflict', policy, ...extra]);
  expect(run.exitCode, `${run.stderr}\n${run.stdout}`).toBe(0);
  expect(run.report.outcome).toBe('in-sync');
  expect(run.report.targets[0]?.verified?.inSync).toBe(true);
  return run.report;
}

/** A second two-way run with the same options: nothing to do, nothing written (conflicts left by `none` included). */
async function expectSecondRunEmpty(g: ServerGroup, policy: Policy, extra: readonly string[] = []): Promise<void> {
  const run = await runGroupJson(g, ['sync', '--mode', 'two-way', '--conflict', policy, ...extra]);
  expect(run.exitCode, run.stderr).toBe(0);
  expect(operationsByServer(run.report.plan?.operations ?? [])).toEqual([]);
  expect(run.report.plan?.conflicts).toEqual([]);
}

function renderOf(g: ServerGroup) {
  const [render] = g.backups;
  if (render === undefined) throw new Error('no backup');
  return render;
}

/** Each server's row for a device_id (undefined where it is absent). */
async function rowsOf(g: ServerGroup, deviceId: string): Promise<{ primary: DeviceRow | undefined; peer: DeviceRow | undefined }> {
  const [primary, peer] = await Promise.all([licensesOn(g.primary), licensesOn(renderOf(g))]);
  return { primary: primary.get(deviceId), peer: peer.get(deviceId) };
}

describe('both edited', () => {
  // BE-1 gets a different owner_name on each side, and a new email on the primary only: the merge is per field,
  // so only owner_name is a conflict and the primary's email is kept whoever wins it.
  it.each(POLICIES)('--conflict %s', async (policy) => {
    const { g, onPrimary, onPeer } = await withBase(group(), [allowedLicense('BE-1')], [allowedLicense('BE-1')]);
    await onPrimary.edit('BE-1', { owner_name: 'Version of the primary', email: 'primary@example.com' });
    await onPeer.edit('BE-1', { owner_name: 'Version of render' });

    const report = await twoWay(g, policy);

    expect(conflictLines(report)).toEqual([`both-edited BE-1 ${policy === 'none' ? 'left' : policy}`]);
    expect(report.plan?.conflicts[0]?.detail).toEqual(expect.any(String));
    const rows = await rowsOf(g, 'BE-1');
    const names = [rows.primary?.owner_name, rows.peer?.owner_name];
    if (policy === 'primary') {
      expect(operationsByServer(report.plan?.operations ?? [])).toEqual(['render update-license license:BE-1']);
      expect(names).toEqual(['Version of the primary', 'Version of the primary']);
      expect(rows.peer?.email).toBe('primary@example.com');
    } else if (policy === 'peer') {
      expect(operationsByServer(report.plan?.operations ?? [])).toEqual(['primary update-license license:BE-1', 'render update-license license:BE-1']);
      expect(names).toEqual(['Version of render', 'Version of render']);
      expect([rows.primary?.email, rows.peer?.email]).toEqual(['primary@example.com', 'primary@example.com']);
    } else {
      expect(operationsByServer(report.plan?.operations ?? [])).toEqual([]);
      expect(names).toEqual(['Version of the primary', 'Version of render']);
    }
    expect([statusClass(rows.primary!.status), statusClass(rows.peer!.status)]).toEqual(['open', 'open']);
    await expectSecondRunEmpty(g, policy);
  });
});

describe('block vs edit: the block wins under every policy', () => {
  // BVE-P: blocked on the primary, edited on render. BVE-Q: blocked on render, edited on the primary.
  it.each(POLICIES)('--conflict %s', async (policy) => {
    const rows = [allowedLicense('BVE-P'), allowedLicense('BVE-Q')];
    const { g, onPrimary, onPeer } = await withBase(group(), rows, rows);
    await onPrimary.block('BVE-P');
    await onPeer.edit('BVE-P', { owner_name: 'Edited on render' });
    await onPeer.block('BVE-Q');
    await onPrimary.edit('BVE-Q', { owner_name: 'Edited on the primary' });

    const report = await twoWay(g, policy);

    expect(conflictLines(report)).toEqual(['block-vs-edit BVE-P block', 'block-vs-edit BVE-Q block']);
    // Only the blocks are written: an upsert would re-open the license.
    expect(operationsByServer(report.plan?.operations ?? [])).toEqual(['primary block license:BVE-Q', 'render block license:BVE-P']);
    for (const deviceId of ['BVE-P', 'BVE-Q']) {
      const { primary, peer } = await rowsOf(g, deviceId);
      expect([statusClass(primary!.status), statusClass(peer!.status)], deviceId).toEqual(['held', 'held']);
    }
    const denied = [...(await allowMap(g.primary, ['BVE-P', 'BVE-Q'])).values(), ...(await allowMap(renderOf(g), ['BVE-P', 'BVE-Q'])).values()];
    expect(denied).toEqual([false, false, false, false]);
    await expectSecondRunEmpty(g, policy);
  });
});

describe('block vs unblock: the block wins under every policy', () => {
  // "A block made" on a side: held now, open (or absent) in that side's base; "unblocked": held in that side's
  // base, open now. Both sides' bases must therefore disagree on the license's state, which a successful sync
  // allows in two ways:
  // - BVU-P: a license only render holds, blocked (a one-way sync without --delete leaves a backup's own
  //   licenses alone, so the base has it on render's side only). The primary then registers that device and
  //   blocks it (absent -> held: a block made on the primary) while render unblocks it (held -> open).
  // - BVU-Q: pending on the primary, active but expired on render: neither allows, so the one-way sync has
  //   nothing to block on render and the base keeps render's side open. The primary then activates it
  //   (held -> open) while render blocks it (open -> held: a block made on render).
  // A pending license at the base would not do: pending and blocked are both "held", so pending -> blocked is
  // no block made (see the report of these tests).
  it.each(POLICIES)('--conflict %s', async (policy) => {
    const { g, onPrimary, onPeer } = await withBase(
      group(),
      [allowedLicense('BVU-Q', { status: 'pending' })],
      [allowedLicense('BVU-P', { status: 'blocked' }), allowedLicense('BVU-Q', { start_date: daysFromToday(-400), end_date: daysFromToday(-35) })],
    );
    // The same content as render's copy: only the state differs.
    await onPrimary.create('BVU-P', { email: 'BVU-P@example.com', address: 'Rua A, 1, Centro, Recife' });
    await onPrimary.block('BVU-P');
    await onPeer.activate('BVU-P');
    await onPrimary.activate('BVU-Q');
    await onPeer.block('BVU-Q');

    const report = await twoWay(g, policy);

    expect(conflictLines(report)).toEqual(['block-vs-unblock BVU-P block', 'block-vs-unblock BVU-Q block']);
    expect(operationsByServer(report.plan?.operations ?? [])).toEqual(['primary block license:BVU-Q', 'render block license:BVU-P']);
    for (const deviceId of ['BVU-P', 'BVU-Q']) {
      const { primary, peer } = await rowsOf(g, deviceId);
      expect([primary?.status, peer?.status], deviceId).toEqual(['blocked', 'blocked']);
    }
    const denied = [...(await allowMap(g.primary, ['BVU-P', 'BVU-Q'])).values(), ...(await allowMap(renderOf(g), ['BVU-P', 'BVU-Q'])).values()];
    expect(denied).toEqual([false, false, false, false]);
    await expectSecondRunEmpty(g, policy);
  });
});

describe('deleted vs edited', () => {
  // DVE-P: deleted on the primary, edited on render. DVE-Q: deleted on render, edited on the primary.
  async function deletedAndEdited(): Promise<ServerGroup> {
    const rows = [allowedLicense('DVE-P'), allowedLicense('DVE-Q')];
    const { g, onPrimary, onPeer } = await withBase(group(), rows, rows);
    await onPrimary.remove('DVE-P');
    await onPeer.edit('DVE-P', { owner_name: 'Edited on render' });
    await onPeer.remove('DVE-Q');
    await onPrimary.edit('DVE-Q', { owner_name: 'Edited on the primary' });
    return g;
  }

  const ownerNames = async (g: ServerGroup, deviceId: string) => {
    const { primary, peer } = await rowsOf(g, deviceId);
    return [primary?.owner_name ?? 'absent', peer?.owner_name ?? 'absent'];
  };

  // --delete lets a deletion propagate (within --max-delete). A deletion on the primary stands under every
  // policy (DVE-P: deleted on render too); render's deletion of DVE-Q is settled by the policy.
  it.each(POLICIES)('--conflict %s --delete', async (policy) => {
    const g = await deletedAndEdited();
    const args = ['--delete', '--max-delete', '5'];

    const report = await twoWay(g, policy, args);

    const resolution = policy === 'none' ? 'left' : policy;
    expect(conflictLines(report)).toEqual(['deleted-vs-edited DVE-P primary', `deleted-vs-edited DVE-Q ${resolution}`]);
    const operations = operationsByServer(report.plan?.operations ?? []);
    expect(await ownerNames(g, 'DVE-P')).toEqual(['absent', 'absent']);
    if (policy === 'primary') {
      // The primary's version of DVE-Q, as edited there.
      expect(operations).toEqual(['render create-license license:DVE-Q', 'render delete-license license:DVE-P']);
      expect(await ownerNames(g, 'DVE-Q')).toEqual(['Edited on the primary', 'Edited on the primary']);
    } else if (policy === 'peer') {
      // Render's deletion of DVE-Q.
      expect(operations).toEqual(['primary delete-license license:DVE-Q', 'render delete-license license:DVE-P']);
      expect(await ownerNames(g, 'DVE-Q')).toEqual(['absent', 'absent']);
    } else {
      expect(operations).toEqual(['render delete-license license:DVE-P']);
      expect(await ownerNames(g, 'DVE-Q')).toEqual(['Edited on the primary', 'absent']);
    }
    await expectSecondRunEmpty(g, policy, args);
  });

  // Without --delete no deletion is carried out: the primary's deletion of DVE-P stands there and render's
  // copy is blocked (every client refused, as by the primary), pending a run with --delete; render's deletion
  // of DVE-Q is undone (restored from the primary's edited version), whatever the policy, and the detail says why.
  it.each(['primary', 'peer'] as const)('--conflict %s without --delete: the primary’s deletion held, render’s undone', async (policy) => {
    const g = await deletedAndEdited();

    const report = await twoWay(g, policy);

    expect(conflictLines(report)).toEqual(['deleted-vs-edited DVE-P primary', 'deleted-vs-edited DVE-Q primary']);
    const conflictOn = (deviceId: string) => report.plan?.conflicts.find((conflict) => conflict.key === deviceId)?.detail;
    expect(conflictOn('DVE-P')).toMatch(/--delete/);
    if (policy === 'peer') expect(conflictOn('DVE-Q')).toMatch(/--conflict peer.*--delete/);
    const operations = report.plan?.operations ?? [];
    expect(operations.some((operation) => operation.kind === 'delete-license')).toBe(false);
    expect(operationsByServer(operations)).toEqual(['render block license:DVE-P', 'render create-license license:DVE-Q']);
    // Under `peer` render's deletion won and is undone only for want of --delete; under `primary` the primary's version won.
    expect(operations.find((operation) => operation.key === 'license:DVE-Q')?.reason).toMatch(policy === 'peer' ? /--delete/ : /--conflict primary/);
    expect(await ownerNames(g, 'DVE-P')).toEqual(['absent', 'Edited on render']);
    expect((await rowsOf(g, 'DVE-P')).peer?.status).toBe('blocked');
    expect([...(await allowMap(renderOf(g), ['DVE-P'])).values()]).toEqual([false]);
    expect(await ownerNames(g, 'DVE-Q')).toEqual(['Edited on the primary', 'Edited on the primary']);
    await expectSecondRunEmpty(g, policy);
  });
});
