import type { DashboardSource, SyncRequestAnswer } from '../../../src/dashboard/dashboard-source.js';
import type { DashboardStatus } from '../../../src/dashboard/dashboard-status.js';

/** An in-memory DashboardSource: `set` changes the status and tells the subscribers; `syncRequests` counts the button's posts. */
export class FakeDashboardSource implements DashboardSource {
  syncRequests = 0;
  answer: SyncRequestAnswer = 'started';
  private readonly listeners = new Set<() => void>();

  constructor(private current: DashboardStatus) {}

  status(): DashboardStatus {
    return this.current;
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  requestSync(): SyncRequestAnswer {
    this.syncRequests += 1;
    return this.answer;
  }

  set(status: DashboardStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener();
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
