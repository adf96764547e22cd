import type { DashboardStatus } from './dashboard-status.js';

/** What the dashboard reads and asks of the process that serves it (`serve/` implements it). */
export interface DashboardSource {
  status(): DashboardStatus;
  /** `onChange` hears every change of the status (a check, a run started or ended); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  /** The "sync now" button: `started`, or `queued` behind the run in progress (at most one waits). */
  requestSync(): SyncRequestAnswer;
}

export type SyncRequestAnswer = 'started' | 'queued';
