import type { SyncRequest, SyncRequestAnswer } from './serve-services.js';

/**
 * One sync at a time. A request while one runs waits as the single follow-up;
 * later ones merge into it: a full run takes in a one-backup run, and runs for
 * two different backups become one full run.
 */
export class SyncQueue {
  private running: SyncRequest | null = null;
  private waiting: SyncRequest | null = null;
  private closed = false;
  private drained: Promise<void> = Promise.resolve();

  /** `execute` runs one request; it should not throw, but if it does the queue goes on. */
  constructor(
    private readonly execute: (request: SyncRequest) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get current(): SyncRequest | null {
    return this.running;
  }

  get queued(): SyncRequest | null {
    return this.waiting;
  }

  /** Starts `request`, or queues it behind the run in progress; after close() it is ignored (`queued`). */
  request(request: SyncRequest): SyncRequestAnswer {
    if (this.closed) return 'queued';
    if (this.running !== null) {
      this.waiting = this.waiting === null ? request : merged(this.waiting, request);
      return 'queued';
    }
    this.drained = this.drain(request);
    return 'started';
  }

  /** No new run; resolves when the run in progress (if any) has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting = null;
    await this.drained;
  }

  private async drain(first: SyncRequest): Promise<void> {
    let next: SyncRequest | null = first;
    while (next !== null) {
      this.running = next;
      try {
        await this.execute(next);
      } catch (error) {
        this.onError(error);
      }
      next = this.waiting;
      this.waiting = null;
      this.running = null;
    }
  }
}

function merged(waiting: SyncRequest, added: SyncRequest): SyncRequest {
  if (waiting.backup === null) return waiting;
  if (added.backup === null) return added;
  return waiting.backup === added.backup ? waiting : { trigger: waiting.trigger, backup: null };
}
