import type { LogSink } from '../log/log-sink.js';
import type { ProgressListener } from '../progress/progress-listener.js';
import type { SyncConfig } from '../config/sync-config.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import type { PasswordFile } from '../execute/password-file.js';
import type { Listings } from './listings.js';
import type { PairBases } from './pair-bases.js';
import type { RunJournal } from './apply-plan.js';

/** What every step of a run shares. */
export interface RunContext {
  readonly command: 'sync' | 'plan';
  readonly config: SyncConfig;
  readonly log: LogSink;
  /** Hears how the wake-up waits and the writes are going (the CLI shows it). */
  readonly progress: ProgressListener;
  readonly today: CalendarDate;
  readonly now: () => Date;
  readonly passwords: PasswordFile;
  readonly journal: RunJournal | undefined;
  readonly signal: AbortSignal | undefined;
  readonly force: boolean;
  /** Where pair bases are read (plan, sync) and written (sync only). Null: none are kept. */
  readonly bases: PairBases | null;
  readonly runId: number | null;
  /** Each server's latest listing in this run. */
  readonly listings: Listings;
  /**
   * Licenses the earlier steps of this run deleted, by server name (a round trip's
   * gathering step carrying a backup's deletion to the primary, with --delete):
   * the shrink guards of a later step count them back, or the run's own
   * deletions would read as a primary that lost licenses.
   */
  readonly deletedEarlier?: ReadonlyMap<string, number>;
}
