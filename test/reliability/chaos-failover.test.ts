import { describe, expect, it } from 'vitest';
import type { DeviceRow } from '../../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { allowedToday } from '../../src/emulator/write-log.js';
import { contentOf } from '../e2e/support/report.js';
import { editStateDb, licensesOn, runGroupJson, sideDifferences, statusClass, usernamesOn } from '../e2e/support/two-way-helpers.js';
import { useServerGroup } from '../support/server-group.js';
import { TODAY } from '../support/sync-pair.js';
import { armChaos, healAll, runGroupUnderChaos, type GroupChaosRun } from './support/chaos-group-run.js';
import { createdTwice } from './support/chaos-write-log.js';
import { CHAOS_FAILURES, CHAOS_RATE_LIMIT, CHAOS_WAKE_MS, chaosTimingArgs } from './support/chaos-scenario.js';
import { patientPanel } from './support/patient-panel.js';
import { recordScenario } from './support/scenario-results.js';
import { decisionsOn, epochNow } from './support/verify-sampler.js';

// Issue 14, the reliability suite's part: the failover round trip on a bad
// day. A primary and two backups (render, koyeb) in step; the primary's own
// last edits; the primary goes down and resellers keep working on render
// (a new reseller, sales, clone blocks, edits, an unblock, a deletion) through
// render's faults; an hourly run during the outage writes nothing; the primary
// comes back and the plain scheduled command (no mode flag: the round trip,
// no --delete) runs with every server failing 20% of its requests, asleep at
// the start, rate-limited and revoking tokens. Within 3 runs everything
// converges: every piece of work on all three servers, the deletion made on
// render restored and kept pending, the primary's deletion never undone, the
// same /verify answer everywhere, and a clean run plans nothing.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });
const MAX_RUNS = 3;
const LICENSES = 1000;
const USERS = 40;

const RESELLER = 'revenda-falha';
const SALES = ['F-001', 'F-002', 'F-003', 'F-004'];
const CLONE = 'F-CLONE';
const NEW_EMAIL = 'novo-email@render.example.com';
const RENDER_OWNER = 'Dona Editada No Render';
const PRIMARY_ADDRESS = 'Avenida do Primario, 100, Recife';
const PRIMARY_SALE = 'P-NEW';

/** The licenses the story touches, picked from the generated data: each allowed today, owned by someone. */
function pick(devices: readonly DeviceRow[]) {
  const allowed = devices.filter((row) => allowedToday(row, TODAY) && row.created_by !== null).map((row) => row.device_id);
  const blockedButCurrent = devices.find((row) => row.status === 'blocked' && allowedToday({ ...row, status: 'active' }, TODAY));
  const [a, b, c, emailEdit, bothEdited, renderDeleted, primaryBlocked, primaryDeleted] = allowed;
  if (primaryDeleted === undefined || a === undefined || b === undefined || c === undefined || blockedButCurrent === undefined) throw new Error('the generated data lacks licenses to pick');
  return {
    renderBlocks: [a, b, c],
    emailEdit: emailEdit as string,
    bothEdited: bothEdited as string,
    renderDeleted: renderDeleted as string,
    renderUnblocked: blockedButCurrent.device_id,
    primaryBlocked: primaryBlocked as string,
    primaryDeleted,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sum = (counts: Readonly<Record<string, number>> | undefined, include: (name: string) => boolean = () => true) =>
  Object.entries(counts ?? {}).reduce((total, [name, count]) => (include(name) ? total + count : total), 0);
const isAnsweredFault = (name: string) => name.startsWith('failure-') || name === 'cold-start-503' || name === 'rate-limited';

describe('the failover round trip on a bad day', () => {
  it('gathers the outage work done on a backup through the faults and converges all three servers within 3 plain runs, losing nothing', async () => {
    const testStartedAt = epochNow();
    const g = group();
    const [render, koyeb] = g.backups;
    const primary = g.primary;
    if (render === undefined || koyeb === undefined) throw new Error('two backups expected');
    const data = generateDataset({ seed: 14, licenses: LICENSES, users: USERS, today: TODAY });
    await g.load(data, data, data);
    const ids = pick(data.devices);
    const timing = chaosTimingArgs();

    // 1. Normal hours: the scheduled command keeps the three in step and records each pair's base.
    const normal = await runGroupJson(g, timing);
    expect(normal.exitCode, normal.stderr).toBe(0);
    expect(normal.report.mode).toBe('two-way');
    expect(normal.report.targets.map((target) => [target.server, target.baseRecorded])).toEqual([
      ['render', true],
      ['koyeb', true],
    ]);

    // 2. The primary's own last work, then it goes down.
    const onPrimary = patientPanel(primary);
    await onPrimary.edit(ids.bothEdited, { address: PRIMARY_ADDRESS });
    await onPrimary.block(ids.primaryBlocked);
    await onPrimary.remove(ids.primaryDeleted);
    await onPrimary.sell(PRIMARY_SALE, 'admin');
    await primary.stop();

    // 3. The outage: clients fail over to render, where resellers keep working through render's bad day.
    await armChaos([render, koyeb], 100);
    const onRender = patientPanel(render);
    await onRender.createReseller(RESELLER);
    for (const sale of [...SALES, CLONE]) await onRender.sell(sale, RESELLER);
    await onRender.block(CLONE);
    for (const id of ids.renderBlocks) await onRender.block(id);
    await onRender.edit(ids.emailEdit, { email: NEW_EMAIL });
    await onRender.edit(ids.bothEdited, { owner_name: RENDER_OWNER });
    await onRender.activate(ids.renderUnblocked);
    await onRender.remove(ids.renderDeleted);
    await healAll([render, koyeb]);
    const outageRetries = onRender.retries();

    // An hourly run during the outage: the primary refuses connections; nothing is written anywhere.
    const outage = await runGroupUnderChaos(g, 1, chaosTimingArgs(8));
    expect(outage.exitCode, outage.stderr).toBe(3);
    expect(outage.report.outcome).toBe('unreachable');
    expect([...outage.writes.values()].flat()).toEqual([]);

    // 4. The primary comes back with the data it held; the plain scheduled command runs until one exits 0.
    await primary.start();
    const runs: GroupChaosRun[] = [];
    for (let number = 1; number <= MAX_RUNS; number++) {
      const run = await runGroupUnderChaos(g, number + 1, timing);
      runs.push(run);
      console.log(
        `chaos-failover run ${number}: exit ${run.exitCode} (${run.report.outcome}) in ${seconds(run.ms)}; ` +
          `${run.report.plan?.operations.length ?? 'no'} operations planned, ${run.report.applied.summary.done} done, ${run.report.applied.summary.failed} failed; ` +
          `faults ${JSON.stringify(Object.fromEntries(run.faults))}`,
      );
      for (const failure of run.report.failures.slice(0, 10)) console.log(`  failure: ${failure.server} ${failure.endpoint} [${failure.key ?? ''}]: ${failure.reason}`);
      if (run.exitCode === 0) break;
    }
    const last = runs.at(-1) as GroupChaosRun;

    // 5. A run with the faults off has nothing left to do.
    const writesBefore = g.servers.map((server) => server.emulator.writes().writes.length);
    const clean = await runGroupJson(g, timing);
    const cleanWrites = g.servers.flatMap((server, index) => server.emulator.writes().writes.slice(writesBefore[index]));

    // The end state.
    const rows = new Map(await Promise.all(g.servers.map(async (server) => [server.name, await licensesOn(server)] as const)));
    const allIds = [...new Set([...rows.values()].flatMap((held) => [...held.keys()])), 'never-registered'].sort();
    const decisions = await Promise.all(g.servers.map((server) => decisionsOn(server, allIds)));
    const allowDisagreements = allIds.filter((id) => new Set(decisions.map((onServer) => onServer.get(id) === 'allow')).size > 1);
    const answerDisagreements = allIds
      .filter((id) => id !== ids.primaryDeleted && id !== 'never-registered')
      .filter((id) => new Set(decisions.map((onServer) => onServer.get(id))).size > 1)
      .map((id) => `${id}: ${decisions.map((onServer) => onServer.get(id)).join(' / ')}`);
    const differences = {
      render: await sideDifferences(primary, render, ['primary', 'render']),
      koyeb: await sideDifferences(primary, koyeb, ['primary', 'koyeb']),
      backups: await sideDifferences(render, koyeb, ['render', 'koyeb']),
    };
    // The servers may differ only by the primary's deletion, held on the backups.
    const expectedDifferences = { render: [`${ids.primaryDeleted}: only on render`], koyeb: [`${ids.primaryDeleted}: only on koyeb`], backups: [] };
    const unexpectedDifferences = (Object.keys(differences) as (keyof typeof differences)[]).flatMap((pair) =>
      differences[pair].filter((line) => !(expectedDifferences[pair] as string[]).includes(line)),
    );
    const primaryRows = rows.get('primary') as Map<string, DeviceRow>;
    const touched = new Set([...Object.values(ids).flat(), PRIMARY_SALE, ...SALES, CLONE]);
    const changedUntouched = data.devices
      .filter((row) => !touched.has(row.device_id))
      .filter((row) => {
        const now = primaryRows.get(row.device_id);
        return now === undefined || JSON.stringify(contentOf(now)) !== JSON.stringify(contentOf(row)) || statusClass(now.status) !== statusClass(row.status) || now.created_by !== row.created_by;
      })
      .map((row) => row.device_id);
    const twice = g.servers.flatMap((server) => createdTwice(runs.flatMap((run) => run.writes.get(server.name) ?? [])).map((problem) => `${server.name}: ${problem}`));
    const primaryDeletionWritten = runs.flatMap((run) => run.writes.get('primary') ?? []).filter((write) => write.key === ids.primaryDeleted);
    const pendingInBase = readPendingDeletions(g.stateDir, render.url);
    const resellersOn = new Map(await Promise.all(g.servers.map(async (server) => [server.name, await usernamesOn(server)] as const)));
    const missingWork = g.servers.flatMap((server) => workMissingOn(server.name, rows.get(server.name) ?? new Map(), resellersOn.get(server.name) ?? [], ids));
    const pendingProblems = [
      ...(runs.some((run) => run.report.skipped.byReason['deletion-pending']?.keys.includes(`license:${ids.renderDeleted}`)) ? [] : ['no run reported the deletion on render pending']),
      ...(clean.report.skipped.byReason['deletion-pending']?.keys.includes(`license:${ids.renderDeleted}`) ? [] : ['the clean run no longer reports the deletion on render pending']),
      ...(JSON.stringify(pendingInBase) === JSON.stringify([ids.renderDeleted]) ? [] : [`render's base keeps pending ${JSON.stringify(pendingInBase)}`]),
    ];

    // The row for docs/reliability.md, before the assertions so that a broken promise shows in the table too.
    const broken = [
      ...missingWork,
      ...pendingProblems,
      ...allowDisagreements.map((id) => `${id} allowed on some servers only`),
      ...answerDisagreements,
      ...unexpectedDifferences,
      ...changedUntouched.map((id) => `${id} changed or lost on the primary`),
      ...twice,
      ...primaryDeletionWritten.map((write) => `${write.route} ${write.key} re-created the primary's deletion`),
    ];
    const faultsOn = (server: string, include: (name: string) => boolean) => runs.reduce((total, run) => total + sum(run.faults.get(server), include), 0);
    const requestsRetried = g.servers.reduce((total, server) => total + faultsOn(server.name, isAnsweredFault), 0);
    const notes = [
      `outage work on render: ${outageRetries} requests retried through its faults; hourly run during the outage: exit ${outage.exitCode}, ${seconds(outage.ms)}, nothing written`,
      ...runs.map(
        (run) =>
          `run ${run.number - 1}: exit ${run.exitCode}, ${seconds(run.ms)}, ${run.report.plan?.operations.length ?? 'no'} operations planned, ${run.report.applied.summary.done} done, ` +
          `requests ${g.servers.map((server) => `${server.name} ${sum(run.requests.get(server.name))}`).join(' / ')}`,
      ),
      `clean run: exit ${clean.exitCode}, ${clean.report.plan?.operations.length ?? 'no'} operations planned; ${ids.renderDeleted} (deleted on render) ${pendingProblems.length === 0 ? 'restored and kept pending' : 'NOT kept pending'}; whole test ${seconds(epochNow() - testStartedAt)}`,
    ].join('. ');
    await recordScenario({
      id: 'chaos-failover',
      group: 'chaos',
      scenario: `the failover round trip: ${LICENSES.toLocaleString('en')} licenses on a primary and two backups; the primary's last edits (an edit, a block, a deletion, a sale); outage work on render (a new reseller, 5 sales, 4 blocks, 2 edits, an unblock, a deletion); the plain scheduled command (two-way, no --delete)`,
      injected:
        `every server: ${CHAOS_FAILURES.rate * 100}% of requests fail (HTML pages and resets, ${CHAOS_FAILURES.afterHandlerShare * 100}% after the work), asleep at the start (${CHAOS_WAKE_MS / 1000} s), ` +
        `${CHAOS_RATE_LIMIT} requests/s then 429, tokens revoked after 3 requests of each run; the outage work made through render's faults; the primary stopped for one hourly run`,
      runsToConverge: runs.length,
      operationsFailed: runs.reduce((total, run) => total + run.report.applied.summary.failed, 0),
      requestsRetried,
      lost: broken.length === 0 ? 'nothing' : `${broken.length} broken promises: ${broken.slice(0, 5).join('; ')}`,
      notes,
    });
    console.log(`chaos-failover: ${notes}`);
    if (broken.length > 0) console.log(`chaos-failover: broken promises:\n  ${broken.join('\n  ')}`);

    // 1. Converged within 3 runs of the plain command, in the round trip; the last one in sync.
    expect(last.exitCode, `${last.report.verdict}\n${last.stderr.slice(-2000)}`).toBe(0);
    expect(last.report).toMatchObject({ mode: 'two-way', resync: false, outcome: 'in-sync', failures: [] });
    expect(last.report.targets.map((target) => [target.server, target.outcome, target.baseRecorded])).toEqual([
      ['render', 'in-sync', true],
      ['koyeb', 'in-sync', true],
    ]);

    // 2. Every piece of work is on all three servers; the primary's deletion was never undone.
    expect(missingWork).toEqual([]);
    expect(primaryDeletionWritten).toEqual([]);

    // 3. Nothing else changed or lost; the servers differ only by the primary's deletion, held on the backups.
    expect(changedUntouched).toEqual([]);
    expect(differences).toEqual(expectedDifferences);
    expect(twice).toEqual([]);

    // 4. The same /verify answer on every server for every device_id any of them knows.
    expect(allowDisagreements).toEqual([]);
    expect(answerDisagreements).toEqual([]);

    // 5. The deletion on render is reported pending, by the run that restored it and by the next, and kept in render's base for a later --delete run.
    expect(pendingProblems).toEqual([]);

    // 6. A clean run plans nothing and writes nothing.
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(clean.report.plan?.operations).toEqual([]);
    expect(cleanWrites).toEqual([]);

    // The bad day really happened, on every server.
    expect(outageRetries).toBeGreaterThan(0);
    for (const server of g.servers) {
      expect(faultsOn(server.name, (name) => name.startsWith('failure-')), server.name).toBeGreaterThan(0);
      expect(faultsOn(server.name, (name) => name === 'cold-start'), server.name).toBe(runs.length);
      expect(faultsOn(server.name, (name) => name === 'tokens-revoked'), server.name).toBeGreaterThanOrEqual(1);
    }
  });
});

/** Each piece of the story's work that `server` does not hold as it should, in words (empty when all is there). */
function workMissingOn(server: string, held: ReadonlyMap<string, DeviceRow>, resellers: readonly string[], ids: ReturnType<typeof pick>): string[] {
  const missing: string[] = [];
  const want = (id: string, what: string, actual: (row: DeviceRow) => unknown, expected: unknown) => {
    const row = held.get(id);
    if (row === undefined) missing.push(`${server}: ${id} (${what}) missing`);
    else if (actual(row) !== expected) missing.push(`${server}: ${id} (${what}) has ${JSON.stringify(actual(row))}, want ${JSON.stringify(expected)}`);
  };
  const status = (row: DeviceRow) => statusClass(row.status);
  if (!resellers.includes(RESELLER)) missing.push(`${server}: reseller ${RESELLER} missing`);
  for (const id of SALES) {
    want(id, 'outage sale', (row) => row.created_by, RESELLER);
    want(id, 'outage sale', status, 'open');
  }
  for (const id of [CLONE, ...ids.renderBlocks]) want(id, 'blocked on render', status, 'held');
  want(ids.emailEdit, 'e-mail edited on render', (row) => row.email, NEW_EMAIL);
  want(ids.bothEdited, 'owner edited on render', (row) => row.owner_name, RENDER_OWNER);
  want(ids.bothEdited, 'address edited on the primary', (row) => row.address, PRIMARY_ADDRESS);
  want(ids.renderUnblocked, 'unblocked on render', status, 'open');
  // Deleted on render without --delete: restored, open as before.
  want(ids.renderDeleted, 'deleted on render', status, 'open');
  want(ids.primaryBlocked, 'blocked on the primary', status, 'held');
  want(PRIMARY_SALE, 'sold on the primary', (row) => row.created_by, 'admin');
  // The primary's deletion stands: gone from the primary, denied (blocked) on the backups.
  if (server === 'primary') {
    if (held.has(ids.primaryDeleted)) missing.push(`primary: ${ids.primaryDeleted} (deleted on the primary) re-created`);
  } else want(ids.primaryDeleted, 'deleted on the primary', status, 'held');
  return missing;
}

/** The device_ids the state database keeps pending in the base of the pair (primary, `peerUrl`). */
function readPendingDeletions(stateDir: string, peerUrl: string): string[] {
  let pending: string[] = [];
  editStateDb(stateDir, (db) => {
    pending = db
      .prepare<[], { peer_url: string; device_id: string }>(
        'SELECT b.peer_url, p.device_id FROM pair_base_pending_deletions p JOIN pair_bases b ON b.id = p.base_id ORDER BY p.device_id',
      )
      .all()
      .filter((row) => row.peer_url.replace(/\/+$/, '') === peerUrl.replace(/\/+$/, ''))
      .map((row) => row.device_id);
  });
  return pending;
}
