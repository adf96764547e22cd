import { describe, expect, it } from 'vitest';
import { addMonths } from '../../../src/domain/calendar-date.js';
import { licenseDecision } from '../../../src/domain/decision.js';
import { licenseKey } from '../../../src/plan/operation.js';
import { merged, twoWaySides, type CauseClause, type SideChangeFacts } from '../../../src/plan/reasons.js';
import { aLicense, daysFromToday, TODAY } from '../support/records.js';
import { afterPlan, ID, nextPlan, onBoth, only, planCase, writes, type Case } from '../support/two-way-cases.js';

// Rule 2: a license changed on one side only since the base is copied to the
// other side with the one-way rules; a deletion propagates only with --delete.

const LICENSE = aLicense();
const KEY = licenseKey(ID);
const TO_PEER = twoWaySides('primary', 'render');
const TO_PRIMARY = twoWaySides('render', 'primary');

function sideChange(change: SideChangeFacts): CauseClause {
  return { code: 'side-change', change };
}

/** An edit made on `side` since the base, with what changed. */
function editedOn(side: string, what: Partial<Extract<SideChangeFacts, { code: 'edited' }>>): SideChangeFacts {
  return { code: 'edited', side, content: [], owner: null, held: null, opened: false, renewed: false, ...what };
}

describe('a license created on one side since the base', () => {
  it('is created on the other side with its content and owner, and the write names both sides', () => {
    const created = aLicense({ created_by: 'maria', email: 'nova@example.com' });
    const example: Case = { base: {}, now: { peer: created } };
    const plan = planCase(example);

    expect(plan.operations).toEqual([
      {
        server: 'primary',
        kind: 'create-license',
        key: KEY,
        thenBlock: null,
        reason: merged([sideChange({ code: 'created', side: 'render', held: null })], { code: 'missing', sides: TO_PRIMARY }),
        body: { device_id: ID, license_type: 'anual', owner_name: created.owner_name, cpf: created.cpf, email: 'nova@example.com', address: created.address, created_by: 'maria' },
      },
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('is created on the peer, named by its configured name, when the primary created it', () => {
    expect(only(planCase({ base: {}, now: { primary: LICENSE } }))).toMatchObject({
      server: 'render',
      kind: 'create-license',
      reason: merged([sideChange({ code: 'created', side: 'primary', held: null })], { code: 'missing', sides: TO_PEER }),
    });
  });

  it('is created then blocked at once when it was created held', () => {
    const example: Case = { base: {}, now: { primary: aLicense({ status: 'blocked' }) } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({ server: 'render', kind: 'create-license', thenBlock: { code: 'source-denies', sides: TO_PEER, decision: 'deny:blocked' } });
    expect(afterPlan(example, plan).peer.licenses.get(ID)?.status).toBe('blocked');
  });
});

describe('a license edited on one side since the base', () => {
  it('has its content upserted on the other side', () => {
    const edited = aLicense({ email: 'novo@example.com' });
    const example: Case = { base: onBoth(LICENSE), now: { primary: edited, peer: LICENSE } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'update-license',
      body: { email: 'novo@example.com' },
      reason: merged([sideChange(editedOn('primary', { content: ['email'] }))], { code: 'content-differs', sides: TO_PEER, fields: ['email'], expired: null }),
    });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('made on the peer is written to the primary', () => {
    const plan = planCase({ base: onBoth(LICENSE), now: { primary: LICENSE, peer: aLicense({ owner_name: 'Outra Pessoa' }) } });

    expect(only(plan)).toMatchObject({ server: 'primary', kind: 'update-license', body: { owner_name: 'Outra Pessoa' } });
  });

  it('has an owner change written with update-created-by alone', () => {
    const plan = planCase({ base: onBoth(LICENSE), now: { primary: LICENSE, peer: aLicense({ created_by: 'maria' }) } });

    expect(only(plan)).toMatchObject({
      server: 'primary',
      kind: 'update-created-by',
      createdBy: 'maria',
      reason: { code: 'merged', cause: [sideChange(editedOn('render', { owner: { before: 'admin', after: 'maria' } }))] },
    });
  });

  it('re-owned while held gets the owner and stays held (never re-opened)', () => {
    const held = aLicense({ status: 'blocked' });
    const plan = planCase({ base: onBoth(held), now: { primary: held, peer: aLicense({ status: 'blocked', created_by: 'joao' }) } });

    expect(writes(plan)).toEqual(['primary update-created-by']);
  });

  it('while held is never upserted: its content difference is reported as license-content-while-denied', () => {
    const held = aLicense({ status: 'blocked' });
    const plan = planCase({ base: onBoth(held), now: { primary: aLicense({ status: 'blocked', email: 'outro@example.com' }), peer: held } });

    expect(plan.operations).toEqual([]);
    expect(plan.drift.map((item) => item.kind)).toContain('license-content-while-denied');
  });

  it('blocked on one side is blocked on the other: the reason says the block always wins', () => {
    const example: Case = { base: onBoth(LICENSE), now: { primary: LICENSE, peer: aLicense({ status: 'blocked' }) } };
    const plan = planCase(example);

    expect(only(plan)).toEqual({
      server: 'primary',
      kind: 'block',
      key: KEY,
      deviceId: ID,
      reason: merged([sideChange(editedOn('render', { held: 'blocked' }))], { code: 'denied-on-source', sides: TO_PRIMARY, source: 'deny:blocked', target: 'allow' }),
    });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('blocked on one side holds the other even where it had expired (held on both)', () => {
    const expired = aLicense({ end_date: daysFromToday(-2) });
    const plan = planCase({ base: onBoth(expired), now: { primary: expired, peer: aLicense({ end_date: daysFromToday(-2), status: 'blocked' }) } });

    expect(writes(plan)).toEqual(['primary block']);
  });

  it('blocked on one side leaves a pending copy alone: blocked and pending are never told apart', () => {
    const pending = aLicense({ status: 'pending' });
    const plan = planCase({ base: { primary: LICENSE, peer: pending }, now: { primary: aLicense({ status: 'blocked' }), peer: pending } });

    expect(plan.operations).toEqual([]);
  });

  it('unblocked on one side is activated on the other', () => {
    const blocked = aLicense({ status: 'blocked' });
    const plan = planCase({ base: onBoth(blocked), now: { primary: blocked, peer: LICENSE } });

    expect(only(plan)).toMatchObject({
      server: 'primary',
      kind: 'activate',
      reason: merged([sideChange(editedOn('render', { opened: true }))], { code: 'denied-on-target', sides: TO_PRIMARY, target: 'deny:blocked' }),
    });
  });

  it('unblocked on one side re-dates the other when it has expired there (activating would leave it expired)', () => {
    const blockedExpired = aLicense({ status: 'blocked', end_date: daysFromToday(-3) });
    const example: Case = { base: { primary: blockedExpired, peer: aLicense({ status: 'blocked' }) }, now: { primary: blockedExpired, peer: LICENSE } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({ server: 'primary', kind: 'update-license' });
    const primary = afterPlan(example, plan).primary.licenses.get(ID);
    expect(primary && licenseDecision(primary, TODAY)).toBe('allow');
  });

  it('edited on the peer while the primary has expired re-dates the primary (the changed side is copied, dates included)', () => {
    const expired = aLicense({ end_date: daysFromToday(-1) });
    const plan = planCase({ base: { primary: expired, peer: LICENSE }, now: { primary: expired, peer: aLicense({ created_by: 'maria' }) } });

    expect(only(plan)).toMatchObject({ server: 'primary', kind: 'update-license', body: { created_by: 'maria' } });
  });
});

describe('a license renewed on one side since the base', () => {
  const renewed = aLicense({ start_date: TODAY, end_date: addMonths(TODAY, 12) });

  it('is re-dated on the other side when it ends earlier there, content equal or not', () => {
    const example: Case = { base: onBoth(LICENSE), now: { primary: renewed, peer: LICENSE } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'update-license',
      reason: merged([sideChange(editedOn('primary', { renewed: true }))], {
        code: 'renewed-on-source',
        sides: TO_PEER,
        targetEnd: LICENSE.end_date,
        runs: { until: addMonths(TODAY, 12), sourceEnd: renewed.end_date },
      }),
    });
    expect(afterPlan(example, plan).peer.licenses.get(ID)?.end_date).toBe(renewed.end_date);
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('is not re-dated on the other side when that side already ends as late', () => {
    const later = aLicense({ end_date: addMonths(TODAY, 13) });
    const plan = planCase({ base: { primary: LICENSE, peer: later }, now: { primary: renewed, peer: later } });

    expect(plan.operations).toEqual([]);
  });

  it('renewed on the peer re-dates the primary', () => {
    expect(writes(planCase({ base: onBoth(LICENSE), now: { primary: LICENSE, peer: renewed } }))).toEqual(['primary update-license']);
  });

  it('but held is never re-dated anywhere (an upsert re-opens)', () => {
    const heldRenewal = { ...renewed, status: 'blocked' as const };
    const held = aLicense({ status: 'blocked' });
    expect(planCase({ base: onBoth(held), now: { primary: heldRenewal, peer: held } }).operations).toEqual([]);
  });
});

describe('a license deleted on one side since the base', () => {
  const other = aLicense({ device_id: 'OTHER-DEVICE' });
  const deletedOnPeer: Case = { base: onBoth([LICENSE, other]), now: { primary: [LICENSE, other], peer: [other] } };

  it('is restored on that side without --delete, and the reason says how to propagate deletions', () => {
    const plan = planCase(deletedOnPeer);

    expect(only(plan)).toMatchObject({
      server: 'render',
      kind: 'create-license',
      thenBlock: null,
      body: { device_id: ID },
      reason: merged([sideChange({ code: 'deleted', side: 'render' }), { code: 'restored', why: { code: 'no-delete' } }], { code: 'missing', sides: TO_PEER }),
    });
    expect(nextPlan(deletedOnPeer, plan).operations).toEqual([]);
  });

  it('is deleted on the other side with --delete', () => {
    const example: Case = { ...deletedOnPeer, options: { delete: true } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({
      server: 'primary',
      kind: 'delete-license',
      deviceId: ID,
      reason: merged([sideChange({ code: 'deleted', side: 'render' })], { code: 'deleted-too', on: 'primary' }),
    });
    expect(afterPlan(example, plan).primary.licenses.has(ID)).toBe(false);
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('deleted on the primary is deleted on the peer with --delete', () => {
    expect(writes(planCase({ base: onBoth(LICENSE), now: { peer: LICENSE }, options: { delete: true } }))).toEqual(['render delete-license']);
  });

  it('is restored held when the other side holds it', () => {
    const blocked = aLicense({ status: 'blocked' });
    const example: Case = { base: onBoth(blocked), now: { primary: blocked } };
    const plan = planCase(example);

    expect(only(plan)).toMatchObject({ server: 'render', kind: 'create-license', thenBlock: { code: 'source-denies', sides: TO_PEER, decision: 'deny:blocked' } });
    expect(afterPlan(example, plan).peer.licenses.get(ID)?.status).toBe('blocked');
  });

  it('is not deleted, with every other deletion of the plan, when they exceed --max-delete (counted in both directions): the peer’s restored, the primary’s held', () => {
    const plan = planCase({ base: onBoth([LICENSE, other]), now: { primary: [other], peer: [LICENSE] }, options: { delete: true, maxDelete: 1 } });
    const why = { code: 'over-max-delete', deletions: 2, maxDelete: 1 };

    expect(writes(plan).sort()).toEqual(['render block', 'render create-license']);
    const restored = plan.operations.find((operation) => operation.kind === 'create-license');
    const held = plan.operations.find((operation) => operation.kind === 'block');
    expect(restored).toMatchObject({ key: licenseKey(other.device_id), reason: { code: 'merged', cause: expect.arrayContaining([{ code: 'restored', why }]) as unknown } });
    expect(held).toMatchObject({ deviceId: ID, reason: { code: 'merged', step: { code: 'deleted-on-primary', peer: 'render', why } } });
    expect(plan.skipped.map((item) => [item.key, item.reason, 'deletedOn' in item ? item.deletedOn : null]).sort()).toEqual([
      [ID, 'deletion-pending', 'primary'],
      [other.device_id, 'deletion-pending', 'render'],
    ]);
  });

  it('is deleted when the plan’s deletions are exactly --max-delete', () => {
    const plan = planCase({ base: onBoth([LICENSE, other]), now: { primary: [other], peer: [LICENSE] }, options: { delete: true, maxDelete: 2 } });

    expect(writes(plan).sort()).toEqual(['primary delete-license', 'render delete-license']);
  });

  it('on both sides is gone: nothing to do', () => {
    expect(planCase({ base: onBoth(LICENSE), now: {}, options: { delete: true } })).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });

  it('on one side that never had it on the other is gone: nothing to do', () => {
    expect(planCase({ base: { primary: LICENSE }, now: {} }).operations).toEqual([]);
  });
});
