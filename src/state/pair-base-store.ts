import { t } from '../i18n/i18n.js';
import type Database from 'better-sqlite3';
import {
  BASE_SIDES,
  decodeLicense,
  encodeLicense,
  PAIR_BASE_FORMAT,
  quoteForMessage,
  RowChecksum,
  storedOrder,
  type BaseSide,
} from './pair-base-rows.js';
import type { BaseLicense, PairBase } from '../plan/two-way/pair-base.js';

/** A server pair of a two-way run, by the URLs of its servers. */
export interface PairKey {
  readonly primaryUrl: string;
  readonly peerUrl: string;
}

export interface BaseMeta {
  /** The run that recorded the base; null when none is recorded. */
  readonly runId: number | null;
  /** ISO 8601, UTC. */
  readonly recordedAt: string;
  readonly mode: 'one-way' | 'two-way';
}

export type BaseLookup =
  | { readonly kind: 'found'; readonly base: PairBase; readonly meta: BaseMeta }
  | { readonly kind: 'none' }
  /** No base for this pair, but the peer's URL has one recorded with another primary. */
  | { readonly kind: 'other-servers'; readonly recordedWith: { readonly primaryUrl: string; readonly recordedAt: string } }
  | { readonly kind: 'unreadable'; readonly reason: string };

export interface RecordedPairBase {
  readonly primaryUrl: string;
  readonly peerUrl: string;
  readonly meta: BaseMeta;
  /** As counted in the base's header. */
  readonly licenses: { primary: number; peer: number };
}

/** Rows inserted by one statement: a call per row costs more than SQLite's work for it. */
const ROWS_PER_INSERT = 100;

const MODES: readonly BaseMeta['mode'][] = ['one-way', 'two-way'];

interface HeaderRow {
  readonly id: number;
  readonly format: unknown;
  readonly recorded_at: unknown;
  readonly run_id: unknown;
  readonly mode: unknown;
  readonly primary_licenses: unknown;
  readonly peer_licenses: unknown;
  readonly checksum: unknown;
}

interface ListRow {
  readonly primary_url: string;
  readonly peer_url: string;
  readonly recorded_at: string;
  readonly run_id: number | null;
  readonly mode: BaseMeta['mode'];
  readonly primary_licenses: number;
  readonly peer_licenses: number;
}

/**
 * The base of each server pair (each side's licenses after the pair's last
 * successful run), in the state database: a header per pair in `pair_bases`,
 * a row per license per side in `pair_base_licenses`. Rows are streamed
 * through prepared statements, so a base is never one big string.
 */
export class PairBaseStore {
  private readonly statements;

  /** `db` must come from openStateDatabase (pragmas set, schema migrated). */
  constructor(private readonly db: Database.Database) {
    this.statements = {
      header: db.prepare<[string, string], HeaderRow>(
        `SELECT id, format, recorded_at, run_id, mode, primary_licenses, peer_licenses, checksum
         FROM pair_bases WHERE primary_url = ? AND peer_url = ?`,
      ),
      otherPrimary: db.prepare<[string, string], { primary_url: string; recorded_at: string }>(
        `SELECT primary_url, recorded_at FROM pair_bases WHERE peer_url = ? AND primary_url != ?
         ORDER BY recorded_at DESC, id DESC LIMIT 1`,
      ),
      // The primary key's order: device_ids in code point order, no sort step.
      rows: db
        .prepare<[number, BaseSide], unknown[]>(`SELECT device_id, fields FROM pair_base_licenses WHERE base_id = ? AND side = ? ORDER BY device_id`)
        .raw(),
      deleteRows: db.prepare<[string, string]>(
        `DELETE FROM pair_base_licenses WHERE base_id IN (SELECT id FROM pair_bases WHERE primary_url = ? AND peer_url = ?)`,
      ),
      deletePending: db.prepare<[string, string]>(
        `DELETE FROM pair_base_pending_deletions WHERE base_id IN (SELECT id FROM pair_bases WHERE primary_url = ? AND peer_url = ?)`,
      ),
      deleteHeader: db.prepare<[string, string]>(`DELETE FROM pair_bases WHERE primary_url = ? AND peer_url = ?`),
      insertPending: db.prepare<[number, string]>(`INSERT INTO pair_base_pending_deletions (base_id, device_id) VALUES (?, ?)`),
      pending: db.prepare<[number], { device_id: string }>(`SELECT device_id FROM pair_base_pending_deletions WHERE base_id = ? ORDER BY device_id`),
      insertHeader: db.prepare<[string, string, number, string, number | null, string, number, number]>(
        `INSERT INTO pair_bases (primary_url, peer_url, format, recorded_at, run_id, mode, primary_licenses, peer_licenses, checksum)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')`,
      ),
      insertRow: db.prepare<[number, BaseSide, string, string]>(`INSERT INTO pair_base_licenses (base_id, side, device_id, fields) VALUES (?, ?, ?, ?)`),
      insertRows: db.prepare<unknown[]>(
        `INSERT INTO pair_base_licenses (base_id, side, device_id, fields) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?)').join(', ')}`,
      ),
      setChecksum: db.prepare<[string, number]>(`UPDATE pair_bases SET checksum = ? WHERE id = ?`),
      list: db.prepare<[], ListRow>(
        `SELECT primary_url, peer_url, recorded_at, run_id, mode, primary_licenses, peer_licenses
         FROM pair_bases ORDER BY primary_url, peer_url`,
      ),
    };
  }

  /**
   * Replaces the pair's base in one transaction: readers see the old one or
   * the new one, never a mix. Throws, writing nothing, when a license holds
   * a value a base may not (the error names the pair, side and device_id),
   * or a device_id is not valid Unicode.
   */
  save(pair: PairKey, base: PairBase, meta: BaseMeta): void {
    checkPair(pair);
    checkMeta(pair, meta);
    const order = {
      primary: storedOrder(base.primary.licenses.keys(), t('state:base.sideOf', { pair: describePair(pair), side: sideName('primary') })),
      peer: storedOrder(base.peer.licenses.keys(), t('state:base.sideOf', { pair: describePair(pair), side: sideName('peer') })),
    };
    const s = this.statements;
    this.db
      .transaction(() => {
        s.deleteRows.run(pair.primaryUrl, pair.peerUrl);
        s.deletePending.run(pair.primaryUrl, pair.peerUrl);
        s.deleteHeader.run(pair.primaryUrl, pair.peerUrl);
        const header = s.insertHeader.run(
          pair.primaryUrl,
          pair.peerUrl,
          PAIR_BASE_FORMAT,
          meta.recordedAt,
          meta.runId,
          meta.mode,
          order.primary.length,
          order.peer.length,
        );
        const baseId = Number(header.lastInsertRowid);
        const checksum = new RowChecksum();
        const rows = new RowInserter(s.insertRows, s.insertRow, baseId);
        for (const side of BASE_SIDES) {
          const licenses = base[side].licenses;
          const deviceIds = order[side];
          checksum.startSide(side);
          for (const deviceId of deviceIds) {
            const encoded = encodeLicense(licenses.get(deviceId) as BaseLicense);
            if (!encoded.ok) throw new Error(`${describePair(pair)}: ${describeLicense(side, deviceId)}: ${encoded.problem}`);
            checksum.addRow(deviceId, encoded.fields);
            rows.add(side, deviceId, encoded.fields);
          }
        }
        rows.flush();
        for (const deviceId of [...(base.pendingPeerDeletions ?? [])].sort()) s.insertPending.run(baseId, deviceId);
        s.setChecksum.run(checksum.digest(), baseId);
      })
      .immediate();
  }

  /**
   * Drops the pair's base, header and rows, in one transaction (after a
   * failed save: an older base must not be merged against). Not in the
   * issue 5 spec: src/run/recorded-run.ts calls it.
   */
  forget(pair: PairKey): void {
    const s = this.statements;
    this.db
      .transaction(() => {
        s.deleteRows.run(pair.primaryUrl, pair.peerUrl);
        s.deletePending.run(pair.primaryUrl, pair.peerUrl);
        s.deleteHeader.run(pair.primaryUrl, pair.peerUrl);
      })
      .immediate();
  }

  /**
   * The pair's base; never throws. A base that is damaged in any way (a row
   * that does not parse or holds a wrong value, an unknown format version,
   * counts or checksum that do not match the rows) is `unreadable`, with a
   * reason naming the pair and, for a row, its side and device_id only.
   */
  load(pair: PairKey): BaseLookup {
    return this.loadSides(pair, BASE_SIDES);
  }

  /**
   * Like `load`, checking every row, but keeping only the peer's side in memory
   * (the primary's map is empty): what a one-way run needs to see work done on
   * a backup, at half the memory.
   */
  loadPeerSide(pair: PairKey): BaseLookup {
    return this.loadSides(pair, ['peer']);
  }

  private loadSides(pair: PairKey, keep: readonly BaseSide[]): BaseLookup {
    try {
      // One read transaction: a save committing meanwhile is seen whole or not at all.
      return this.db.transaction(() => this.read(pair, keep)).deferred();
    } catch (error) {
      return { kind: 'unreadable', reason: t('state:base.unreadableDatabase', { pair: describePair(pair), error: messageOf(error) }) };
    }
  }

  /** Pairs with a recorded base, by primary then peer URL (for status and diagnostics). */
  list(): readonly RecordedPairBase[] {
    return this.statements.list.all().map((row) => ({
      primaryUrl: row.primary_url,
      peerUrl: row.peer_url,
      meta: { runId: row.run_id, recordedAt: row.recorded_at, mode: row.mode },
      licenses: { primary: row.primary_licenses, peer: row.peer_licenses },
    }));
  }

  private read(pair: PairKey, keep: readonly BaseSide[]): BaseLookup {
    const s = this.statements;
    const header = s.header.get(pair.primaryUrl, pair.peerUrl);
    if (header === undefined) {
      const other = s.otherPrimary.get(pair.peerUrl, pair.primaryUrl);
      if (other === undefined) return { kind: 'none' };
      return { kind: 'other-servers', recordedWith: { primaryUrl: other.primary_url, recordedAt: other.recorded_at } };
    }

    const unreadable = (problem: string): BaseLookup => ({ kind: 'unreadable', reason: `${describePair(pair)}: ${problem}` });
    if (header.format !== PAIR_BASE_FORMAT) {
      return unreadable(t('state:base.format', { found: describeValue(header.format), known: PAIR_BASE_FORMAT }));
    }
    const meta = readMeta(header);
    if (typeof meta === 'string') return unreadable(meta);

    const checksum = new RowChecksum();
    const sides = {} as Record<BaseSide, Map<string, BaseLicense>>;
    for (const side of BASE_SIDES) {
      const recorded = side === 'primary' ? header.primary_licenses : header.peer_licenses;
      checksum.startSide(side);
      const licenses = new Map<string, BaseLicense>();
      let stored = 0;
      // Streamed: leaving the loop early resets the statement.
      for (const [deviceId, fields] of s.rows.iterate(header.id, side)) {
        if (typeof deviceId !== 'string') return unreadable(t('state:base.deviceIdNotText', { side: sideName(side) }));
        const decoded = decodeLicense(fields);
        if (!decoded.ok) return unreadable(`${describeLicense(side, deviceId)}: ${decoded.problem}`);
        checksum.addRow(deviceId, fields as string);
        stored += 1;
        if (keep.includes(side)) licenses.set(deviceId, decoded.license);
      }
      if (recorded !== stored) {
        return unreadable(t('state:base.counts', { recorded: describeValue(recorded), side: sideName(side), stored }));
      }
      sides[side] = licenses;
    }
    if (checksum.digest() !== header.checksum) return unreadable(t('state:base.checksum'));
    const pendingPeerDeletions = new Set(s.pending.all(header.id).map((row) => row.device_id));
    return { kind: 'found', base: { primary: { licenses: sides.primary }, peer: { licenses: sides.peer }, pendingPeerDeletions }, meta };
  }
}

/** Collects rows and inserts them ROWS_PER_INSERT at a time; flush() inserts the rest. */
class RowInserter {
  private readonly params: unknown[] = [];

  constructor(
    private readonly insertRows: Database.Statement<unknown[]>,
    private readonly insertRow: Database.Statement<[number, BaseSide, string, string]>,
    private readonly baseId: number,
  ) {}

  add(side: BaseSide, deviceId: string, fields: string): void {
    this.params.push(this.baseId, side, deviceId, fields);
    if (this.params.length === 4 * ROWS_PER_INSERT) {
      this.insertRows.run(this.params);
      this.params.length = 0;
    }
  }

  flush(): void {
    const params = this.params;
    for (let index = 0; index < params.length; index += 4) {
      this.insertRow.run(this.baseId, params[index + 1] as BaseSide, params[index + 2] as string, params[index + 3] as string);
    }
    params.length = 0;
  }
}

function readMeta(header: HeaderRow): BaseMeta | string {
  const { run_id: runId, recorded_at: recordedAt, mode } = header;
  if (runId !== null && !Number.isSafeInteger(runId)) return t('state:base.runId');
  if (typeof recordedAt !== 'string') return t('state:base.recordedAt');
  if (!MODES.includes(mode as BaseMeta['mode'])) return t('state:base.mode');
  return { runId: runId as number | null, recordedAt, mode: mode as BaseMeta['mode'] };
}

function checkPair(pair: PairKey): void {
  if (typeof pair.primaryUrl !== 'string' || typeof pair.peerUrl !== 'string') throw new Error('a pair base needs the primary and peer URLs as text');
}

function checkMeta(pair: PairKey, meta: BaseMeta): void {
  const problem = readMeta({ run_id: meta.runId, recorded_at: meta.recordedAt, mode: meta.mode } as HeaderRow);
  if (typeof problem === 'string') throw new Error(`${describePair(pair)}: ${problem.replace(/^its /, 'the given ')}`);
}

function describePair(pair: PairKey): string {
  return t('state:base.pair', { primary: pair.primaryUrl, peer: pair.peerUrl });
}

function sideName(side: BaseSide): string {
  return t(`state:base.side.${side}`);
}

function describeLicense(side: BaseSide, deviceId: string): string {
  return t('state:base.license', { deviceId: quoteForMessage(deviceId), side: sideName(side) });
}

/** A header value in a message: numbers as they are, anything else quoted (it may have been edited into anything). */
function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quoteForMessage(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? 'null' : typeof value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
