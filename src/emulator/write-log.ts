import { performance } from 'node:perf_hooks';
import type { CalendarDate } from '../domain/calendar-date.js';
import type { DeviceRow } from './dataset/dataset-file.js';
import type { EmulatorStore } from './store.js';
import { stripLikeServer } from '../domain/server-strip.js';

/** What a write request did to the data, as the emulator saw it. */
export type WriteEffect = 'inserted' | 'overwritten' | 'blocked' | 'activated' | 're-owned' | 'deleted' | 'user-created' | 'refused';

/** One write request that reached its handler (its answer may still have been lost to an injected fault). */
export interface WriteEntry {
  /** Epoch milliseconds, with sub-millisecond precision. */
  readonly at: number;
  readonly route: string;
  /** The license's device_id or the user's username; null when the request named none. */
  readonly key: string | null;
  /** The handler's HTTP status. */
  readonly status: number;
  readonly effect: WriteEffect;
  /** Whether `/verify` would allow this license right after the write; null for users and absent licenses. */
  readonly allowed: boolean | null;
  /** An injected fault replaced the answer: the client never learnt that the write was done. */
  readonly answerLost: boolean;
}

const MAX_ENTRIES = 500_000;

const DEVICE_PATH = /^\/admin\/devices\/(.+)\/(?:deactivate|delete)$/;

/** `/verify`'s decision for a stored license (contract, last section), without recording telemetry. */
export function allowedToday(device: Readonly<DeviceRow>, today: CalendarDate): boolean {
  if (device.status !== 'active') return false;
  return device.license_type === 'vitalicia' || device.end_date === null || today <= device.end_date;
}

function bodyText(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' && stripLikeServer(value) !== '' ? stripLikeServer(value) : null;
}

/** The key a write request names, read the way its handler reads it. */
export function writeKey(route: string, path: string, body: Record<string, unknown>): string | null {
  if (route === 'POST /admin/users/create') return bodyText(body, 'username');
  if (route === 'POST /admin/devices/create' || route === 'POST /admin/devices/update-created-by') return bodyText(body, 'device_id');
  return DEVICE_PATH.exec(path)?.[1] ?? null;
}

function effectOf(route: string, status: number, existed: boolean, device: Readonly<DeviceRow> | undefined): WriteEffect {
  if (status >= 300) return 'refused';
  switch (route) {
    case 'POST /admin/users/create':
      return 'user-created';
    case 'POST /admin/devices/create':
      return existed ? 'overwritten' : 'inserted';
    case 'POST /admin/devices/update-created-by':
      return 're-owned';
    case 'DELETE /admin/devices/:device_id/delete':
      return 'deleted';
    default:
      return device?.status === 'blocked' ? 'blocked' : 'activated';
  }
}

/**
 * Every write the server handled, in order, with what it did: tests read it to
 * tell whether anything was created twice and how long a license was allowed.
 */
export class WriteLog {
  private entries: WriteEntry[] = [];
  private dropped = 0;

  /** Call before the handler runs; the returned function records the write once the handler answered. */
  begin(route: string, key: string | null, store: EmulatorStore): (status: number, today: CalendarDate, answerLost: boolean) => void {
    const existed = key !== null && store.getDevice(key) !== undefined;
    return (status, today, answerLost) => {
      const device = key === null || route === 'POST /admin/users/create' ? undefined : store.getDevice(key);
      this.push({
        at: performance.timeOrigin + performance.now(),
        route,
        key,
        status,
        effect: effectOf(route, status, existed, device),
        allowed: device === undefined ? null : allowedToday(device, today),
        answerLost,
      });
    };
  }

  private push(entry: WriteEntry): void {
    if (this.entries.length >= MAX_ENTRIES) {
      this.entries.shift();
      this.dropped++;
    }
    this.entries.push(entry);
  }

  snapshot(): { readonly writes: readonly WriteEntry[]; readonly dropped: number } {
    return { writes: [...this.entries], dropped: this.dropped };
  }

  reset(): void {
    this.entries = [];
    this.dropped = 0;
  }
}
