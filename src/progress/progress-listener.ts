/** Where a server's writes stand: `done` settled of `total` (the `failed` among them). */
export interface WriteCounts {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

/**
 * What the run tells about its progress, as data: the CLI turns it into a
 * live line on a terminal or a log line every few seconds. Each call replaces
 * what was said before about that server.
 */
export interface ProgressListener {
  /** Writing to `server`: called as its writes start and each time one settles. */
  writing(server: string, counts: WriteCounts): void;
  /** Waiting for `server` to wake up: `elapsedMs` so far of at most `limitMs` (--wake-timeout). */
  waking(server: string, elapsedMs: number, limitMs: number): void;
  /** Nothing more to show for `server` (its writes ended, it woke, or gave up). */
  finished(server: string): void;
}

export const noProgress: ProgressListener = { writing() {}, waking() {}, finished() {} };
