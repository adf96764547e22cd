import type { Snapshot } from '../snapshot/records.js';

/**
 * The latest listing of each server in this run, so that a later step plans
 * from it instead of reading it again: a round trip lists the primary and
 * each backup in its gathering step, then again in its spreading step. A
 * step that writes to a server forgets its listing, then keeps the one it
 * lists again to verify.
 */
export class Listings {
  private readonly latest = new Map<string, Snapshot>();

  of(server: string): Snapshot | undefined {
    return this.latest.get(server);
  }

  keep(server: string, snapshot: Snapshot): void {
    this.latest.set(server, snapshot);
  }

  forget(server: string): void {
    this.latest.delete(server);
  }
}
