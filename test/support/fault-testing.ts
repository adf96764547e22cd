import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { EmulatorHandle } from './emulator-fixture.js';
import type { RawResponse } from './raw-http.js';

export { sleep };

/**
 * Timers may fire a millisecond or two before the nominal instant as seen by
 * another clock; lower bounds on elapsed time are checked with this slack.
 */
export const TIMER_SLACK_MS = 10;

/** Runs `work` and measures how long it took, in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Milliseconds since a `performance.now()` reading. */
export function since(started: number): number {
  return performance.now() - started;
}

/** The connection was reset under the request: the client sees a socket error, not a response. */
export async function expectConnectionDropped(pending: Promise<RawResponse>): Promise<void> {
  let outcome: RawResponse | Error;
  try {
    outcome = await pending;
  } catch (error) {
    outcome = error as Error;
  }
  expect(outcome).toBeInstanceOf(Error);
  const error = outcome as NodeJS.ErrnoException;
  expect(error.code === 'ECONNRESET' || /socket hang up/i.test(error.message)).toBe(true);
}

/** A license `device_id` like the real ones (32 hex characters), distinct per `n`. */
export function deviceIdFor(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(4, '0')}`.padEnd(32, 'f').slice(0, 32);
}

/** Creates `count` licenses through the API as the given (admin) token; returns their `device_id`s. */
export async function seedLicenses(handle: EmulatorHandle, token: string, count: number, prefix = 'a0'): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const deviceId = deviceIdFor(prefix, n);
    const res = await handle.request({
      method: 'POST',
      path: '/admin/devices/create',
      token,
      body: { device_id: deviceId, owner_name: `Cliente ${n}`, license_type: n % 2 === 0 ? 'anual' : 'mensal', address: `Rua ${n}, Centro` },
    });
    if (res.status !== 201) throw new Error(`seeding license ${deviceId} failed: ${res.status} ${res.text}`);
    ids.push(deviceId);
  }
  return ids;
}

/** Creates `count` resellers through the API as the given (admin) token; returns their usernames. */
export async function seedUsers(handle: EmulatorHandle, token: string, count: number, prefix = 'revenda'): Promise<string[]> {
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    const username = `${prefix}${n}`;
    const res = await handle.request({
      method: 'POST',
      path: '/admin/users/create',
      token,
      body: { username, password: `senha-${n}-segura`, email: `${username}@example.com`, role: n === 0 ? 'admin' : 'user' },
    });
    if (res.status !== 201) throw new Error(`seeding user ${username} failed: ${res.status} ${res.text}`);
    names.push(username);
  }
  return names;
}

/** The `items` of a listing answer that parsed as JSON. */
export function listingItems(res: RawResponse): Record<string, unknown>[] {
  const items = (res.json as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) throw new Error(`not a listing: ${res.status} ${res.text.slice(0, 200)}`);
  return items as Record<string, unknown>[];
}
