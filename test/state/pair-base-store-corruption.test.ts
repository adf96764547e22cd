import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { PairBaseStore, type BaseLookup, type PairKey } from '../../src/state/pair-base-store.js';
import type { BaseLicense, PairBase } from '../../src/plan/two-way/pair-base.js';
import { openStateDatabase } from '../../src/state/state-database.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

// Each test damages a saved base with SQL, as a disk error, a bug or a hand
// edit would, and expects load to say the base is unreadable, naming the pair
// (and the side and device_id of a bad row), without throwing and without
// quoting the row's contents.

let temp: TempStateDir;
let db: Database.Database;
let store: PairBaseStore;

const PAIR: PairKey = { primaryUrl: 'https://primary.example', peerUrl: 'https://peer.example' };
const OTHER_PAIR: PairKey = { primaryUrl: 'https://primary.example', peerUrl: 'https://other-peer.example' };
const PAIR_NAMED = 'the base recorded for primary https://primary.example and peer https://peer.example: ';
const SECRET = 'Segredo Confidencial';

function license(overrides: Partial<BaseLicense> = {}): BaseLicense {
  return {
    owner_name: SECRET,
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

const BASE: PairBase = {
  primary: { licenses: new Map([['dev/1', license()], ['dev/2', license({ status: 'blocked' })], ['dev "3"', license({ end_date: null })]]) },
  peer: { licenses: new Map([['dev/1', license()], ['dev/2', license({ owner_name: null })]]) },
};

beforeEach(async () => {
  temp = await makeTempStateDir();
  db = openStateDatabase(temp.stateDir);
  store = new PairBaseStore(db);
  store.save(PAIR, BASE, { runId: 3, recordedAt: '2026-03-01T10:00:00.000Z', mode: 'two-way' });
  store.save(OTHER_PAIR, BASE, { runId: 3, recordedAt: '2026-03-01T10:00:00.000Z', mode: 'two-way' });
});

afterEach(async () => {
  db.close();
  await temp.remove();
});

const PAIR_ID = () => db.prepare<[string, string], number>('SELECT id FROM pair_bases WHERE primary_url = ? AND peer_url = ?').pluck().get(PAIR.primaryUrl, PAIR.peerUrl);

/** Runs `sql` on the rows of PAIR's base; `?` is its id. */
function damage(sql: string): void {
  const changes = db.prepare(sql).run(PAIR_ID()).changes;
  expect(changes).toBeGreaterThan(0);
}

function expectUnreadable(lookup: BaseLookup, problem: string): string {
  if (lookup.kind !== 'unreadable') throw new Error(`expected unreadable, got ${lookup.kind}`);
  expect(lookup.reason).toBe(PAIR_NAMED + problem);
  expect(lookup.reason).not.toContain(SECRET);
  // The other pair's base is untouched and still reads.
  expect(store.load(OTHER_PAIR).kind).toBe('found');
  return lookup.reason;
}

describe('PairBaseStore.load on a damaged base: rows', () => {
  it('reports a row whose JSON does not parse, with its side and device_id only', () => {
    damage(`UPDATE pair_base_licenses SET fields = '["${SECRET}", broken' WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/2'`);

    expectUnreadable(store.load(PAIR), 'license "dev/2" of the peer side: its fields do not parse as JSON');
  });

  it.each([
    ['owner_name a number', `json_replace(fields, '$[0]', 5)`, 'owner_name is not text or null'],
    ['email an object', `json_replace(fields, '$[2]', json('{"a":1}'))`, 'email is not text or null'],
    ['license_type unknown', `json_replace(fields, '$[4]', 'eterna')`, 'license_type is not a known license type'],
    ['license_type null', `json_replace(fields, '$[4]', json('null'))`, 'license_type is not a known license type'],
    ['created_by null', `json_replace(fields, '$[5]', json('null'))`, 'created_by is not text'],
    ['status unknown', `json_replace(fields, '$[6]', 'deleted')`, 'status is not a known license status'],
    ['start_date not YYYY-MM-DD', `json_replace(fields, '$[7]', '15/01/2025')`, 'start_date is not a YYYY-MM-DD date or null'],
    ['end_date an impossible day', `json_replace(fields, '$[8]', '2026-02-30')`, 'end_date is not a YYYY-MM-DD date or null'],
    ['end_date a timestamp', `json_replace(fields, '$[8]', '2026-01-15T00:00:00Z')`, 'end_date is not a YYYY-MM-DD date or null'],
    ['a field missing', `json_remove(fields, '$[8]')`, 'its fields are not an array of the 9 license fields'],
    ['a field too many', `json_insert(fields, '$[#]', 'extra')`, 'its fields are not an array of the 9 license fields'],
    ['an object, not an array', `json_object('owner_name', 'x')`, 'its fields are not an array of the 9 license fields'],
    ['a blob, not text', `X'5B5D'`, 'its fields are not stored as text'],
  ])('reports a row with %s', (_, newFields, problem) => {
    damage(`UPDATE pair_base_licenses SET fields = ${newFields} WHERE base_id = ? AND side = 'primary' AND device_id = 'dev "3"'`);

    const reason = expectUnreadable(store.load(PAIR), `license "dev \\"3\\"" of the primary side: ${problem}`);
    for (const value of ['eterna', 'deleted', '15/01/2025', '2026-02-30', 'extra']) expect(reason).not.toContain(value);
  });

  it('reports a row whose device_id is not text', () => {
    damage(`UPDATE pair_base_licenses SET device_id = X'00FF' WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/1'`);

    expectUnreadable(store.load(PAIR), 'a license of the peer side has a device_id that is not text');
  });

  it('quotes a device_id safely for a terminal', () => {
    damage(`UPDATE pair_base_licenses SET device_id = 'evil' || char(27) || '[31m' || char(8238) || char(10) WHERE base_id = ? AND device_id = 'dev/2' AND side = 'peer'`);
    damage(`UPDATE pair_base_licenses SET fields = 'nope' WHERE base_id = ? AND side = 'peer' AND device_id LIKE 'evil%'`);

    expectUnreadable(store.load(PAIR), 'license "evil\\u001b[31m\\u202e\\n" of the peer side: its fields do not parse as JSON');
  });
});

describe('PairBaseStore.load on a damaged base: header', () => {
  it('reports an unknown format version', () => {
    damage(`UPDATE pair_bases SET format = 2 WHERE id = ?`);
    expectUnreadable(store.load(PAIR), 'its format version 2 is not one this sync-dbs reads (1)');

    damage(`UPDATE pair_bases SET format = 'v1' WHERE id = ?`);
    expectUnreadable(store.load(PAIR), 'its format version "v1" is not one this sync-dbs reads (1)');
  });

  it('reports a run_id that is not a whole number', () => {
    damage(`UPDATE pair_bases SET run_id = 'three' WHERE id = ?`);
    expectUnreadable(store.load(PAIR), 'its run_id is not a whole number or null');
  });

  it('reports a row gone missing', () => {
    damage(`DELETE FROM pair_base_licenses WHERE base_id = ? AND side = 'primary' AND device_id = 'dev/1'`);
    expectUnreadable(store.load(PAIR), 'its header counts 3 licenses on the primary side, but 2 are stored');
  });

  it('reports a row too many', () => {
    damage(`INSERT INTO pair_base_licenses (base_id, side, device_id, fields)
            SELECT base_id, side, 'dev/9', fields FROM pair_base_licenses WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/1'`);
    expectUnreadable(store.load(PAIR), 'its header counts 2 licenses on the peer side, but 3 are stored');
  });

  it('reports counts edited in the header', () => {
    damage(`UPDATE pair_bases SET peer_licenses = 5 WHERE id = ?`);
    expectUnreadable(store.load(PAIR), 'its header counts 5 licenses on the peer side, but 2 are stored');

    damage(`UPDATE pair_bases SET peer_licenses = 2, primary_licenses = 'three' WHERE id = ?`);
    expectUnreadable(store.load(PAIR), 'its header counts "three" licenses on the primary side, but 3 are stored');
  });
});

describe('PairBaseStore.load on a damaged base, in Brazilian Portuguese', () => {
  afterEach(() => setLanguage('en'));

  it('names the pair and the problem in Portuguese', () => {
    setLanguage('pt-BR');
    damage(`UPDATE pair_bases SET peer_licenses = 5 WHERE id = ?`);
    const lookup = store.load(PAIR);
    expect(lookup).toEqual({
      kind: 'unreadable',
      reason:
        'a base registrada para o primário https://primary.example e o par https://peer.example: o cabeçalho conta 5 licenças do lado do par, mas há 2 gravadas',
    });
  });

  it('names a damaged row and its field in Portuguese', () => {
    setLanguage('pt-BR');
    damage(`UPDATE pair_base_licenses SET fields = json_replace(fields, '$[7]', '01/03/2026') WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/2'`);
    expect(store.load(PAIR)).toEqual({
      kind: 'unreadable',
      reason:
        'a base registrada para o primário https://primary.example e o par https://peer.example: a licença "dev/2" do lado do par: start_date não é uma data AAAA-MM-DD nem null',
    });
    damage(`UPDATE pair_base_licenses SET fields = 'x' WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/2'`);
    expect(store.load(PAIR)).toMatchObject({ reason: expect.stringMatching(/: os campos não são um JSON válido$/) });
  });
});

describe('PairBaseStore.load on a damaged base: checksum', () => {
  const MISMATCH = 'its checksum does not match its rows: they were changed or damaged after it was recorded';

  it.each([
    ['a field changed to another valid value', `UPDATE pair_base_licenses SET fields = json_replace(fields, '$[6]', 'pending') WHERE base_id = ? AND side = 'peer' AND device_id = 'dev/1'`],
    ['a text field changed', `UPDATE pair_base_licenses SET fields = json_replace(fields, '$[0]', 'Outro Nome') WHERE base_id = ? AND side = 'primary' AND device_id = 'dev/2'`],
    ['the same JSON written another way', `UPDATE pair_base_licenses SET fields = replace(fields, '","', '", "') WHERE base_id = ? AND device_id = 'dev/2' AND side = 'primary'`],
    ['a device_id renamed', `UPDATE pair_base_licenses SET device_id = 'dev/7' WHERE base_id = ? AND side = 'primary' AND device_id = 'dev/1'`],
    ['a row moved to the other side, counts adjusted', `UPDATE pair_base_licenses SET side = 'peer' WHERE base_id = ? AND side = 'primary' AND device_id = 'dev "3"'`],
    ['the checksum itself changed', `UPDATE pair_bases SET checksum = upper(checksum) WHERE id = ?`],
    ['the checksum emptied', `UPDATE pair_bases SET checksum = '' WHERE id = ?`],
  ])('reports %s', (name, sql) => {
    damage(sql);
    if (name.startsWith('a row moved')) damage(`UPDATE pair_bases SET primary_licenses = 2, peer_licenses = 3 WHERE id = ?`);

    expectUnreadable(store.load(PAIR), MISMATCH);
  });

  it('sums the rows in a fixed order, whatever order the maps were built in', () => {
    const reversed: PairBase = {
      primary: { licenses: new Map([...BASE.primary.licenses].reverse()) },
      peer: { licenses: new Map([...BASE.peer.licenses].reverse()) },
    };
    store.save(OTHER_PAIR, reversed, { runId: 4, recordedAt: '2026-03-01T11:00:00.000Z', mode: 'two-way' });

    const checksums = db.prepare<[], string>('SELECT checksum FROM pair_bases ORDER BY id').pluck().all();
    expect(checksums).toHaveLength(2);
    expect(checksums[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(checksums[1]).toBe(checksums[0]);
  });
});

describe('PairBaseStore.load never throws', () => {
  it('reports a database it cannot read as unreadable', () => {
    db.exec('DROP TABLE pair_base_licenses');

    const lookup = store.load(PAIR);

    expect(lookup.kind).toBe('unreadable');
    if (lookup.kind === 'unreadable') expect(lookup.reason.startsWith(`${PAIR_NAMED}could not be read from the state database (`)).toBe(true);
  });

  it('reports a closed database as unreadable', () => {
    const reader = openStateDatabase(temp.stateDir);
    const readerStore = new PairBaseStore(reader);
    reader.close();

    expect(readerStore.load(PAIR).kind).toBe('unreadable');
  });
});
