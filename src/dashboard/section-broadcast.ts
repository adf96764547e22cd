import type { LogSink } from '../log/log-sink.js';
import type { DashboardSource } from './dashboard-source.js';
import { renderSections } from './dashboard-sections.js';

// The event stream's one listener on the source: a burst of changes becomes
// at most one push per `minIntervalMs`, rendered once for every connected page.

export type SectionsListener = (payload: string) => void;

export class SectionBroadcast {
  private readonly listeners = new Set<SectionsListener>();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | null = null;
  private lastPushAt = 0;

  constructor(
    private readonly source: DashboardSource,
    private readonly log: LogSink,
    private readonly minIntervalMs = 200,
  ) {
    this.unsubscribe = source.subscribe(() => this.changed());
  }

  /** `{ sections: { <id>: html } }` for the status as it is now, or null when it could not be rendered. */
  payload(): string | null {
    try {
      return JSON.stringify({ sections: renderSections(this.source.status()) });
    } catch (error) {
      this.log.error(`dashboard: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** Hears every later push; returns the leave. */
  join(listener: SectionsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private changed(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastPushAt + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => this.push(), wait);
  }

  private push(): void {
    this.timer = null;
    this.lastPushAt = Date.now();
    if (this.listeners.size === 0) return;
    const payload = this.payload();
    if (payload === null) return;
    for (const listener of this.listeners) listener(payload);
  }
}
