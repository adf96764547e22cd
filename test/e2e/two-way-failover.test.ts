import { describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, writesReceived } from '../support/sync-pair.js';
import {
  adminPanel,
  directionLines,
  licensesOn,
  operationsByServer,
  runGroupJson,
  sideDifferences,
  statusClass,
  storedReportText,
  usernamesOn,
  verifyDisagreements,
} from './support/two-way-helpers.js';

// The acceptance scenario of issue 5, with the built CLI as a process and the
// servers as emulators on loopback: a one-way sync (--mode one-way); the primary goes down and
// resellers keep working on the backup (render); the primary comes back and
// gets changes of its own; one `sync --mode two-way` then leaves both servers
// holding all the work, and a second one has nothing to do. The peer's and the
// primary's changes are made through their API, the way the panel makes them.

const group = useServerGroup({ backups: 1, names: ['render'] });

const RESELLERS = [
  { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const },
  { username: 'revenda-b', password: 'revenda-b-123', role: 'user' as const },
];

/** 40 licenses: 0-9 sold by revenda-a, 10-19 by revenda-b, 30-34 blocked. */
function primaryDataset() {
  const licenses = Array.from({ length: 40 }, (_, index) => {
    const deviceId = `L-${String(index).padStart(3, '0')}`;
    const createdBy = index < 10 ? 'revenda-a' : index < 20 ? 'revenda-b' : 'admin';
    return allowedLicense(deviceId, { created_by: createdBy, ...(index >= 30 && index < 35 ? { status: 'blocked' as const } : {}) });
  });
  return datasetOf({ users: RESELLERS, licenses });
}

describe('after a failover, sync --mode two-way', () => {
  it('merges the work done on the peer while the primary was down with the primary’s own changes, and a second run plans nothing', async () => {
    const g = group();
    const [render] = g.backups;
    const primary = g.primary;
    if (render === undefined) throw new Error('no backup');
    await g.load(primaryDataset(), datasetOf({}));

    // 1. A one-way sync (the strict mirror, as before the round trip became the default); it records the pair's base.
    const first = await runGroupJson(g, ['sync', '--mode', 'one-way']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.report.targets).toMatchObject([{ server: 'render', outcome: 'in-sync', baseRecorded: true }]);
    expect(await sideDifferences(primary, render)).toEqual([]);

    // 2. The primary goes down; on render, resellers keep working.
    await primary.stop();
    await expect(rawRequest(primary.url, { path: '/health' })).rejects.toThrow();
    const onRender = await adminPanel(render);
    await onRender.createReseller('revenda-c');
    await onRender.create('N-001', { created_by: 'revenda-a' });
    await onRender.create('N-002');
    await onRender.block('N-002'); // a clone, stopped as soon as it showed up
    await onRender.create('N-003', { created_by: 'revenda-c', license_type: 'mensal' });
    await onRender.block('L-001');
    await onRender.block('L-002');
    await onRender.edit('L-003', { owner_name: 'Maria Edited-On-Render' });
    await onRender.edit('L-004', { email: 'new-l004@render.example.com', license_type: 'semestral' });
    await onRender.reown('L-005', 'revenda-c');

    // 3. The primary comes back with the data it had, and gets changes of its own.
    await primary.start();
    const onPrimary = await adminPanel(primary);
    await onPrimary.edit('L-010', { address: 'Avenida Nova, 10, Recife' });
    await onPrimary.edit('L-011', { owner_name: 'João Edited-On-Primary' });
    await onPrimary.block('L-012');
    await onPrimary.create('P-100', { created_by: 'revenda-b' });
    await onPrimary.activate('L-030'); // blocked at the base
    await g.resetStats();

    // 4. The two-way run.
    const merged = await runGroupJson(g, ['sync', '--mode', 'two-way']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    const report = merged.report;
    expect(report).toMatchObject({ mode: 'two-way', resync: false, outcome: 'in-sync', exitCode: 0 });
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]).toMatchObject({ server: 'render', url: render.url, outcome: 'in-sync', exitCode: 0, baseRecorded: true, verified: { inSync: true } });
    // It merged against the base the one-way sync recorded: no --resync needed.
    expect(report.targets[0]?.base).toMatchObject({ mode: 'one-way', runId: first.report.runId });
    expect(report.servers.map((server) => [server.name, server.url])).toEqual([
      ['primary', primary.url],
      ['render', render.url],
    ]);
    expect(operationsByServer(report.plan?.operations ?? [])).toEqual(
      [
        'primary create-user user:revenda-c',
        'primary create-license license:N-001',
        'primary create-license license:N-002',
        'primary create-license license:N-003',
        'primary block license:L-001',
        'primary block license:L-002',
        'primary update-license license:L-003',
        'primary update-license license:L-004',
        'primary update-created-by license:L-005',
        'render update-license license:L-010',
        'render update-license license:L-011',
        'render block license:L-012',
        'render create-license license:P-100',
        'render activate license:L-030',
      ].sort(),
    );
    const n002 = report.plan?.operations.find((operation) => operation.key === 'license:N-002');
    expect(n002?.kind === 'create-license' ? n002.thenBlock : 'not a create').not.toBeNull();
    expect(report.plan?.conflicts).toEqual([]);
    expect(report.applied.summary).toMatchObject({ done: 14, failed: 0, notSent: 0 });
    expect(operationsByServer(report.applied.operations)).toEqual(operationsByServer(report.plan?.operations ?? []));
    expect(report.applied.operations.every((operation) => operation.status === 'done')).toBe(true);
    expect(report.failures).toEqual([]);
    // Each write went where the report says.
    expect(await writesReceived(primary)).toBeGreaterThanOrEqual(9);
    expect(await writesReceived(render)).toBeGreaterThanOrEqual(5);

    // 5. Both servers hold all the work.
    expect(await sideDifferences(primary, render)).toEqual([]);
    expect(await usernamesOn(primary)).toEqual(['revenda-a', 'revenda-b', 'revenda-c']);
    expect(await usernamesOn(render)).toEqual(['revenda-a', 'revenda-b', 'revenda-c']);
    for (const server of [primary, render]) {
      const rows = await licensesOn(server);
      expect(rows.size, server.url).toBe(44);
      const row = (deviceId: string) => {
        const found = rows.get(deviceId);
        if (found === undefined) throw new Error(`${deviceId} is not on ${server.url}`);
        return found;
      };
      expect(['N-001', 'N-002', 'N-003', 'P-100'].map((id) => row(id).created_by)).toEqual(['revenda-a', 'admin', 'revenda-c', 'revenda-b']);
      expect(['L-001', 'L-002', 'N-002', 'L-012', 'L-030', 'L-031'].map((id) => statusClass(row(id).status))).toEqual(['held', 'held', 'held', 'held', 'open', 'held']);
      expect(row('L-003').owner_name).toBe('Maria Edited-On-Render');
      expect([row('L-004').email, row('L-004').license_type]).toEqual(['new-l004@render.example.com', 'semestral']);
      expect(row('L-005').created_by).toBe('revenda-c');
      expect(row('L-010').address).toBe('Avenida Nova, 10, Recife');
      expect(row('L-011').owner_name).toBe('João Edited-On-Primary');
      expect(row('N-003').license_type).toBe('mensal');
    }

    // 6. /verify gives the same answer on both for every device_id of the union.
    const verified = await verifyDisagreements(primary, render, ['never-registered']);
    expect(verified.ids).toHaveLength(45);
    expect(verified.differences).toEqual([]);
    expect(['L-001', 'L-003', 'L-012', 'L-030', 'L-033', 'N-001', 'N-002', 'P-100', 'never-registered'].map((id) => verified.onA.get(id))).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);

    // 7. The text report of that run shows the direction of every write.
    const text = storedReportText(g.stateDir, report.runId as number);
    expect(text).toMatch(/^Result: In sync: .*\n\nsync-dbs sync \(two-way\): /);
    const directions = directionLines(text);
    expect(directions.toPrimary.some((line) => line.includes('license N-001'))).toBe(true);
    expect(directions.toPrimary.some((line) => line.includes('user revenda-c'))).toBe(true);
    expect(directions.toPeer('render').some((line) => line.includes('license L-012'))).toBe(true);
    expect(directions.toPeer('render').some((line) => line.includes('license P-100'))).toBe(true);
    expect(directions.toPrimary.some((line) => line.includes('license L-012'))).toBe(false);

    // 8. A second two-way run has nothing to do and writes nothing.
    await g.resetStats();
    const second = await runGroupJson(g, ['sync', '--mode', 'two-way']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.report.outcome).toBe('in-sync');
    expect(second.report.plan?.operations).toEqual([]);
    expect(second.report.plan?.conflicts).toEqual([]);
    expect(second.report.targets[0]?.base).toMatchObject({ mode: 'two-way', runId: report.runId });
    expect([await writesReceived(primary), await writesReceived(render)]).toEqual([0, 0]);
  });
});
