import fc from 'fast-check';
import { addDays, type CalendarDate } from '../../../src/domain/calendar-date.js';
import { licenseDecision, type LicenseStatus } from '../../../src/domain/decision.js';
import { LICENSE_TYPES, type LicenseType } from '../../../src/domain/license-type.js';
import type { UpsertBody } from '../../../src/domain/upsert-body.js';
import type { Operation } from '../../../src/plan/operation.js';
import { ONE_WAY, type OperationReason } from '../../../src/plan/reasons.js';
import type { TwoWayOptions } from '../../../src/plan/two-way/plan-two-way.js';
import type { LicenseRecord, UserRecord } from '../../../src/snapshot/records.js';
import { applyPlan, RefusedByServer } from './backup-model.js';
import { snapshotOf } from './records.js';
import type { ServerPair } from './two-way-model.js';

// Two-way scenarios: a converged starting pair (what the last successful run
// left), then what resellers and admins did on each side since, through the API
// only, possibly a few days later (so some licenses expired on one side only).

export const PEER = 'render';
export const TODAY: CalendarDate = '2025-06-15';

/** Licenses present at the start (or not), and ids only a history may create. */
export const DEVICE_IDS = ['K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'N1', 'N2'] as const;
const STARTING_IDS = DEVICE_IDS.slice(0, 6);
export const USERNAMES = ['maria', 'joao', 'ana', 'bia'] as const;

const OWNERS = ['admin', 'maria', 'joao'] as const;
const owner = fc.constantFrom(...OWNERS);

export interface Content {
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly license_type: LicenseType;
}

export const content: fc.Arbitrary<Content> = fc.record({
  owner_name: fc.constantFrom('Ana Souza', 'Bruno Lima', null),
  cpf: fc.constantFrom('123.456.789-09', null),
  email: fc.constantFrom('ana@example.com', 'bruno@example.com', null),
  address: fc.constantFrom('Rua A, 1, Centro', null),
  license_type: fc.constantFrom<LicenseType>('anual', 'anual', 'mensal', ...LICENSE_TYPES),
});

const DAYS = [-400, -40, -3, -1, 0, 1, 2, 20, 300] as const;

/** A license as a server holds it, dated around `day`. */
function licenseOn(day: CalendarDate, deviceId: string): fc.Arbitrary<LicenseRecord> {
  return fc
    .record({
      content,
      created_by: owner,
      status: fc.constantFrom<LicenseStatus>('active', 'active', 'active', 'blocked', 'pending'),
      startOffset: fc.constantFrom(-400, -30, -1, 0),
      endOffset: fc.constantFrom(...DAYS),
      custom_interval: fc.constantFrom(60, 30),
      features: fc.constantFrom('core', 'core,pdv'),
      last_seen_at: fc.constantFrom('2025-06-01 10:00:00', null),
    })
    .map((fields) => ({
      device_id: deviceId,
      ...fields.content,
      created_by: fields.created_by,
      status: fields.status,
      start_date: addDays(day, fields.startOffset),
      end_date: fields.content.license_type === 'vitalicia' ? null : addDays(day, fields.endOffset),
      custom_interval: fields.custom_interval,
      features: fields.features,
      last_seen_at: fields.last_seen_at,
      last_seen_ip: null,
      last_hostname: null,
      last_version: null,
    }));
}

/**
 * The peer's copy of a converged license: equal in everything a run writes, or
 * differing only where a run leaves them differing on purpose (dates; content
 * while both deny; a license expired on one side and held on the other).
 */
function peerCopy(primary: LicenseRecord, day: CalendarDate): fc.Arbitrary<LicenseRecord> {
  const decision = licenseDecision(primary, day);
  const variants: fc.Arbitrary<LicenseRecord>[] = [fc.constant({ ...primary, last_seen_at: null, custom_interval: 60 })];
  variants.push(
    fc.constantFrom(-10, 15, 200).map((shift) => {
      const shifted = { ...primary, start_date: primary.start_date && addDays(primary.start_date, shift), end_date: primary.end_date && addDays(primary.end_date, shift) };
      return licenseDecision(shifted, day) === decision ? shifted : primary;
    }),
  );
  if (decision !== 'allow') variants.push(content.map((other) => ({ ...primary, ...other, end_date: other.license_type === 'vitalicia' ? null : primary.end_date })).filter((copy) => licenseDecision(copy, day) !== 'allow'));
  if (decision === 'deny:expired' && primary.status === 'active') variants.push(fc.constant({ ...primary, status: 'blocked' as const }));
  if (primary.status !== 'active' && primary.license_type !== 'vitalicia') variants.push(fc.constant({ ...primary, status: 'active' as const, end_date: addDays(day, -5) }));
  return fc.oneof(...variants);
}

function userOn(username: string): fc.Arbitrary<UserRecord> {
  return fc.record({ username: fc.constant(username), email: fc.constantFrom('x@example.com', null), role: fc.constantFrom('user' as const, 'admin' as const) });
}

/** A pair the last run left converged, on `day`. */
export function convergedPair(day: CalendarDate): fc.Arbitrary<ServerPair> {
  const license = (deviceId: string) =>
    fc.oneof(
      { weight: 4, arbitrary: licenseOn(day, deviceId).chain((primary) => peerCopy(primary, day).map((peer) => [primary, peer] as const)) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  const user = (username: string) =>
    fc.oneof(
      { weight: 3, arbitrary: userOn(username).chain((primary) => fc.constantFrom(primary, { ...primary, email: 'other@example.com' }).map((peer) => [primary, peer] as const)) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  return fc.record({ licenses: fc.tuple(...STARTING_IDS.map(license)), users: fc.tuple(...USERNAMES.map(user)) }).map(({ licenses, users }) => {
    const present = licenses.filter((entry) => entry !== null);
    const known = users.filter((entry) => entry !== null);
    return {
      primary: snapshotOf({ licenses: present.map(([primary]) => primary), users: known.map(([primary]) => primary) }),
      peer: snapshotOf({ licenses: present.map(([, peer]) => peer), users: known.map(([, peer]) => peer) }),
    };
  });
}

/** What someone did on one side through the API. */
export type Edit = (
  | { readonly side: 'primary' | 'peer'; readonly action: 'upsert'; readonly deviceId: string; readonly content: Content; readonly owner: string }
  | { readonly side: 'primary' | 'peer'; readonly action: 'block' | 'activate' | 'delete'; readonly deviceId: string }
  | { readonly side: 'primary' | 'peer'; readonly action: 'reown'; readonly deviceId: string; readonly owner: string }
  | { readonly side: 'primary' | 'peer'; readonly action: 'create-user'; readonly user: UserRecord }
) & {
  /** How many days before the plan it was made (never before the last run): an upsert dates the license from then. */
  readonly daysAgo: number;
};

const side = fc.constantFrom('primary' as const, 'peer' as const);
/** Edits crowd on a few licenses, so that both sides often change the same one. */
const deviceId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('K1', 'K2') },
  { weight: 2, arbitrary: fc.constantFrom(...DEVICE_IDS) },
);

const action = fc.oneof(
  { weight: 3, arbitrary: fc.record({ side, action: fc.constant('upsert' as const), deviceId, content, owner }) },
  { weight: 3, arbitrary: fc.record({ side, action: fc.constantFrom('block' as const, 'activate' as const), deviceId }) },
  { weight: 1, arbitrary: fc.record({ side, action: fc.constant('delete' as const), deviceId }) },
  { weight: 1, arbitrary: fc.record({ side, action: fc.constant('reown' as const), deviceId, owner }) },
  { weight: 1, arbitrary: fc.record({ side, action: fc.constant('create-user' as const), user: fc.constantFrom(...USERNAMES).chain(userOn) }) },
);

export const edit: fc.Arbitrary<Edit> = fc.tuple(action, fc.constantFrom(0, 0, 0, 1, 35)).map(([what, daysAgo]) => ({ ...what, daysAgo }));

/** Up to a few edits, often none on a given license. */
export const history: fc.Arbitrary<Edit[]> = fc.array(edit, { maxLength: 10 });

/**
 * Applies the edits the servers accept (a block of a missing license answers 404,
 * and so is not made), each on its day: never before the last run, in order.
 */
export function applyEdits(pair: ServerPair, edits: readonly Edit[], today: CalendarDate, lastRun: CalendarDate = today): ServerPair {
  let result = pair;
  const days = edits.map((one) => (addDays(today, -one.daysAgo) < lastRun ? lastRun : addDays(today, -one.daysAgo))).sort();
  edits.forEach((one, index) => {
    const operation = operationOf(one);
    try {
      result = { ...result, [one.side]: applyPlan(result[one.side], [operation], days[index] ?? today) };
    } catch (error) {
      if (!(error instanceof RefusedByServer)) throw error;
    }
  });
  return result;
}

/** A reseller's edit, as the operation the model applies (its reason is never read). */
function operationOf(one: Edit): Operation {
  const common = { server: one.side, reason: EDIT_REASON };
  switch (one.action) {
    case 'upsert': {
      const body: UpsertBody = { device_id: one.deviceId, ...one.content, created_by: one.owner };
      return { ...common, kind: 'create-license', key: one.deviceId, body, thenBlock: null };
    }
    case 'block':
      return { ...common, kind: 'block', key: one.deviceId, deviceId: one.deviceId };
    case 'activate':
      return { ...common, kind: 'activate', key: one.deviceId, deviceId: one.deviceId };
    case 'delete':
      return { ...common, kind: 'delete-license', key: one.deviceId, deviceId: one.deviceId };
    case 'reown':
      return { ...common, kind: 'update-created-by', key: one.deviceId, deviceId: one.deviceId, createdBy: one.owner };
    case 'create-user':
      return { ...common, kind: 'create-user', key: one.user.username, username: one.user.username, email: one.user.email, role: one.user.role };
  }
}

const EDIT_REASON: OperationReason = { code: 'missing', sides: ONE_WAY };

/** Two-way options with a given policy and --delete, the limit sometimes too low. */
export function twoWayOptions(conflict: TwoWayOptions['conflict'], withDelete: boolean): fc.Arbitrary<TwoWayOptions> {
  return fc.record({
    peer: fc.constant(PEER),
    conflict: fc.constant(conflict),
    newUsers: fc.constantFrom('create' as const, 'create' as const, 'skip' as const),
    delete: fc.constant(withDelete),
    maxDelete: fc.constantFrom(0, 1, 2, 100),
  });
}

/** How long before the plan the last run was (licenses can expire in between). */
export const daysSinceLastRun = fc.constantFrom(0, 0, 0, 1, 3, 40);

