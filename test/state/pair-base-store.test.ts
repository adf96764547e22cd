import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LICENSE_STATUSES } from '../../src/domain/decision.js';
import { LICENSE_TYPES } from '../../src/domain/license-type.js';
import { compareCodePoints } from '../../src/state/pair-base-rows.js';
import { PairBaseStore, type BaseLookup, type BaseMeta, type PairKey } from '../../src/state/pair-base-store.js';
import type { BaseLicense, PairBase } from '../../src/plan/two-way/pair-base.js';
import { openStateDatabase } from '../../src/state/state-database.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;
let db: Database.Database;
let store: PairBaseStore;
const extraConnections: Database.Database[] = [];

beforeEach(async () => {
  temp = await makeTempStateDir();
  db = openStateDatabase(temp.stateDir);
  store = new PairBaseStore(db);
});

afterEach(async () => {
  for (const connection of extraConnections.splice(0)) connection.close();
  db.close();
  await temp.remove();
});

const PRIMARY = 'https://primary.example';
const PEER_A = 'https://peer-a.example';
const PEER_B = 'https://peer-b.example/licencas';
const PAIR_A: PairKey = { primaryUrl: PRIMARY, peerUrl: PEER_A };
const PAIR_B: PairKey = { primaryUrl: PRIMARY, peerUrl: PEER_B };

const META: BaseMeta = { runId: 7, recordedAt: '2026-03-01T10:05:00.000Z', mode: 'two-way' };

function license(overrides: Partial<BaseLicense> = {}): BaseLicense {
  return {
    owner_name: 'Ana Souza',
    cpf: '123.456.789-00',
    email: 'ana@example.com',
    address: 'Rua das Flores, 12',
    license_type: 'anual',
    created_by: 'admin',
    status: 'active',
    start_date: '2025-01-15',
    end_date: '2026-01-15',
    ...overrides,
  };
}

function pairBase(primary: Record<string, BaseLicense> | [string, BaseLicense][], peer: Record<string, BaseLicense> | [string, BaseLicense][]): PairBase {
  const side = (entries: Record<string, BaseLicense> | [string, BaseLicense][]) => ({
    licenses: new Map(Array.isArray(entries) ? entries : Object.entries(entries)),
  });
  return { primary: side(primary), peer: side(peer) };
}

function expectFound(lookup: BaseLookup): { base: PairBase; meta: BaseMeta } {
  if (lookup.kind !== 'found') throw new Error(`expected a base, got ${JSON.stringify(lookup)}`);
  return lookup;
}

/** The maps as sorted entry lists: toEqual on them also checks no entry is missing or extra. */
function entriesOf(base: PairBase) {
  const sorted = (licenses: ReadonlyMap<string, BaseLicense>) => [...licenses].sort(([a], [b]) => compareCodePoints(a, b));
  return { primary: sorted(base.primary.licenses), peer: sorted(base.peer.licenses) };
}

const rowCount = (connection = db) => connection.prepare<[], number>('SELECT count(*) FROM pair_base_licenses').pluck().get();

const AWKWARD_DEVICE_IDS = [
  'plain-001',
  'a/b/c',
  '/leading/slash/',
  'q?x=1&y=2',
  'frag#1',
  '100%',
  '%2F%00',
  '..',
  '../..',
  './x',
  "it's",
  'say "hi"',
  '`tick`',
  'back\\slash',
  'São Paulo/ção',
  'e\u0301',
  '\u00e9',
  '中文设备',
  '😀 emoji',
  '\ue000 private use',
  '\uffff',
  ' spaced ',
  'line\nbreak\ttab',
  'nul\u0000inside',
  '\u202e right-to-left override',
  '',
];

describe('PairBaseStore: save and load', () => {
  it('has no base for a pair never saved', () => {
    expect(store.load(PAIR_A)).toEqual({ kind: 'none' });
    expect(store.list()).toEqual([]);
  });

  it('round-trips licenses exactly: nulls, non-ASCII text, and device_ids with / ? # % .. quotes and other awkward characters', () => {
    const primary = AWKWARD_DEVICE_IDS.map((deviceId, n): [string, BaseLicense] => [
      deviceId,
      license({ owner_name: `Dono ${n} — José Ñúñez 😀`, address: 'Av. "Central", 1\\2 \u0000 fim', created_by: `revenda-${n}` }),
    ]);
    const peer: [string, BaseLicense][] = [
      ['all-nulls', license({ owner_name: null, cpf: null, email: null, address: null, start_date: null, end_date: null })],
      ['vitalicia', license({ license_type: 'vitalicia', status: 'blocked', end_date: null })],
      ['pending', license({ license_type: 'mensal', status: 'pending', start_date: '2024-02-29', end_date: '2024-03-29' })],
      ['lone-surrogate-in-a-field', license({ owner_name: 'broken \ud800 text', email: '\udc00' })],
      ...AWKWARD_DEVICE_IDS.slice(0, 5).map((deviceId): [string, BaseLicense] => [deviceId, license({ status: 'blocked' })]),
    ];
    const base = pairBase(primary, peer);

    store.save(PAIR_A, base, META);
    const found = expectFound(store.load(PAIR_A));

    expect(found.meta).toEqual(META);
    expect(entriesOf(found.base)).toEqual(entriesOf(base));
    expect(found.base.primary.licenses.size).toBe(AWKWARD_DEVICE_IDS.length);
    expect(found.base.peer.licenses.get('lone-surrogate-in-a-field')?.owner_name).toBe('broken \ud800 text');
  });

  it('round-trips the pending peer deletions through the SQLite file, replaces them on the next save and drops them with the base', () => {
    const pending = ['plain-001', 'a/b/c', '..', 'São Paulo/ção', '😀 emoji', ''];
    store.save(PAIR_A, { ...pairBase([['plain-001', license()]], [['plain-001', license()]]), pendingPeerDeletions: new Set(pending) }, META);
    store.save(PAIR_B, { ...pairBase([], []), pendingPeerDeletions: new Set(['other-pair']) }, META);

    // A new connection to the same file: what a later run reads.
    db.close();
    db = openStateDatabase(temp.stateDir);
    store = new PairBaseStore(db);
    const found = expectFound(store.load(PAIR_A));
    expect([...(found.base.pendingPeerDeletions ?? [])].sort(compareCodePoints)).toEqual([...pending].sort(compareCodePoints));
    expect([...(expectFound(store.load(PAIR_B)).base.pendingPeerDeletions ?? [])]).toEqual(['other-pair']);

    store.save(PAIR_A, { ...pairBase([], []), pendingPeerDeletions: new Set(['plain-001']) }, META);
    expect([...(expectFound(store.load(PAIR_A)).base.pendingPeerDeletions ?? [])]).toEqual(['plain-001']);
    store.save(PAIR_A, pairBase([], []), META);
    expect(expectFound(store.load(PAIR_A)).base.pendingPeerDeletions).toEqual(new Set());

    store.save(PAIR_A, { ...pairBase([], []), pendingPeerDeletions: new Set(['x']) }, META);
    store.forget(PAIR_A);
    expect(db.prepare<[], number>('SELECT count(*) FROM pair_base_pending_deletions').pluck().get()).toBe(1);
    expect([...(expectFound(store.load(PAIR_B)).base.pendingPeerDeletions ?? [])]).toEqual(['other-pair']);
  });

  it('loads only the peer side on request, still checking every row of both', () => {
    const base = pairBase([['P1', license()], ['P2', license()]], [['Q1', license({ status: 'blocked' })]]);
    store.save(PAIR_A, base, META);

    const peerOnly = expectFound(store.loadPeerSide(PAIR_A));
    expect(peerOnly.base.primary.licenses.size).toBe(0);
    expect([...peerOnly.base.peer.licenses.keys()]).toEqual(['Q1']);

    db.prepare(`UPDATE pair_base_licenses SET fields = '[' WHERE side = 'primary' AND device_id = 'P2'`).run();
    expect(store.loadPeerSide(PAIR_A)).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('"P2"') });
  });

  it('round-trips an empty base, and meta with a null run id and one-way mode', () => {
    const meta: BaseMeta = { runId: null, recordedAt: '2026-03-02T00:00:00.000Z', mode: 'one-way' };
    store.save(PAIR_A, pairBase([], []), meta);

    const found = expectFound(store.load(PAIR_A));

    expect(found.meta).toEqual(meta);
    expect(found.base.primary.licenses.size).toBe(0);
    expect(found.base.peer.licenses.size).toBe(0);
  });

  it('round-trips any device_ids and field values (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const anyLicense = fc.record({
      owner_name: fc.option(text),
      cpf: fc.option(text),
      email: fc.option(text),
      address: fc.option(text),
      license_type: fc.constantFrom(...LICENSE_TYPES),
      created_by: text,
      status: fc.constantFrom(...LICENSE_STATUSES),
      start_date: fc.option(fc.constantFrom('2024-02-29', '2025-12-31', '0001-01-01')),
      end_date: fc.option(fc.constantFrom('2026-01-01', '9999-12-31')),
    });
    const side = fc.dictionary(text, anyLicense, { maxKeys: 30 }).map((record) => Object.entries(record));
    fc.assert(
      fc.property(side, side, (primary, peer) => {
        const base = pairBase(primary, peer);
        store.save(PAIR_A, base, META);
        expect(entriesOf(expectFound(store.load(PAIR_A)).base)).toEqual(entriesOf(base));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps several pairs side by side: one primary, two peers', () => {
    const baseA = pairBase({ 'dev-1': license(), 'dev-2': license({ status: 'blocked' }) }, { 'dev-1': license() });
    const baseB = pairBase({ 'dev-9': license({ owner_name: 'Bruno' }) }, { 'dev-8': license(), 'dev-9': license({ email: null }) });
    const metaB: BaseMeta = { runId: 8, recordedAt: '2026-03-01T11:00:00.000Z', mode: 'two-way' };

    store.save(PAIR_A, baseA, META);
    store.save(PAIR_B, baseB, metaB);

    expect(entriesOf(expectFound(store.load(PAIR_A)).base)).toEqual(entriesOf(baseA));
    const foundB = expectFound(store.load(PAIR_B));
    expect(entriesOf(foundB.base)).toEqual(entriesOf(baseB));
    expect(foundB.meta).toEqual(metaB);

    // Replacing one pair's base leaves the other's alone.
    const newA = pairBase({ 'dev-3': license() }, {});
    store.save(PAIR_A, newA, { ...META, runId: 9 });
    expect(entriesOf(expectFound(store.load(PAIR_A)).base)).toEqual(entriesOf(newA));
    expect(entriesOf(expectFound(store.load(PAIR_B)).base)).toEqual(entriesOf(baseB));
    expect(rowCount()).toBe(1 + 3);
  });

  it('list() gives each recorded pair with its meta and license counts', () => {
    store.save(PAIR_B, pairBase({ x: license(), y: license() }, { x: license() }), { runId: null, recordedAt: '2026-03-01T12:00:00.000Z', mode: 'one-way' });
    store.save(PAIR_A, pairBase({}, { a: license(), b: license(), c: license() }), META);
    store.save({ primaryUrl: 'https://other-primary.example', peerUrl: PEER_A }, pairBase({ z: license() }, {}), META);

    expect(store.list()).toEqual([
      { primaryUrl: 'https://other-primary.example', peerUrl: PEER_A, meta: META, licenses: { primary: 1, peer: 0 } },
      { primaryUrl: PRIMARY, peerUrl: PEER_A, meta: META, licenses: { primary: 0, peer: 3 } },
      {
        primaryUrl: PRIMARY,
        peerUrl: PEER_B,
        meta: { runId: null, recordedAt: '2026-03-01T12:00:00.000Z', mode: 'one-way' },
        licenses: { primary: 2, peer: 1 },
      },
    ]);
  });
});

describe('PairBaseStore: replacing a base', () => {
  const OLD = pairBase({ 'old-1': license(), 'old-2': license(), shared: license({ owner_name: 'old' }) }, { 'old-1': license(), 'old-3': license() });
  const NEW = pairBase({ shared: license({ owner_name: 'new' }), 'new-1': license() }, { 'new-2': license() });

  it('leaves no row of the old base', () => {
    store.save(PAIR_A, OLD, META);
    store.save(PAIR_A, NEW, { ...META, runId: 8 });

    const found = expectFound(store.load(PAIR_A));
    expect(entriesOf(found.base)).toEqual(entriesOf(NEW));
    expect(found.meta.runId).toBe(8);
    expect(rowCount()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM pair_bases').pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM pair_base_licenses WHERE device_id LIKE 'old-%'`).pluck().get()).toBe(0);
  });

  it('is atomic: a reader in a transaction keeps seeing the whole old base, then the whole new one', () => {
    store.save(PAIR_A, OLD, META);
    const reader = openStateDatabase(temp.stateDir);
    extraConnections.push(reader);
    const readerStore = new PairBaseStore(reader);

    reader.exec('BEGIN');
    expect(entriesOf(expectFound(readerStore.load(PAIR_A)).base)).toEqual(entriesOf(OLD));

    store.save(PAIR_A, NEW, { ...META, runId: 8 });

    const during = expectFound(readerStore.load(PAIR_A));
    expect(entriesOf(during.base)).toEqual(entriesOf(OLD));
    expect(during.meta.runId).toBe(7);
    reader.exec('COMMIT');

    const after = expectFound(readerStore.load(PAIR_A));
    expect(entriesOf(after.base)).toEqual(entriesOf(NEW));
    expect(after.meta.runId).toBe(8);
  });

  it('is atomic: a save that fails part way writes nothing and keeps the old base', () => {
    store.save(PAIR_A, OLD, META);
    const rowsBefore = rowCount();
    // Valid rows come first (the primary side, then peer rows sorting before it): the bad one fails after they are written.
    const bad = pairBase(
      { 'new-1': license(), 'new-2': license() },
      { 'a-valid': license(), 'z-bad': license({ status: 'deleted' as BaseLicense['status'] }) },
    );

    expect(() => store.save(PAIR_A, bad, { ...META, runId: 8 })).toThrow(
      `the base recorded for primary ${PRIMARY} and peer ${PEER_A}: license "z-bad" of the peer side: status is not a known license status`,
    );

    const found = expectFound(store.load(PAIR_A));
    expect(entriesOf(found.base)).toEqual(entriesOf(OLD));
    expect(found.meta).toEqual(META);
    expect(rowCount()).toBe(rowsBefore);
  });

  it('refuses to save what it could not load back: bad field values, bad meta, a device_id with a lone surrogate', () => {
    const attempts: [PairBase, BaseMeta, string][] = [
      [pairBase({ d: license({ start_date: '2025-02-30' }) }, {}), META, 'license "d" of the primary side: start_date is not a YYYY-MM-DD date or null'],
      [pairBase({}, { d: license({ license_type: 'eterna' as BaseLicense['license_type'] }) }), META, 'license "d" of the peer side: license_type is not a known license type'],
      [pairBase({ d: license({ created_by: null as unknown as string }) }, {}), META, 'created_by is not text'],
      [pairBase({ d: license({ cpf: 123 as unknown as string }) }, {}), META, 'cpf is not text or null'],
      [pairBase({}, {}), { ...META, mode: 'sideways' as BaseMeta['mode'] }, 'the given mode is not one-way or two-way'],
      [pairBase({}, {}), { ...META, runId: 1.5 }, 'the given run_id is not a whole number or null'],
      [pairBase({ 'bad\ud800id': license() }, {}), META, 'the primary side: device_id "bad\\ud800id" is not valid Unicode (a lone surrogate)'],
    ];
    for (const [base, meta, message] of attempts) expect(() => store.save(PAIR_A, base, meta)).toThrow(message);
    expect(store.load(PAIR_A)).toEqual({ kind: 'none' });
    expect(rowCount()).toBe(0);
  });
});

describe('PairBaseStore.forget', () => {
  it("drops the pair's header and rows, and nothing of other pairs", () => {
    store.save(PAIR_A, pairBase({ a: license(), b: license() }, { a: license() }), META);
    store.save(PAIR_B, pairBase({ c: license() }, {}), META);

    store.forget(PAIR_A);
    store.forget({ primaryUrl: PRIMARY, peerUrl: 'https://never-saved.example' });

    expect(store.load(PAIR_A)).toEqual({ kind: 'none' });
    expect(store.list().map((pair) => pair.peerUrl)).toEqual([PEER_B]);
    expect(rowCount()).toBe(1);
    expect(expectFound(store.load(PAIR_B)).base.primary.licenses.has('c')).toBe(true);
  });
});

describe('PairBaseStore: a peer recorded with other servers', () => {
  it('is other-servers when the peer has a base with another primary only, naming the most recent one', () => {
    store.save({ primaryUrl: 'https://old-primary.example', peerUrl: PEER_A }, pairBase({ a: license() }, {}), {
      ...META,
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    store.save({ primaryUrl: 'https://older-primary.example', peerUrl: PEER_A }, pairBase({}, {}), { ...META, recordedAt: '2025-06-01T00:00:00.000Z' });

    expect(store.load(PAIR_A)).toEqual({
      kind: 'other-servers',
      recordedWith: { primaryUrl: 'https://old-primary.example', recordedAt: '2026-01-01T00:00:00.000Z' },
    });
    // Another peer, or the same servers the other way round, have none.
    expect(store.load(PAIR_B)).toEqual({ kind: 'none' });
    expect(store.load({ primaryUrl: PEER_A, peerUrl: 'https://old-primary.example' })).toEqual({ kind: 'none' });

    // Once the pair has its own base, that one is found.
    store.save(PAIR_A, pairBase({ b: license() }, {}), META);
    expect(expectFound(store.load(PAIR_A)).base.primary.licenses.has('b')).toBe(true);
  });
});
