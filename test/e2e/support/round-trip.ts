import { expect } from 'vitest';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { RestartableEmulator, ServerGroup } from '../../support/server-group.js';
import type { JsonRun } from './e2e-helpers.js';
import { sortedState } from './report.js';
import { licensesOn, runGroupJson, sideDifferences, storedReportText, usernamesOn, verifyDisagreements, type JsonReport } from './two-way-helpers.js';

// Helpers for the failover round-trip tests (issue 14): run the scheduled
// command as the operator left it, check that every server holds the same
// work and gives every client the same answer, and find in a report the
// deletion a run restored and left pending.

/** The backups of a group named render and koyeb, in that order. */
export function renderAndKoyeb(g: ServerGroup): { render: RestartableEmulator; koyeb: RestartableEmulator } {
  const [render, koyeb] = g.backups;
  if (render === undefined || koyeb === undefined) throw new Error('two backups (render, koyeb) expected');
  return { render, koyeb };
}

/** What a run said, for assertion messages: exit code, verdict (which words any refusal), the end of stderr. */
export function runSummary(run: JsonRun): string {
  const stderr = run.stderr.length > 3000 ? `…${run.stderr.slice(-3000)}` : run.stderr;
  return `exit ${String(run.exitCode)}, verdict: ${run.report.verdict}\nstderr:\n${stderr}`;
}

/**
 * The scheduled command (`sync-dbs sync`, no mode flag) right after the
 * primary came back, at most twice: the first run must exit 0, or the second.
 * Returns every run made.
 */
export async function scheduledRunsUntilInStep(g: ServerGroup): Promise<JsonRun[]> {
  const first = await runGroupJson(g, ['sync']);
  if (first.exitCode === 0) return [first];
  const second = await runGroupJson(g, ['sync']);
  expect(second.exitCode, `neither scheduled run after the primary came back exited 0\nfirst: ${runSummary(first)}\nsecond: ${runSummary(second)}`).toBe(0);
  return [first, second];
}

/**
 * Pairwise, the servers hold the same licenses (presence, content, created_by,
 * status class) and the same resellers. Differences on the device_ids in
 * `except` are left to the caller.
 */
export async function expectAllInStep(servers: readonly RestartableEmulator[], except: readonly string[] = []): Promise<void> {
  const differences: string[] = [];
  for (let i = 0; i < servers.length; i++) {
    for (let j = i + 1; j < servers.length; j++) {
      const a = servers[i] as RestartableEmulator;
      const b = servers[j] as RestartableEmulator;
      const found = await sideDifferences(a, b, [a.name, b.name]);
      differences.push(...found.filter((line) => !except.some((id) => line.startsWith(`${id}: `))).map((line) => `${a.name}/${b.name} ${line}`));
    }
  }
  expect(differences, 'licenses that differ between two servers').toEqual([]);
  const users = await Promise.all(servers.map(async (server) => [server.name, await usernamesOn(server)] as const));
  const first = users[0]?.[1];
  for (const [name, names] of users) expect(names, `the resellers on ${name}`).toEqual(first);
}

/**
 * For every device_id any of the servers holds, and every id in `extra`
 * (ids a server held at some point, ids never registered), `/verify` answers
 * the same on all of them. Returns the primary's (the first server's) answers.
 */
export async function expectSameAnswerEverywhere(servers: readonly RestartableEmulator[], extra: readonly string[]): Promise<Map<string, boolean>> {
  const differences: string[] = [];
  let first: Map<string, boolean> | undefined;
  for (let i = 0; i < servers.length; i++) {
    for (let j = i + 1; j < servers.length; j++) {
      const a = servers[i] as RestartableEmulator;
      const b = servers[j] as RestartableEmulator;
      const { onA, differences: found } = await verifyDisagreements(a, b, extra);
      if (i === 0 && j === 1) first = onA;
      differences.push(...found.map((line) => `${a.name} vs ${b.name}: ${line}`));
    }
  }
  expect(differences, '/verify answers that differ between two servers').toEqual([]);
  return first ?? new Map();
}

/** A license row that must be on the server. */
export async function rowOn(server: RestartableEmulator, deviceId: string): Promise<DeviceRow> {
  const row = (await licensesOn(server)).get(deviceId);
  if (row === undefined) throw new Error(`license ${deviceId} is not on ${server.name} (${server.url})`);
  return row;
}

/** A server's users and licenses without row ids, to check that nothing changed. */
export async function dataOf(server: RestartableEmulator): Promise<ReturnType<typeof sortedState>> {
  return sortedState(await server.control.state());
}

/** The writes a server handled since its statistics were reset, as `route key effect` lines (login is not a write). */
export async function writesOn(server: RestartableEmulator): Promise<string[]> {
  const { writes } = await server.control.writes();
  return writes.map((write) => `${write.route} ${write.key ?? '-'} ${write.effect}`);
}

/**
 * Where a report says that the deletion of `deviceId` made on a backup was not
 * carried out and is still pending: a skipped entry for `license:<id>` whose
 * reason speaks of a deletion (the reason's code in `skipped.byReason`, or an
 * item of a `plan.skipped` list with a `reason`). Empty when it does not.
 */
export function pendingDeletionMentions(report: JsonReport, deviceId: string): string[] {
  const key = `license:${deviceId}`;
  const found: string[] = [];
  for (const [reason, entry] of Object.entries(report.skipped.byReason)) {
    if (/delet/i.test(reason) && entry.keys.includes(key)) found.push(`skipped.byReason.${reason}`);
  }
  const planSkipped = (report.plan as { skipped?: unknown } | null)?.skipped;
  if (Array.isArray(planSkipped)) {
    for (const item of planSkipped as { key?: unknown; reason?: unknown; detail?: unknown }[]) {
      const text = `${String(item.reason)} ${String(item.detail ?? '')}`;
      if ((item.key === key || item.key === deviceId) && /delet/i.test(text)) found.push(`plan.skipped ${text}`);
    }
  }
  return found;
}

/**
 * The first of `runs` whose report says the backup deletion of `deviceId`
 * is pending; its stored text report must say so too (the id, near words
 * about a deletion). Fails with what the reports hold otherwise.
 */
export function expectPendingDeletionReported(stateDir: string, runs: readonly JsonRun[], deviceId: string): JsonRun {
  const reporting = runs.find((run) => pendingDeletionMentions(run.report, deviceId).length > 0);
  expect(
    reporting,
    `no report says the deletion of ${deviceId} is pending; skipped: ${runs.map((run) => JSON.stringify(run.report.skipped.byReason)).join(' | ')}; operations on it: ${runs
      .map((run) => JSON.stringify((run.report.plan?.operations ?? []).filter((operation) => operation.key === `license:${deviceId}`)))
      .join(' | ')}`,
  ).toBeDefined();
  const run = reporting as JsonRun;
  expect(run.report.runId, 'the run that restored it has a run id').not.toBeNull();
  const text = storedReportText(stateDir, run.report.runId as number);
  const lines = text.split('\n');
  const near = lines.flatMap((line, index) => (line.includes(deviceId) ? [lines.slice(Math.max(0, index - 6), index + 1).join('\n')] : []));
  expect(
    near.some((window) => /delet/i.test(window)),
    `the text report of run #${String(run.report.runId)} names ${deviceId} near words about a deletion:\n${text}`,
  ).toBe(true);
  return run;
}
