import type { ProgressListener, WriteCounts } from './progress-listener.js';

/** One server's line, as data: the words come from progress-text.ts. */
export type ProgressLine =
  | {
      readonly kind: 'writing';
      readonly server: string;
      readonly counts: WriteCounts;
      /** Operations settled per second since the server's writes began; null before the first. */
      readonly perSecond: number | null;
      /** Time left at that rate; null while there is no rate. */
      readonly leftMs: number | null;
    }
  | { readonly kind: 'waking'; readonly server: string; readonly elapsedMs: number; readonly limitMs: number };

type Entry =
  | { readonly kind: 'writing'; readonly counts: WriteCounts; readonly startedAt: number }
  | { readonly kind: 'waking'; readonly startedAt: number; readonly limitMs: number };

/**
 * The latest progress of each server, in the order they first spoke. Rates,
 * time left and the wake-up's elapsed time are read from `now` (injectable
 * so that tests are deterministic): the elapsed time keeps counting between
 * two reports of the wake-up wait.
 */
export class ProgressBoard implements ProgressListener {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  writing(server: string, counts: WriteCounts): void {
    const previous = this.entries.get(server);
    // A new plan for the same server (the next stage) starts its own clock.
    const continues = previous?.kind === 'writing' && previous.counts.total === counts.total && previous.counts.done <= counts.done;
    this.entries.set(server, { kind: 'writing', counts, startedAt: continues ? previous.startedAt : this.now() });
  }

  waking(server: string, elapsedMs: number, limitMs: number): void {
    this.entries.set(server, { kind: 'waking', startedAt: this.now() - elapsedMs, limitMs });
  }

  finished(server: string): void {
    this.entries.delete(server);
  }

  get empty(): boolean {
    return this.entries.size === 0;
  }

  lines(): ProgressLine[] {
    const now = this.now();
    return [...this.entries].map(([server, entry]): ProgressLine => {
      const elapsedMs = Math.max(0, now - entry.startedAt);
      if (entry.kind === 'waking') return { kind: 'waking', server, elapsedMs: Math.min(elapsedMs, entry.limitMs), limitMs: entry.limitMs };
      const { counts } = entry;
      const perSecond = counts.done > 0 && elapsedMs > 0 ? (counts.done * 1000) / elapsedMs : null;
      const leftMs = perSecond === null ? null : ((counts.total - counts.done) / perSecond) * 1000;
      return { kind: 'writing', server, counts, perSecond, leftMs };
    });
  }
}
