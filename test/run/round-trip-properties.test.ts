import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { licenseDecision } from '../../src/domain/decision.js';
import type { LicenseType } from '../../src/domain/license-type.js';
import type { RunResult } from '../../src/outcome/run-result.js';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer, type LicenseRow } from './support/in-memory-server.js';
import { makeHarness, TODAY, type Harness } from './support/run-harness.js';

// The acceptance property of the round trip, over the whole run (stages,
// steps, bases, verification) with a primary and two backups in memory: from
// servers a run left in step, whatever was done through the API on any of
// them since (sales, edits, blocks, unblocks, owner changes, deletions, a
// backup wiped), one run converges every server: every device_id gets the
// same answer everywhere, the primary's deletions stay deleted, a field
// edited on one server only reaches every server (the same field edited on
// several: the primary's value, then the backups' in configured order), and
// the next run plans nothing.

const SERVERS = ['primary', 'backup', 'backup-2'] as const;
type ServerName = (typeof SERVERS)[number];
const STARTING = ['K1', 'K2', 'K3', 'K4', 'K5'] as const;
const DEVICE_IDS = [...STARTING, 'N1', 'N2'] as const;
const OWNERS = ['admin', 'maria', 'joao'] as const;
const FIELDS = ['owner_name', 'email', 'license_type', 'created_by'] as const;
type Field = (typeof FIELDS)[number];

interface Content {
  readonly owner_name: string;
  readonly email: string;
  readonly license_type: LicenseType;
  readonly created_by: string;
}

type Edit =
  | { readonly on: ServerName; readonly action: 'upsert'; readonly deviceId: string; readonly content: Content }
  | { readonly on: ServerName; readonly action: 'block' | 'activate' | 'delete'; readonly deviceId: string }
  | { readonly on: ServerName; readonly action: 'reown'; readonly deviceId: string; readonly owner: string }
  | { readonly on: ServerName; readonly action: 'create-user' }
  | { readonly on: 'backup' | 'backup-2'; readonly action: 'wipe' };

const server = fc.constantFrom<ServerName>(...SERVERS);
const deviceId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('K1', 'K2') }, { weight: 2, arbitrary: fc.constantFrom(...DEVICE_IDS) });
const content: fc.Arbitrary<Content> = fc.record({
  owner_name: fc.constantFrom('Ana Souza', 'Bruno Lima', 'Carla Dias'),
  email: fc.constantFrom('ana@example.com', 'bruno@example.com', 'carla@example.com'),
  license_type: fc.constantFrom<LicenseType>('anual', 'mensal'),
  created_by: fc.constantFrom(...OWNERS),
});
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ on: server, action: fc.constant('upsert' as const), deviceId, content }) },
  { weight: 3, arbitrary: fc.record({ on: server, action: fc.constantFrom('block' as const, 'activate' as const), deviceId }) },
  { weight: 2, arbitrary: fc.record({ on: server, action: fc.constant('delete' as const), deviceId }) },
  { weight: 1, arbitrary: fc.record({ on: server, action: fc.constant('reown' as const), deviceId, owner: fc.constantFrom(...OWNERS) }) },
  { weight: 1, arbitrary: fc.record({ on: server, action: fc.constant('create-user' as const) }) },
  { weight: 1, arbitrary: fc.record({ on: fc.constantFrom('backup' as const, 'backup-2' as const), action: fc.constant('wipe' as const) }) },
);

interface Scenario {
  /** The licenses every server holds at the start, and whether each is blocked. */
  readonly start: readonly { readonly deviceId: string; readonly blocked: boolean; readonly content: Content }[];
  readonly edits: readonly Edit[];
  readonly withDelete: boolean;
  /** --conflict: who wins a field edited to different values. */
  readonly conflict: 'primary' | 'peer';
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  start: fc.subarray([...STARTING], { minLength: 2 }).chain((ids) =>
    fc.tuple(...ids.map((id) => fc.record({ deviceId: fc.constant(id), blocked: fc.boolean(), content }))),
  ),
  edits: fc.array(edit, { maxLength: 10 }),
  withDelete: fc.boolean(),
  conflict: fc.constantFrom('primary' as const, 'peer' as const),
});

/** Whose value a field edited differently on several servers takes: the primary, then the backups in configured order (--conflict peer: the backups first). */
const PRECEDENCE: Readonly<Record<Scenario['conflict'], readonly ServerName[]>> = {
  primary: ['primary', 'backup', 'backup-2'],
  peer: ['backup', 'backup-2', 'primary'],
};

type Holdings = Readonly<Record<ServerName, ReadonlyMap<string, LicenseRow>>>;

function serversOf(h: Harness): Record<ServerName, InMemoryServer> {
  const [backup, backup2] = h.backups as [InMemoryServer, InMemoryServer];
  return { primary: h.primary, backup, 'backup-2': backup2 };
}

function holdings(h: Harness): Holdings {
  const servers = serversOf(h);
  return Object.fromEntries(SERVERS.map((name) => [name, new Map(servers[name].licenses)])) as unknown as Holdings;
}

/** Does on `target` what a reseller or an administrator can do through the API; a call the server refuses (404) changes nothing. */
async function apply(h: Harness, change: Edit): Promise<void> {
  const target = serversOf(h)[change.on];
  try {
    switch (change.action) {
      case 'upsert':
        return await target.upsertLicense({ device_id: change.deviceId, cpf: null, address: null, ...change.content });
      case 'block':
      case 'activate':
        return await target.setStatus(change.deviceId, change.action);
      case 'delete':
        return await target.deleteLicense(change.deviceId);
      case 'reown':
        return await target.updateCreatedBy(change.deviceId, change.owner);
      case 'create-user':
        return await target.createUser({ username: `nova.${change.on}`, password: 'x', email: null, role: 'user' });
      case 'wipe':
        target.licenses.clear();
        return;
    }
  } catch {
    // Refused by the server: nothing happened.
  }
}

const allows = (row: LicenseRow | undefined) => row !== undefined && licenseDecision(row, TODAY) === 'allow';

/** Everything the run got wrong, in words: empty when it did its job. */
function problems(start: Holdings, before: Holdings, after: Holdings, result: RunResult, again: RunResult, { withDelete, conflict }: Scenario): string[] {
  const found: string[] = [];
  if (result.exitCode !== 0) found.push(`the run exited ${result.exitCode}: ${runVerdict(result)}`);
  if (again.plan === null || again.plan.operations.length > 0) found.push(`the next run still plans ${JSON.stringify(again.plan?.operations.map((op) => `${op.server} ${op.kind} ${op.key}`))}`);
  const wiped = (name: ServerName) => name !== 'primary' && start[name].size > 0 && before[name].size === 0;
  const pending = new Set((result.plan?.skipped ?? []).filter((item) => item.reason === 'deletion-pending').map((item) => item.key));
  for (const id of DEVICE_IDS) {
    const answers = SERVERS.map((name) => allows(after[name].get(id)));
    if (new Set(answers).size > 1) found.push(`${id}: answers differ: ${SERVERS.map((name, index) => `${name} ${answers[index] ? 'allow' : 'deny'}`).join(', ')}`);
    const deletedOnPrimary = start.primary.has(id) && !before.primary.has(id);
    if (deletedOnPrimary && after.primary.has(id)) found.push(`${id}: the primary's deletion was undone`);
    if (!after.primary.has(id) && SERVERS.some((name) => allows(after[name].get(id)))) found.push(`${id}: allowed somewhere although the primary does not list it`);
    const deletedOn = SERVERS.filter((name) => name !== 'primary' && !wiped(name) && start[name].has(id) && !before[name].has(id));
    const untouchedElsewhere = SERVERS.every((name) => deletedOn.includes(name) || sameRow(start[name].get(id), before[name].get(id)));
    if (deletedOn.length > 0 && untouchedElsewhere) {
      if (withDelete && SERVERS.some((name) => after[name].has(id))) found.push(`${id}: deleted on ${deletedOn.join(', ')} with --delete, still listed somewhere`);
      if (!withDelete && (!SERVERS.every((name) => after[name].has(id)) || !pending.has(id))) found.push(`${id}: deleted on ${deletedOn.join(', ')} without --delete: not restored everywhere and reported pending`);
    }
    found.push(...fieldProblems(id, start, before, after, PRECEDENCE[conflict]));
  }
  return found;
}

/**
 * Where a license stayed open and present everywhere, each field edited on one
 * server only (or to one value) must reach every server; one edited to
 * different values gets the value of the first editor in `precedence`. (A
 * block, an unblock or a deletion anywhere brings other rules.)
 */
function fieldProblems(id: string, start: Holdings, before: Holdings, after: Holdings, precedence: readonly ServerName[]): string[] {
  const rows = SERVERS.map((name) => [start[name].get(id), before[name].get(id), after[name].get(id)] as const);
  const plain = rows.every(([was, is, now]) => was !== undefined && is !== undefined && now !== undefined && was.status === 'active' && is.status === 'active');
  if (!plain) return [];
  const found: string[] = [];
  for (const field of FIELDS) {
    const editors = precedence.filter((name) => start[name].get(id)?.[field] !== before[name].get(id)?.[field]);
    const first = editors[0];
    if (first === undefined) continue;
    const wanted = before[first].get(id)?.[field as Field];
    const got = SERVERS.map((name) => after[name].get(id)?.[field as Field]);
    if (got.some((value) => value !== wanted)) found.push(`${id}.${field}: edited on ${editors.join(', ')}; wanted ${String(wanted)} everywhere, got ${got.map(String).join(' / ')}`);
  }
  return found;
}

function sameRow(a: LicenseRow | undefined, b: LicenseRow | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function roundTrip(input: Scenario): Promise<string[]> {
  const { start, edits, withDelete, conflict } = input;
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-round-trip-'));
  try {
    const h = makeHarness(stateDir, 2);
    const config = { mode: 'two-way' as const, conflict, delete: withDelete, maxDelete: 100, maxShrink: 0.99, minPrimaryRatio: 0 };
    h.primary.withUsers(user('maria'), user('joao'));
    h.primary.withLicenses(...start.map(({ deviceId: id, blocked, content: fields }) => license(id, TODAY, { ...fields, status: blocked ? 'blocked' : 'active' })));
    const first = await h.sync({ config });
    if (first.exitCode !== 0) return [`the first run exited ${first.exitCode}: ${runVerdict(first)}`];
    const inStep = holdings(h);
    for (const change of edits) await apply(h, change);
    const before = holdings(h);
    // The primary's administrator deleted every license: the guard refuses, as it should; nothing to check here.
    if (before.primary.size === 0) return [];
    const result = await h.sync({ config });
    const after = holdings(h);
    const again = await h.sync({ config });
    return problems(inStep, before, after, result, again, input);
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

describe('the round trip over a primary and two backups (property)', () => {
  it('one run converges every server after any API-possible history, without losing work, and the next plans nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        expect(await roundTrip(input)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
