import type { WriteEntry } from '../../../src/emulator/write-log.js';
import type { AllowedSighting } from './verify-sampler.js';

// Reading the backup's write log (every write its handlers ran, in order,
// with what `/verify` would answer right after): was anything created twice,
// did a license the primary denies ever open other than for the instant
// between its creation and its block, and for how long.

const DEVICE_CREATE = 'POST /admin/devices/create';

/** The writes to each key, in order. */
function byKey(writes: readonly WriteEntry[]): Map<string, WriteEntry[]> {
  const keys = new Map<string, WriteEntry[]>();
  for (const write of writes) {
    if (write.key === null) continue;
    const list = keys.get(write.key);
    if (list) list.push(write);
    else keys.set(write.key, [write]);
  }
  return keys;
}

/** A write sent again because the answer to the same request on the same key was lost. */
function isRepeat(write: WriteEntry, previous: WriteEntry | undefined): boolean {
  return previous !== undefined && previous.answerLost && previous.route === write.route;
}

/**
 * Licenses inserted again without a delete in between, and users created more
 * than once: each a description. (A user created twice would show as a
 * second `user-created`; the server refuses a duplicate username.)
 */
export function createdTwice(writes: readonly WriteEntry[]): string[] {
  const problems: string[] = [];
  for (const [key, list] of byKey(writes)) {
    let present = false;
    let users = 0;
    for (const write of list) {
      if (write.effect === 'user-created' && ++users === 2) problems.push(`user ${key} created twice`);
      if (write.route !== DEVICE_CREATE && write.effect !== 'deleted') continue;
      if (write.effect === 'inserted') {
        if (present) problems.push(`license ${key} inserted twice without a delete in between`);
        present = true;
      } else if (write.effect === 'deleted') present = false;
    }
  }
  return problems;
}

/** Writes sent again after their answer was lost, per route (the server did the work twice, harmlessly). */
export function repeatsAfterLostAnswers(writes: readonly WriteEntry[]): Record<string, number> {
  const repeats: Record<string, number> = {};
  for (const list of byKey(writes).values()) {
    list.forEach((write, index) => {
      if (isRepeat(write, list[index - 1])) repeats[`${write.route} ${write.effect}`] = (repeats[`${write.route} ${write.effect}`] ?? 0) + 1;
    });
  }
  return repeats;
}

export interface DeniedLicenseWrites {
  /** Broken promises, each a description (empty when all held). */
  readonly problems: readonly string[];
  /** Per license created while the primary denies it: milliseconds from its insert to its block (or its compensating delete). */
  readonly createdOpenMs: ReadonlyMap<string, number>;
  /** Per license the backup allowed at the run's start and the primary denies: milliseconds from the run's start to its block. */
  readonly staleOpenMs: ReadonlyMap<string, number>;
}

/**
 * Checks one run's writes to licenses the primary denies: the only write that
 * may open one is its creation (and the repeat of a creation whose answer was
 * lost), and the next write after that is its block or a compensating delete.
 * Measures how long each stayed open, from the log's own timestamps.
 */
export function deniedLicenseWrites(
  runWrites: readonly WriteEntry[],
  deniedByPrimary: ReadonlySet<string>,
  allowedAtStart: ReadonlySet<string>,
  runStartedAt: number,
): DeniedLicenseWrites {
  const problems: string[] = [];
  const createdOpenMs = new Map<string, number>();
  const staleOpenMs = new Map<string, number>();
  for (const [key, list] of byKey(runWrites)) {
    if (!deniedByPrimary.has(key)) continue;
    let openedAt: number | null = allowedAtStart.has(key) ? runStartedAt : null;
    let openedByInsert = false;
    let previous: WriteEntry | undefined;
    for (const write of list) {
      // A refused attempt (a 401 after a token revocation) changes nothing and sits between a lost create and its repeat.
      if (write.effect === 'refused') continue;
      const repeatOfCreation = openedByInsert && write.effect === 'overwritten' && isRepeat(write, previous);
      previous = write;
      if (write.effect === 'activated' || (write.effect === 'overwritten' && !repeatOfCreation)) {
        problems.push(`license ${key}: the primary denies it, yet the run sent ${write.route} (${write.effect})`);
      } else if (openedByInsert && !repeatOfCreation && write.effect !== 'blocked' && write.effect !== 'deleted') {
        problems.push(`license ${key}: created while the primary denies it, then ${write.effect} before its block`);
      }
      const allowedNow = write.allowed === true;
      if (openedAt === null && allowedNow) {
        openedAt = write.at;
        openedByInsert = write.effect === 'inserted';
      } else if (openedAt !== null && !allowedNow) {
        (openedByInsert ? createdOpenMs : staleOpenMs).set(key, write.at - openedAt);
        openedAt = null;
        openedByInsert = false;
      }
    }
    if (openedAt !== null) problems.push(`license ${key}: the primary denies it, and the run left it allowed`);
  }
  return { problems, createdOpenMs, staleOpenMs };
}

/**
 * Sightings of an allowed license that the write log cannot explain: at no
 * instant between sending the observation and reading its answer was the
 * license allowed, by the log's account (its state at the run's start, then
 * each write's `allowed`). Empty when the sampler and the log agree.
 */
export function unexplainedSightings(
  sightings: ReadonlyMap<string, readonly AllowedSighting[]>,
  runWrites: readonly WriteEntry[],
  allowedAtStart: ReadonlySet<string>,
): string[] {
  const writes = byKey(runWrites);
  const problems: string[] = [];
  for (const [key, seen] of sightings) {
    const list = writes.get(key) ?? [];
    for (const { sentAt, answeredAt } of seen) {
      const before = list.filter((write) => write.at < sentAt).at(-1);
      const allowedAtSend = before === undefined ? allowedAtStart.has(key) : before.allowed === true;
      const openedMeanwhile = list.some((write) => write.at >= sentAt && write.at <= answeredAt && write.allowed === true);
      if (!allowedAtSend && !openedMeanwhile) problems.push(`license ${key}: seen allowed at ${new Date(sentAt).toISOString()}, closed then by the write log`);
    }
  }
  return problems;
}

export interface Spread {
  readonly count: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export function spreadOf(values: Iterable<number>): Spread {
  const all = [...values];
  return {
    count: all.length,
    maxMs: all.length === 0 ? 0 : Math.max(...all),
    meanMs: all.length === 0 ? 0 : all.reduce((sum, value) => sum + value, 0) / all.length,
  };
}
