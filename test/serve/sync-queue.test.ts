import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../src/serve/serve-services.js';
import { SyncQueue } from '../../src/serve/sync-queue.js';
import { deferred, settle, type Deferred } from './support/serve-fakes.js';

/** A queue whose runs wait until the test ends them. */
function queueOfHeldRuns() {
  const runs: { request: SyncRequest; done: Deferred<void> }[] = [];
  const errors: unknown[] = [];
  const queue = new SyncQueue(
    (request) => {
      const done = deferred<void>();
      runs.push({ request, done });
      return done.promise;
    },
    (error) => errors.push(error),
  );
  const end = async (index: number, error?: unknown) => {
    const run = runs[index];
    if (run === undefined) throw new Error(`no run ${index}`);
    if (error === undefined) run.done.resolve();
    else run.done.reject(error);
    await settle();
  };
  return { queue, runs, errors, end };
}

const FULL = (trigger: SyncRequest['trigger']): SyncRequest => ({ trigger, backup: null });
const ONE = (backup: string): SyncRequest => ({ trigger: 'backup-back', backup });

describe('the sync queue', () => {
  it('starts a request at once when idle', async () => {
    const { queue, runs } = queueOfHeldRuns();
    expect(queue.request(FULL('manual'))).toBe('started');
    await settle();
    expect(runs.map((run) => run.request)).toEqual([FULL('manual')]);
  });

  it('queues at most one follow-up behind the run in progress, then runs it', async () => {
    const { queue, runs, end } = queueOfHeldRuns();
    queue.request(FULL('schedule'));
    await settle();
    expect(queue.request(FULL('primary-back'))).toBe('queued');
    expect(queue.request(FULL('manual'))).toBe('queued');
    expect(queue.request(FULL('schedule'))).toBe('queued');
    expect(runs).toHaveLength(1);
    await end(0);
    expect(runs.map((run) => run.request)).toEqual([FULL('schedule'), FULL('primary-back')]);
    await end(1);
    expect(runs).toHaveLength(2);
    expect(queue.current).toBeNull();
  });

  it('merges the follow-ups: a full run takes in a backup\'s, two backups make one full run', async () => {
    const { queue, end } = queueOfHeldRuns();
    queue.request(FULL('schedule'));
    queue.request(ONE('render'));
    expect(queue.queued).toEqual(ONE('render'));
    queue.request(ONE('render'));
    expect(queue.queued).toEqual(ONE('render'));
    queue.request(ONE('fly'));
    expect(queue.queued).toEqual({ trigger: 'backup-back', backup: null });
    await end(0);
    queue.request(ONE('render'));
    queue.request(FULL('manual'));
    expect(queue.queued).toEqual(FULL('manual'));
  });

  it('goes on after a run that throws', async () => {
    const { queue, runs, errors, end } = queueOfHeldRuns();
    queue.request(FULL('schedule'));
    queue.request(FULL('manual'));
    await end(0, new Error('boom'));
    expect(errors).toEqual([new Error('boom')]);
    expect(runs).toHaveLength(2);
    await end(1);
    expect(queue.request(FULL('schedule'))).toBe('started');
  });

  it('on close: drops the follow-up, waits for the run in progress, and starts nothing more', async () => {
    const { queue, runs, end } = queueOfHeldRuns();
    queue.request(FULL('schedule'));
    queue.request(FULL('manual'));
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    await end(0);
    await closing;
    expect(runs).toHaveLength(1);
    expect(queue.request(FULL('schedule'))).toBe('queued');
    await settle();
    expect(runs).toHaveLength(1);
  });
});
