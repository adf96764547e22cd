import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import { rawRequest } from '../support/raw-http.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, writesReceived } from '../support/sync-pair.js';
import { generatedPassword, resellerSession } from './support/reseller-session.js';
import {
  dataOf,
  expectAllInStep,
  expectPendingDeletionReported,
  expectSameAnswerEverywhere,
  renderAndKoyeb,
  rowOn,
  runSummary,
  scheduledRunsUntilInStep,
  writesOn,
} from './support/round-trip.js';
import { adminPanel, licensesOn, runGroupJson, statusClass, usernamesOn } from './support/two-way-helpers.js';
import { verifyAllow } from './support/e2e-helpers.js';

// The failover story of issue 14, with the built CLI as a process and the
// servers as emulators on loopback: a primary and two backups (render, then
// koyeb, in that configured order) kept in step by the scheduled command
// (`sync-dbs sync`, no mode flag). The primary gets its last edits and goes
// down before the next run; resellers and the administrator keep working on
// both backups; the hourly runs fail (exit 3) and touch nothing; the primary
// comes back and the same scheduled command, at most twice, leaves all three
// servers holding all the work and giving every client the same answer.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

const RESELLERS = [
  { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const, email: 'a@revenda.com.br' },
  { username: 'revenda-b', password: 'revenda-b-123', role: 'user' as const, email: 'b@revenda.com.br' },
];

/** 40 licenses: L-000..L-009 sold by revenda-a, L-010..L-019 by revenda-b, the rest by admin; L-030..L-034 blocked. */
function primaryDataset(): Dataset {
  const licenses = Array.from({ length: 40 }, (_, index) => {
    const deviceId = `L-${String(index).padStart(3, '0')}`;
    const createdBy = index < 10 ? 'revenda-a' : index < 20 ? 'revenda-b' : 'admin';
    return allowedLicense(deviceId, { created_by: createdBy, ...(index >= 30 && index < 35 ? { status: 'blocked' as const } : {}) });
  });
  return datasetOf({ users: RESELLERS, licenses });
}

/** Every device_id any server held at some point of the story, and one never registered. */
const EVERY_ID = [
  ...Array.from({ length: 40 }, (_, index) => `L-${String(index).padStart(3, '0')}`),
  'P-001',
  'P-LAST-1',
  'P-LAST-2',
  'R-001',
  'R-002',
  'K-001',
  'never-registered',
];

const RENDER_EMAIL_OF_X = 'l005@render.example.com';
const KOYEB_OWNER_OF_X = 'Owner of X, edited on koyeb';
const RENDER_OWNER_OF_Y = 'Owner of Y, edited on render';
const KOYEB_OWNER_OF_Y = 'Owner of Y, edited on koyeb';

describe('the failover round trip, by the scheduled command alone', () => {
  it('merges the outage work of both backups and the primary’s last edits, respects deletions, and then plans nothing', { timeout: 180_000 }, async () => {
    const g = group();
    const { primary } = g;
    const { render, koyeb } = renderAndKoyeb(g);
    const all = [primary, render, koyeb];
    await g.load(primaryDataset(), datasetOf({}), datasetOf({}));

    // 1. The first scheduled run fills both backups.
    const first = await runGroupJson(g, ['sync']);
    expect(first.exitCode, runSummary(first)).toBe(0);
    await expectAllInStep(all);
    expect(await usernamesOn(render)).toEqual(['revenda-a', 'revenda-b']);

    // 2. Normal hours: the primary's administrator works, the next run copies it.
    const onPrimary = await adminPanel(primary);
    await onPrimary.edit('L-020', { owner_name: 'Edited in normal hours' });
    await onPrimary.block('L-021');
    await onPrimary.activate('L-034');
    await onPrimary.create('P-001', { created_by: 'revenda-b' });
    const normal = await runGroupJson(g, ['sync']);
    expect(normal.exitCode, runSummary(normal)).toBe(0);
    await expectAllInStep(all);
    expect(statusClass((await rowOn(koyeb, 'L-021')).status)).toBe('held');

    // 3. The primary's last edits, which no run copies before it stops.
    await onPrimary.edit('L-022', { address: 'Avenida Final, 22, Recife' });
    await onPrimary.block('L-023');
    await onPrimary.remove('L-024');
    await (await resellerSession(primary, 'revenda-a', 'revenda-a-123')).sell('P-LAST-1');
    await (await resellerSession(primary, 'revenda-b', 'revenda-b-123')).sell('P-LAST-2', { license_type: 'semestral' });

    // 4. The primary goes down; clients fail over; work goes on on both backups.
    await primary.stop();
    await expect(rawRequest(primary.url, { path: '/health' })).rejects.toThrow();

    const sellerOnRender = await resellerSession(render, 'revenda-a', await generatedPassword(g.stateDir, 'render', 'revenda-a'));
    await sellerOnRender.sell('R-001');
    await sellerOnRender.sell('R-002', { license_type: 'mensal' });
    const onRender = await adminPanel(render);
    await onRender.block('L-001'); // clones, stopped as soon as they showed up
    await onRender.block('L-002');
    await onRender.edit('L-005', { email: RENDER_EMAIL_OF_X }); // license X
    await onRender.edit('L-008', { owner_name: RENDER_OWNER_OF_Y }); // license Y
    await onRender.activate('L-031'); // blocked at the base
    await onRender.remove('L-006');
    await onRender.createReseller('revenda-c');

    const sellerOnKoyeb = await resellerSession(koyeb, 'revenda-b', await generatedPassword(g.stateDir, 'koyeb', 'revenda-b'));
    await sellerOnKoyeb.sell('K-001', { license_type: 'trimestral' });
    const onKoyeb = await adminPanel(koyeb);
    await onKoyeb.block('L-013');
    await onKoyeb.edit('L-008', { owner_name: KOYEB_OWNER_OF_Y }); // the field render edited: render is merged first and wins
    await onKoyeb.edit('L-005', { owner_name: KOYEB_OWNER_OF_X }); // another field of X: both edits are kept

    // 5. The hourly runs while the primary is down: exit 3, nothing written anywhere.
    const beforeOutageRuns = { render: await dataOf(render), koyeb: await dataOf(koyeb) };
    await g.resetStats();
    for (let hour = 1; hour <= 2; hour++) {
      const outage = await runGroupJson(g, ['sync', '--wake-timeout', '0']);
      expect(outage.exitCode, `hourly run ${hour} with the primary down: ${runSummary(outage)}`).toBe(3);
      expect(outage.report.outcome).toBe('unreachable');
      expect(outage.report.applied.summary.done).toBe(0);
    }
    expect({ render: await writesOn(render), koyeb: await writesOn(koyeb) }, 'writes during the outage').toEqual({ render: [], koyeb: [] });
    expect({ render: await dataOf(render), koyeb: await dataOf(koyeb) }, 'the backups’ data after the outage runs').toEqual(beforeOutageRuns);

    // 6. The primary comes back with the data it held; the scheduled command, at most twice.
    await primary.start();
    const back = await scheduledRunsUntilInStep(g);

    // Every piece of work is on all three servers (the primary's deletion, L-024, apart).
    await expectAllInStep(all, ['L-024']);
    for (const server of all) {
      const rows = await licensesOn(server);
      const row = async (deviceId: string) => rowOn(server, deviceId);
      const where = `on ${server.name}`;
      // Outage work on render.
      expect([(await row('R-001')).created_by, (await row('R-002')).created_by, (await row('R-002')).license_type], `render's sales ${where}`).toEqual([
        'revenda-a',
        'revenda-a',
        'mensal',
      ]);
      expect([statusClass((await row('L-001')).status), statusClass((await row('L-002')).status)], `render's clone blocks ${where}`).toEqual(['held', 'held']);
      expect(statusClass((await row('L-031')).status), `render's unblock of L-031 ${where}`).toBe('open');
      expect((await row('L-006')).owner_name, `L-006, deleted on render without --delete, restored ${where}`).toBe('Owner of L-006');
      // Outage work on koyeb.
      expect([(await row('K-001')).created_by, (await row('K-001')).license_type], `koyeb's sale ${where}`).toEqual(['revenda-b', 'trimestral']);
      expect(statusClass((await row('L-013')).status), `koyeb's block of L-013 ${where}`).toBe('held');
      // License X: render's e-mail and koyeb's owner name, both kept.
      expect([(await row('L-005')).email, (await row('L-005')).owner_name], `license X (L-005) ${where}`).toEqual([RENDER_EMAIL_OF_X, KOYEB_OWNER_OF_X]);
      // License Y: the same field edited on both backups; render, configured first, wins.
      expect((await row('L-008')).owner_name, `license Y (L-008) ${where}`).toBe(RENDER_OWNER_OF_Y);
      // The primary's last edits reached the backups.
      expect((await row('L-022')).address, `the primary's last edit ${where}`).toBe('Avenida Final, 22, Recife');
      expect(statusClass((await row('L-023')).status), `the primary's last block ${where}`).toBe('held');
      expect([(await row('P-LAST-1')).created_by, (await row('P-LAST-2')).created_by, (await row('P-LAST-2')).license_type], `the primary's last sales ${where}`).toEqual([
        'revenda-a',
        'revenda-b',
        'semestral',
      ]);
      // Normal hours, untouched since.
      expect([(await row('L-020')).owner_name, statusClass((await row('L-021')).status), statusClass((await row('L-034')).status), (await row('P-001')).created_by]).toEqual([
        'Edited in normal hours',
        'held',
        'open',
        'revenda-b',
      ]);
      // The primary's deletion: never re-created on the primary; on a backup absent, or present and denied.
      const l024 = rows.get('L-024');
      if (server === primary) expect(l024, 'L-024, deleted on the primary, re-created there').toBeUndefined();
      else if (l024 !== undefined) expect(await verifyAllow(server, 'L-024'), `L-024 (deleted on the primary) is allowed ${where}`).toBe(false);
      expect(await usernamesOn(server), `the resellers ${where}`).toEqual(['revenda-a', 'revenda-b', 'revenda-c']);
    }
    expect((await licensesOn(primary)).size, 'licenses on the primary: 40 - L-024 + P-001, P-LAST-1, P-LAST-2, R-001, R-002, K-001').toBe(45);

    // Every client gets the same answer from all three, for every id any of them ever held.
    const answers = await expectSameAnswerEverywhere(all, EVERY_ID);
    expect(['L-001', 'L-005', 'L-006', 'L-013', 'L-024', 'L-031', 'R-001', 'K-001', 'P-LAST-1', 'never-registered'].map((id) => [id, answers.get(id)])).toEqual([
      ['L-001', false],
      ['L-005', true],
      ['L-006', true],
      ['L-013', false],
      ['L-024', false],
      ['L-031', true],
      ['R-001', true],
      ['K-001', true],
      ['P-LAST-1', true],
      ['never-registered', false],
    ]);

    // Render's deletion was not carried out (no --delete): reported as pending, in JSON and in the text report.
    expectPendingDeletionReported(g.stateDir, back, 'L-006');

    // 7. The next plan is empty, and the next run writes nothing.
    const plan = await runGroupJson(g, ['plan']);
    expect(plan.exitCode, runSummary(plan)).toBe(0);
    expect(plan.report.plan?.operations, 'operations planned right after the round trip').toEqual([]);
    await g.resetStats();
    const again = await runGroupJson(g, ['sync']);
    expect(again.exitCode, runSummary(again)).toBe(0);
    expect({ primary: await writesOn(primary), render: await writesOn(render), koyeb: await writesOn(koyeb) }, 'writes of the run after the round trip').toEqual({
      primary: [],
      render: [],
      koyeb: [],
    });

    // 8. With --delete, both pending deletions are carried out everywhere.
    const deleting = await runGroupJson(g, ['sync', '--delete', '--max-delete', '10']);
    expect(deleting.exitCode, runSummary(deleting)).toBe(0);
    for (const server of all) {
      const rows = await licensesOn(server);
      expect([rows.has('L-006'), rows.has('L-024')], `L-006 (deleted on render) and L-024 (deleted on the primary) on ${server.name} after --delete`).toEqual([false, false]);
    }
    await expectAllInStep(all);
    await expectSameAnswerEverywhere(all, EVERY_ID);
    const finalPlan = await runGroupJson(g, ['plan']);
    expect(finalPlan.exitCode, runSummary(finalPlan)).toBe(0);
    expect(finalPlan.report.plan?.operations, 'operations planned after the --delete run').toEqual([]);
    expect(await writesReceived(primary), 'writes to the primary since step 7: the --delete run deleted L-006 there').toBeGreaterThan(0);
  });
});
