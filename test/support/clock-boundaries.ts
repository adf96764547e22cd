import { setTimeout as sleep } from 'node:timers/promises';

// Tests that must not see the clock cross a boundary while they run: the
// sync's day (`TODAY`, UTC, computed when a test file loads, then read again
// by the CLI and the emulators) and the top of the hour (an hourly cron
// schedule that must not fire). Such a test waits until just past the
// boundary when it is closer than the time the test takes.

/** Milliseconds from `now` to the next midnight UTC. */
export function untilUtcMidnight(now: Date): number {
  return 86_400_000 - (now.getTime() % 86_400_000);
}

/** Milliseconds from `now` to the next top of the hour, in local time, as cron reads it. */
export function untilLocalTopOfTheHour(now: Date): number {
  return ((59 - now.getMinutes()) * 60 + (60 - now.getSeconds())) * 1_000 - now.getMilliseconds();
}

/** Waits until just past a boundary `leftMs` away when it is closer than `marginMs`. */
export async function keepClearOf(leftMs: number, marginMs: number): Promise<void> {
  if (leftMs < marginMs) await sleep(leftMs + 2_000);
}
