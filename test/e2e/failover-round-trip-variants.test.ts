import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_FILE_NAME } from '../../src/execute/password-file.js';
import { useServerGroup, type ServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { generatedPassword, resellerSession } from './support/reseller-session.js';
import { dataOf, expectAllInStep, expectPendingDeletionReported, expectSameAnswerEverywhere, renderAndKoyeb, rowOn, runSummary, writesOn } from './support/round-trip.js';
import { adminPanel, licensesOn, runGroupJson } from './support/two-way-helpers.js';

// Variants of the failover round trip (issue 14), each on fresh servers: a
// primary and two backups (render, then koyeb), the scheduled command
// `sync-dbs sync` with no mode flag. The primary had no change of its own (a
// sale on a backup must not be silently absorbed); only a deletion was made on
// a backup; a backup's database was wiped.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

const RESELLER = { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const };
const IDS = Array.from({ length: 12 }, (_, index) => `F-${String(index).padStart(2, '0')}`);
const LICENSES = IDS.map((id, index) => allowedLicense(id, index < 6 ? { created_by: 'revenda-a' } : index === 9 ? { status: 'blocked' } : {}));

/** Loads 12 licenses and a reseller on the primary, empty backups, and runs the scheduled command once: all three in step. */
async function inStep(g: ServerGroup): Promise<void> {
  await g.load(datasetOf({ users: [RESELLER], licenses: LICENSES }), datasetOf({}), datasetOf({}));
  const first = await runGroupJson(g, ['sync']);
  expect(first.exitCode, runSummary(first)).toBe(0);
  await expectAllInStep(g.servers);
}

/** The primary goes down, revenda-a sells R-100 on render with the password the sync generated for it there, the primary comes back. */
async function saleOnRenderDuringOutage(g: ServerGroup): Promise<void> {
  const { render } = renderAndKoyeb(g);
  await g.primary.stop();
  const seller = await resellerSession(render, 'revenda-a', await generatedPassword(g.stateDir, 'render', 'revenda-a'));
  await seller.sell('R-100');
  await g.primary.start();
}

describe('the absorbed-sale case: the primary had no change of its own', () => {
  it('one scheduled run brings the sale made on render to the primary and to koyeb', async () => {
    const g = group();
    const { render, koyeb } = renderAndKoyeb(g);
    await inStep(g);
    await saleOnRenderDuringOutage(g);

    const run = await runGroupJson(g, ['sync']);

    expect(run.exitCode, runSummary(run)).toBe(0);
    for (const server of [g.primary, koyeb]) {
      const row = (await licensesOn(server)).get('R-100');
      expect(row?.created_by, `R-100, sold on render during the outage, on ${server.name}`).toBe('revenda-a');
    }
    await expectAllInStep(g.servers);
    const answers = await expectSameAnswerEverywhere(g.servers, ['R-100']);
    expect(answers.get('R-100'), 'the primary lets the customer of R-100 in').toBe(true);
    expect((await rowOn(render, 'R-100')).created_by).toBe('revenda-a');

    const plan = await runGroupJson(g, ['plan']);
    expect(plan.exitCode, runSummary(plan)).toBe(0);
    expect(plan.report.plan?.operations).toEqual([]);
  });

  it('--mode one-way refuses (exit 4), writes nothing, names the command to run with --backup render and says what --force would do', async () => {
    const g = group();
    const { render, koyeb } = renderAndKoyeb(g);
    await inStep(g);
    await saleOnRenderDuringOutage(g);
    const before = { primary: await dataOf(g.primary), render: await dataOf(render), koyeb: await dataOf(koyeb) };
    await g.resetStats();

    const strict = await g.cli(['sync', '--mode', 'one-way']);

    const output = `exit ${String(strict.exitCode)}\nstdout:\n${strict.stdout}\nstderr:\n${strict.stderr}`;
    expect(strict.exitCode, output).toBe(4);
    expect(strict.stderr, `the refusal names the command to run: ${output}`).toContain('--backup render');
    expect(strict.stderr, `the refusal says what --force does: ${output}`).toMatch(/--force/);
    expect(strict.stderr, `the refusal says what --force destroys: ${output}`).toMatch(/lose|lost|undo|destroy|R-100|1 license/i);
    expect({ primary: await writesOn(g.primary), render: await writesOn(render), koyeb: await writesOn(koyeb) }, 'writes of the refused run').toEqual({
      primary: [],
      render: [],
      koyeb: [],
    });
    expect({ primary: await dataOf(g.primary), render: await dataOf(render), koyeb: await dataOf(koyeb) }).toEqual(before);

    // The refusal did not absorb the sale into the base: the scheduled command still brings it back.
    const run = await runGroupJson(g, ['sync']);
    expect(run.exitCode, runSummary(run)).toBe(0);
    expect((await licensesOn(g.primary)).get('R-100')?.created_by, 'R-100 on the primary after the refusal and a scheduled run').toBe('revenda-a');
    await expectAllInStep(g.servers);
  });
});

describe('only a deletion made on a backup', () => {
  it('is restored by the scheduled run with a warning (exit 0), stays pending, and a --delete run deletes it everywhere', async () => {
    const g = group();
    const { render } = renderAndKoyeb(g);
    await inStep(g);
    await (await adminPanel(render)).remove('F-04');

    const run = await runGroupJson(g, ['sync']);

    expect(run.exitCode, runSummary(run)).toBe(0);
    for (const server of g.servers) expect((await licensesOn(server)).has('F-04'), `F-04 on ${server.name} after the scheduled run`).toBe(true);
    expect((await rowOn(render, 'F-04')).created_by, 'F-04 restored on render as it was').toBe('revenda-a');
    await expectAllInStep(g.servers);
    await expectSameAnswerEverywhere(g.servers, ['F-04']);
    expectPendingDeletionReported(g.stateDir, [run], 'F-04');

    const deleting = await runGroupJson(g, ['sync', '--delete', '--max-delete', '5']);
    expect(deleting.exitCode, runSummary(deleting)).toBe(0);
    for (const server of g.servers) expect((await licensesOn(server)).has('F-04'), `F-04 on ${server.name} after the --delete run`).toBe(false);
    await expectAllInStep(g.servers);
    const plan = await runGroupJson(g, ['plan']);
    expect(plan.exitCode, runSummary(plan)).toBe(0);
    expect(plan.report.plan?.operations).toEqual([]);
  });
});

describe('a backup that was wiped', () => {
  it('is filled by the scheduled run, and nothing is deleted on the primary or the other backup, even with --delete', async () => {
    const g = group();
    const { render, koyeb } = renderAndKoyeb(g);
    await inStep(g);
    await (await adminPanel(g.primary)).edit('F-07', { owner_name: 'Edited on the primary after the wipe' });
    await koyeb.control.loadState(datasetOf({})); // a free-tier database reset
    const kept = { primary: await dataOf(g.primary), render: await dataOf(render) };
    await g.resetStats();

    const run = await runGroupJson(g, ['sync']);

    expect(run.exitCode, runSummary(run)).toBe(0);
    expect(await dataOf(g.primary), 'the primary after filling koyeb').toEqual(kept.primary);
    expect(await writesOn(g.primary), 'writes to the primary').toEqual([]);
    expect((await writesOn(render)).filter((line) => line.includes('deleted')), 'deletions on render').toEqual([]);
    expect((await licensesOn(koyeb)).size, 'licenses on koyeb after the fill').toBe(12);
    expect((await rowOn(koyeb, 'F-07')).owner_name).toBe('Edited on the primary after the wipe');
    await expectAllInStep(g.servers);
    await expectSameAnswerEverywhere(g.servers, IDS);
    expect((await licensesOn(render)).size).toBe(kept.render.devices.length);

    // The wipe's "deletions" are not pending: a --delete run deletes nothing.
    const deleting = await runGroupJson(g, ['sync', '--delete', '--max-delete', '20']);
    expect(deleting.exitCode, runSummary(deleting)).toBe(0);
    for (const server of g.servers) expect((await licensesOn(server)).size, `licenses on ${server.name} after a --delete run`).toBe(12);
    const plan = await runGroupJson(g, ['plan']);
    expect(plan.exitCode, runSummary(plan)).toBe(0);
    expect(plan.report.plan?.operations).toEqual([]);
  });
});

describe('a refused round trip', () => {
  it('names the refusal and the way out, writes nothing, and points at no passwords file it did not write', async () => {
    const g = group();
    const { render, koyeb } = renderAndKoyeb(g);
    await inStep(g);
    await (await adminPanel(render)).createReseller('revenda-c'); // a reseller the primary would get, with a new password
    // The primary comes back from a restore that lost most of its licenses.
    await g.primary.control.loadState(datasetOf({ users: [RESELLER], licenses: LICENSES.slice(0, 3) }));
    const before = { primary: await dataOf(g.primary), render: await dataOf(render), koyeb: await dataOf(koyeb) };
    const passwordFile = path.join(g.stateDir, PASSWORD_FILE_NAME);
    const passwordsBefore = readFileSync(passwordFile, 'utf8'); // revenda-a's on the backups, from the first run
    await g.resetStats();

    const run = await runGroupJson(g, ['sync']);
    const text = await g.cli(['sync']);

    expect(run.exitCode, runSummary(run)).toBe(4);
    expect(run.report.outcome).toBe('refused');
    expect(run.report.guards.map((guard) => guard.guard)).toContain('shrunk-since-last-good-run');
    expect(run.report.guards.map((guard) => guard.message).join('\n'), 'the refusal says the way out').toMatch(/--force/);
    expect(text.exitCode).toBe(4);
    expect({ primary: await writesOn(g.primary), render: await writesOn(render), koyeb: await writesOn(koyeb) }, 'writes of the refused runs').toEqual({
      primary: [],
      render: [],
      koyeb: [],
    });
    expect({ primary: await dataOf(g.primary), render: await dataOf(render), koyeb: await dataOf(koyeb) }).toEqual(before);
    // No user was created, so no password was written: no report may send the operator to the file.
    expect(readFileSync(passwordFile, 'utf8'), 'the passwords file after the refused runs').toBe(passwordsBefore);
    expect(run.report.newUserPasswordsFile, 'the JSON report names a passwords file').toBeNull();
    expect(`${text.stdout}\n${text.stderr}`, 'the text report of the refused run names the passwords file').not.toMatch(new RegExp(`${PASSWORD_FILE_NAME}|New users' passwords`));
  });
});
