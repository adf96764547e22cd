import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { LockHolder } from './run-records.js';

/** Who asks for the lock; `pid` should be process.pid. */
export interface LockClaim {
  readonly pid: number;
  readonly hostname: string;
  readonly command: string;
  readonly startedAt: Date;
}

export interface ReadLockOptions {
  /** Whether a process of this host lives; default isProcessAlive. */
  readonly isAlive?: (pid: number) => boolean;
  readonly now?: () => Date;
  /** A lock whose heartbeat is older is stale, whatever its host; default 10 min. */
  readonly staleAfterMs?: number;
  /** The host whose dead processes can be detected; default os.hostname(). */
  readonly hostname?: string;
}

export interface RunLockOptions extends Omit<ReadLockOptions, 'hostname'> {
  /** How often the holder refreshes heartbeat_at; default 30 s. */
  readonly heartbeatMs?: number;
}

export interface RunLock {
  readonly holder: LockHolder;
  /**
   * False once the lock is released, or was taken over by another process
   * that found its heartbeat stale (this process stalled longer than the
   * stale age, e.g. a suspended machine).
   */
  isHeld(): boolean;
  /** Frees the lock if it is still ours; safe to call more than once. */
  release(): void;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: RunLock; readonly recovered: LockHolder | null }
  | { readonly acquired: false; readonly holder: LockHolder };

export const DEFAULT_LOCK_STALE_AFTER_MS = 10 * 60_000;
export const DEFAULT_LOCK_HEARTBEAT_MS = 30_000;

interface LockRow {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
  readonly heartbeat_at: string;
  readonly command: string;
  readonly token: string;
}

/**
 * Tokens of the locks this process holds: a row with this process's pid and
 * another token was left by a run of ours that never released it, or by a
 * process that had our pid before a reboot.
 */
const heldTokens = new Set<string>();

/**
 * Takes the state directory's run lock, one run at a time across processes
 * and hosts sharing it. Check-and-set happens in one BEGIN IMMEDIATE
 * transaction. A held lock is taken over (`recovered` is the old holder) when
 * it is stale: its process is gone (same host), or its heartbeat is older
 * than `staleAfterMs`.
 */
export function acquireRunLock(db: Database.Database, claim: LockClaim, options: RunLockOptions = {}): LockAttempt {
  const now = options.now ?? (() => new Date());
  const staleness = { ...options, now, hostname: claim.hostname };
  const token = randomUUID();
  const holder: LockHolder = { pid: claim.pid, hostname: claim.hostname, startedAt: claim.startedAt.toISOString(), command: claim.command };

  const attempt = db
    .transaction(() => {
      const row = selectLockRow(db);
      if (row !== undefined && !isStale(row, staleness)) return { acquired: false, holder: toHolder(row) } as const;
      db.prepare<[number, string, string, string, string, string]>(
        `INSERT OR REPLACE INTO run_lock (id, pid, hostname, started_at, heartbeat_at, command, token) VALUES (1, ?, ?, ?, ?, ?, ?)`,
      ).run(holder.pid, holder.hostname, holder.startedAt, now().toISOString(), holder.command, token);
      return { acquired: true, recovered: row === undefined ? null : toHolder(row) } as const;
    })
    .immediate();

  if (!attempt.acquired) return attempt;
  const lock = new HeldRunLock(db, token, holder, now, options.heartbeatMs ?? DEFAULT_LOCK_HEARTBEAT_MS);
  return { acquired: true, lock, recovered: attempt.recovered };
}

/** Who holds the run lock now; null when it is free or stale. */
export function readLockHolder(db: Database.Database, options: ReadLockOptions = {}): LockHolder | null {
  const row = selectLockRow(db);
  if (row === undefined) return null;
  return isStale(row, { ...options, now: options.now ?? (() => new Date()), hostname: options.hostname ?? os.hostname() }) ? null : toHolder(row);
}

/** Signal 0 tests for a process without touching it: EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class HeldRunLock implements RunLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  constructor(
    private readonly db: Database.Database,
    private readonly token: string,
    readonly holder: LockHolder,
    private readonly now: () => Date,
    heartbeatMs: number,
  ) {
    heldTokens.add(token);
    this.timer = setInterval(() => this.beat(), heartbeatMs);
    this.timer.unref();
  }

  isHeld(): boolean {
    if (this.released || !this.db.open) return false;
    return selectLockRow(this.db)?.token === this.token;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    heldTokens.delete(this.token);
    if (!this.db.open) return;
    try {
      this.db.prepare<[string]>(`DELETE FROM run_lock WHERE id = 1 AND token = ?`).run(this.token);
    } catch {
      // A row left behind is harmless: its token is no longer held, so the next acquire from this host takes it over.
    }
  }

  private beat(): void {
    if (!this.db.open) {
      clearInterval(this.timer);
      return;
    }
    try {
      this.db.prepare<[string, string]>(`UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?`).run(this.now().toISOString(), this.token);
    } catch {
      // Busy for longer than the busy timeout: the next beat tries again, long before the lock would look stale.
    }
  }
}

function selectLockRow(db: Database.Database): LockRow | undefined {
  return db.prepare<[], LockRow>(`SELECT pid, hostname, started_at, heartbeat_at, command, token FROM run_lock WHERE id = 1`).get();
}

function isStale(row: LockRow, options: ReadLockOptions & { now: () => Date; hostname: string }): boolean {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_LOCK_STALE_AFTER_MS;
  if (options.now().getTime() - Date.parse(row.heartbeat_at) > staleAfterMs) return true;
  if (row.hostname !== options.hostname) return false;
  if (row.pid === process.pid) return !heldTokens.has(row.token);
  return !(options.isAlive ?? isProcessAlive)(row.pid);
}

function toHolder(row: LockRow): LockHolder {
  return { pid: row.pid, hostname: row.hostname, startedAt: row.started_at, command: row.command };
}
