import { describe, expect, it } from 'vitest';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, writesReceived } from '../support/sync-pair.js';
import { adminPanel, licensesOn, runGroupJson, sideDifferences } from './support/two-way-helpers.js';

// The scheduled one-way sync runs again as soon as the primary is back, maybe
// before anyone runs --mode two-way. It must not undo what resellers did on the
// backup meanwhile: it refuses (exit 4) and says what to do.

// The strict mirror (one-way) as the operator configured it; the default round trip merges such work by itself (failover-round-trip.test.ts).
const group = useServerGroup({ backups: 1, names: ['render'], env: { SYNC_DBS_MODE: 'one-way' } });

const licenses = Array.from({ length: 12 }, (_, index) => allowedLicense(`F-${String(index).padStart(2, '0')}`));

describe('a one-way sync after work was done on the backup', () => {
  it('refuses to undo it, names the licenses, and writes nothing; --mode two-way then merges it', async () => {
    const g = group();
    const [render] = g.backups;
    if (render === undefined) throw new Error('no backup');
    await g.load(datasetOf({ licenses }), datasetOf({}));
    expect((await runGroupJson(g)).exitCode).toBe(0);

    const panel = await adminPanel(render);
    await panel.block('F-03'); // a clone stopped on the backup during the failover
    await panel.create('NEW-ON-RENDER');
    await Promise.all([g.primary.control.resetStats(), render.control.resetStats()]);

    const refused = await runGroupJson(g);
    expect(refused.exitCode, refused.stderr).toBe(4);
    expect(refused.report.targets[0]).toMatchObject({ server: 'render', outcome: 'refused' });
    expect(refused.report.guards).toEqual([
      { guard: 'backup-changed-since-base', message: expect.stringMatching(/^2 licenses were created or changed on render since the last sync .*\(F-03, NEW-ON-RENDER\).*--mode two-way/) },
    ]);
    expect(await writesReceived(render)).toBe(0);
    expect((await licensesOn(render)).get('F-03')?.status).toBe('blocked');

    const merged = await runGroupJson(g, ['--mode', 'two-way']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect((await licensesOn(g.primary)).get('F-03')?.status).toBe('blocked');
    expect(await sideDifferences(g.primary, render)).toEqual([]);
    expect((await runGroupJson(g)).exitCode).toBe(0);
  });

  it('goes on with --force, overwriting the backup with the primary, and says what it overrode', async () => {
    const g = group();
    const [render] = g.backups;
    if (render === undefined) throw new Error('no backup');
    await g.load(datasetOf({ licenses }), datasetOf({}));
    expect((await runGroupJson(g)).exitCode).toBe(0);
    await (await adminPanel(render)).edit('F-05', { owner_name: 'Edited on render' });

    const forced = await runGroupJson(g, ['--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.report.forcedGuards.map((guard) => guard.guard)).toEqual(['backup-changed-since-base']);
    expect((await licensesOn(render)).get('F-05')?.owner_name).toBe('Owner of F-05');
  });

  it('restores a backup that lost licenses without complaint (a wiped free-tier database is not work)', async () => {
    const g = group();
    const [render] = g.backups;
    if (render === undefined) throw new Error('no backup');
    await g.load(datasetOf({ licenses }), datasetOf({}));
    expect((await runGroupJson(g)).exitCode).toBe(0);
    await render.control.loadState(datasetOf({}));

    const restored = await runGroupJson(g);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.report.plan?.summary.create).toBe(12);
    expect(await sideDifferences(g.primary, render)).toEqual([]);
  });
});
