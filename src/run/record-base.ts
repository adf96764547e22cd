import type { SyncMode } from '../config/sync-config.js';
import type { PairBase } from '../plan/two-way/pair-base.js';
import type { PairKey } from '../state/pair-base-store.js';
import type { RunContext, TargetDraft } from './run-context.js';

/**
 * Keeps what both servers hold after a successful run as the pair's next base.
 * A base that cannot be replaced is dropped instead: merging later against an
 * older one would take this run's writes for changes made by hand.
 */
export function recordBase(context: RunContext, pair: PairKey, compute: () => PairBase, mode: SyncMode, draft: TargetDraft): void {
  const bases = context.bases;
  if (context.command !== 'sync' || bases === null || !bases.writable) return;
  try {
    bases.save(pair, compute(), { runId: context.runId, recordedAt: context.now().toISOString(), mode });
    draft.baseRecorded = true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    context.log.error(`${pair.peerUrl}: the base for the next two-way run could not be recorded (${reason}); the next two-way run of this pair will need --resync`);
    try {
      bases.forget(pair);
    } catch {
      // The database is unusable: the next run cannot read a stale base from it either way.
    }
  }
}
