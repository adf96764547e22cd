import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServerGroup, type ServerGroup } from '../support/server-group.js';
import { allowedLicense, ADMIN, datasetOf, writesReceived } from '../support/sync-pair.js';
import { seedForFailures } from './support/e2e-helpers.js';
import { runGroupJson, sideDifferences, storedBases, storedReportText, usernamesOn, type JsonReport } from './support/two-way-helpers.js';

// One primary and two backups (render and koyeb, named through
// SYNC_DBS_BACKUP_NAME and SYNC_DBS_BACKUP_2_*), with the built CLI as a
// process: each backup is synced concurrently and independently, one that is
// down or failing does not stop the other, the exit code is the worst of the
// backups' codes, the report has a block per backup, --backup selects some.

// The strict mirror (one-way) into several backups; the round trip over several backups is failover-round-trip.test.ts.
const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'], env: { SYNC_DBS_MODE: 'one-way' } });

const RESELLER = { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const };
const LICENSES = Array.from({ length: 15 }, (_, index) =>
  allowedLicense(`M-${String(index).padStart(2, '0')}`, index === 3 ? { status: 'blocked' } : index < 5 ? { created_by: 'revenda-a' } : {}),
);

/** The primary: 15 licenses (one blocked) and a reseller. Render: a stale copy (10 licenses, the reseller). Koyeb: empty. */
async function loadStaleBackups(g: ServerGroup): Promise<void> {
  await g.load(datasetOf({ users: [RESELLER], licenses: LICENSES }), datasetOf({ users: [RESELLER], licenses: LICENSES.slice(0, 10) }), datasetOf({}));
}

function backupsOf(g: ServerGroup) {
  const [render, koyeb] = g.backups;
  if (render === undefined || koyeb === undefined) throw new Error('two backups expected');
  return { render, koyeb };
}

/** Every planned and applied operation names the server it writes to: these are the servers named. */
function serversWritten(report: JsonReport): { planned: string[]; applied: string[] } {
  const names = (operations: readonly { server: string }[]) => [...new Set(operations.map((operation) => operation.server))].sort();
  return { planned: names(report.plan?.operations ?? []), applied: names(report.applied.operations) };
}

describe('one-way sync into two backups', () => {
  it('syncs each backup (exit 0), records a base per pair, reports a block per backup, and a second run writes nothing', async () => {
    const g = group();
    const { render, koyeb } = backupsOf(g);
    await loadStaleBackups(g);

    const run = await runGroupJson(g);

    expect(run.exitCode, run.stderr).toBe(0);
    const { report } = run;
    expect(report).toMatchObject({ mode: 'one-way', outcome: 'in-sync', exitCode: 0 });
    expect(report.servers.map((server) => [server.name, server.url])).toEqual([
      ['primary', g.primary.url],
      ['render', render.url],
      ['koyeb', koyeb.url],
    ]);
    expect(report.targets.map((target) => [target.server, target.url, target.outcome, target.exitCode, target.baseRecorded])).toEqual([
      ['render', render.url, 'in-sync', 0, true],
      ['koyeb', koyeb.url, 'in-sync', 0, true],
    ]);
    expect(report.targets.map((target) => [target.plan?.operations, target.applied])).toEqual([
      [5, { done: 5, failed: 0, notSent: 0 }],
      // 15 licenses (one created then blocked) and the reseller.
      [16, { done: 16, failed: 0, notSent: 0 }],
    ]);
    expect(report.targets.map((target) => target.verified?.inSync)).toEqual([true, true]);
    expect(serversWritten(report)).toEqual({ planned: ['koyeb', 'render'], applied: ['koyeb', 'render'] });
    expect(report.plan?.operations.filter((operation) => operation.server === 'render').map((operation) => operation.key).sort()).toEqual(
      ['M-10', 'M-11', 'M-12', 'M-13', 'M-14'].map((id) => `license:${id}`),
    );
    expect([await writesReceived(render), await writesReceived(koyeb)]).toEqual([5, 17]);
    for (const backup of [render, koyeb]) {
      expect(await sideDifferences(g.primary, backup, ['primary', backup.name])).toEqual([]);
      expect(await usernamesOn(backup)).toEqual(['revenda-a']);
    }
    expect(storedBases(g.stateDir).map((base) => [base.primary_url, base.peer_url, base.mode]).sort()).toEqual(
      [
        [g.primary.url, render.url, 'one-way'],
        [g.primary.url, koyeb.url, 'one-way'],
      ].sort(),
    );

    // The text report (as the state database keeps it): a block per backup, every write with its direction.
    const text = storedReportText(g.stateDir, report.runId as number);
    expect(text).toContain(`── render (${render.url}): `);
    expect(text).toContain(`── koyeb (${koyeb.url}): `);
    expect(text).toMatch(/[+] → render license M-10/);
    expect(text).toMatch(/[+] → koyeb license M-14/);
    expect(text).not.toMatch(/→ render license M-0/);

    await g.resetStats();
    const second = await g.cli([]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain(`── render (${render.url}): `);
    expect(second.stdout).toContain(`── koyeb (${koyeb.url}): `);
    expect([await writesReceived(render), await writesReceived(koyeb)]).toEqual([0, 0]);
  });
});

describe('one backup down', () => {
  it('exits 3, syncs the other, and reports one target in sync and one unreachable', async () => {
    const g = group();
    const { render, koyeb } = backupsOf(g);
    await loadStaleBackups(g);
    await koyeb.stop();

    const run = await runGroupJson(g, ['--wake-timeout', '0']);

    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.report.outcome).toBe('unreachable');
    expect(run.report.targets.map((target) => [target.server, target.outcome, target.exitCode, target.baseRecorded])).toEqual([
      ['render', 'in-sync', 0, true],
      ['koyeb', 'unreachable', 3, false],
    ]);
    expect(run.report.targets[1]?.plan).toBeNull();
    expect(run.report.targets[0]?.verified?.inSync).toBe(true);
    expect(run.report.failures).toEqual([{ server: 'koyeb', endpoint: 'GET /health', key: null, reason: expect.stringMatching(/connection refused/) as string }]);
    expect(serversWritten(run.report).applied).toEqual(['render']);
    expect(await sideDifferences(g.primary, render, ['primary', 'render'])).toEqual([]);
    expect(storedBases(g.stateDir).map((base) => base.peer_url)).toEqual([render.url]);
    expect(run.report.verdict).toMatch(/render/);
    expect(run.report.verdict).toMatch(/koyeb/);

    // The text report: both blocks, the failure in koyeb's.
    const stored = storedReportText(g.stateDir, run.report.runId as number);
    const text = await g.cli(['--wake-timeout', '0']);
    expect(text.exitCode, `${text.stdout}\n${text.stderr}`).toBe(3);
    for (const output of [stored, text.stdout]) {
      expect(output).toContain(`── render (${render.url}): `);
      expect(output).toMatch(new RegExp(`── koyeb \\(${koyeb.url.replace(/[.]/g, '\\.')}\\): .+`));
      const koyebBlock = output.slice(output.indexOf('── koyeb'));
      expect(koyebBlock).toMatch(/GET \/health/);
    }

    // Koyeb back up: the next run syncs it too.
    await koyeb.start();
    const recovered = await runGroupJson(g);
    expect(recovered.exitCode, recovered.stderr).toBe(0);
    expect(await sideDifferences(g.primary, koyeb, ['primary', 'koyeb'])).toEqual([]);
  });

  it('exits 1 when writes to one backup fail while the other is synced, and 3 when the other is down too', async () => {
    const g = group();
    const { render, koyeb } = backupsOf(g);
    await loadStaleBackups(g);
    // Render: the login passes, the five upserts fail (no retry).
    const seed = seedForFailures(0.9, ['pass', 'fail', 'fail', 'fail', 'fail', 'fail']);
    await render.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['500'], scope: 'writes', afterHandlerShare: 0 } });

    const run = await runGroupJson(g, ['--retries', '1', '--concurrency', '1']);

    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.report.outcome).toBe('failed');
    expect(run.report.targets.map((target) => [target.server, target.outcome, target.exitCode])).toEqual([
      ['render', 'failed', 1],
      ['koyeb', 'in-sync', 0],
    ]);
    expect(run.report.targets[0]?.applied).toEqual({ done: 0, failed: 5, notSent: 0 });
    expect(new Set(run.report.failures.map((failure) => failure.server))).toEqual(new Set(['render']));
    expect(await sideDifferences(g.primary, koyeb, ['primary', 'koyeb'])).toEqual([]);

    // Render still failing (the same seed again), koyeb down: the worst code wins.
    await render.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['500'], scope: 'writes', afterHandlerShare: 0 } });
    await koyeb.stop();
    const worse = await runGroupJson(g, ['--retries', '1', '--concurrency', '1', '--wake-timeout', '0']);
    expect(worse.exitCode, worse.stderr).toBe(3);
    expect(worse.report.targets.map((target) => [target.server, target.exitCode])).toEqual([
      ['render', 1],
      ['koyeb', 3],
    ]);
  });
});

describe('--backup', () => {
  it('--backup render syncs render only and never contacts koyeb', async () => {
    const g = group();
    const { render, koyeb } = backupsOf(g);
    await loadStaleBackups(g);

    const run = await runGroupJson(g, ['--backup', 'render']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.targets.map((target) => target.server)).toEqual(['render']);
    expect(run.report.servers.map((server) => server.name)).toEqual(['primary', 'render']);
    expect(serversWritten(run.report)).toEqual({ planned: ['render'], applied: ['render'] });
    expect(await sideDifferences(g.primary, render, ['primary', 'render'])).toEqual([]);
    expect((await koyeb.control.stats()).requests).toEqual({});
    expect((await koyeb.control.state()).devices).toEqual([]);
    expect(storedBases(g.stateDir).map((base) => base.peer_url)).toEqual([render.url]);

    const unknown = await g.cli(['--backup', 'heroku']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/heroku/);
    expect(unknown.stderr).toMatch(/render/);
    expect(unknown.stderr).toMatch(/koyeb/);
  });

  it('takes the backups from a config file list, and --backup koyeb selects the second one', async () => {
    const g = group();
    const { render, koyeb } = backupsOf(g);
    await loadStaleBackups(g);
    const configFile = path.join(g.stateDir, 'sync.json');
    await writeFile(
      configFile,
      JSON.stringify({
        backups: [
          { name: 'render', url: render.url, user: ADMIN.username, password: ADMIN.password },
          { name: 'koyeb', url: koyeb.url, user: ADMIN.username, password: ADMIN.password },
        ],
      }),
    );
    const noBackupEnv = Object.fromEntries(
      Object.keys(g.env())
        .filter((key) => key.startsWith('SYNC_DBS_BACKUP'))
        .map((key) => [key, undefined]),
    );

    const run = await runGroupJson(g, ['--config', configFile, '--backup', 'koyeb'], { env: noBackupEnv });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.targets.map((target) => [target.server, target.url, target.outcome])).toEqual([['koyeb', koyeb.url, 'in-sync']]);
    expect(await sideDifferences(g.primary, koyeb, ['primary', 'koyeb'])).toEqual([]);
    expect((await render.control.stats()).requests).toEqual({});

    const both = await runGroupJson(g, ['--config', configFile], { env: noBackupEnv });
    expect(both.exitCode, both.stderr).toBe(0);
    expect(both.report.targets.map((target) => [target.server, target.outcome])).toEqual([
      ['render', 'in-sync'],
      ['koyeb', 'in-sync'],
    ]);
    expect(await sideDifferences(g.primary, render, ['primary', 'render'])).toEqual([]);
  });
});
