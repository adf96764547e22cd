import { isCalendarDate } from '../domain/calendar-date.js';
import { noonUtc, type EmulatorClock } from './clock.js';
import { DatasetError, parseDataset } from './dataset/dataset-file.js';
import type { EmulatorStats } from './emulator-stats.js';
import type { FaultInjector } from './fault-injector.js';
import { FaultSettingsError } from './fault-settings.js';
import { EmulatorStore } from './store.js';
import type { TokenSigner } from './tokens.js';
import type { WriteLog } from './write-log.js';

/** The test-only surface under `/_emulator/`, never subject to faults and guarded by its own secret. */
export const CONTROL_PREFIX = '/_emulator/';
export const CONTROL_SECRET_HEADER = 'x-emulator-secret';

export interface ControlContext {
  readonly faults: FaultInjector;
  readonly clock: EmulatorClock;
  readonly tokens: TokenSigner;
  readonly stats: EmulatorStats;
  readonly writeLog: WriteLog;
  readonly getStore: () => EmulatorStore;
  readonly replaceStore: (store: EmulatorStore) => void;
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

function clockState(clock: EmulatorClock) {
  return { now: clock.now().toISOString(), today: clock.today(), fixed: clock.isFixed() };
}

function setClock(clock: EmulatorClock, body: unknown): ControlAnswer {
  if (body === null || typeof body !== 'object') return { status: 400, body: { error: 'expected a JSON object' } };
  const { now, today } = body as { now?: unknown; today?: unknown };
  if (now === null) clock.fix(null);
  else if (typeof now === 'string' && !Number.isNaN(Date.parse(now))) clock.fix(new Date(now));
  else if (isCalendarDate(today)) clock.fix(noonUtc(today));
  else return { status: 400, body: { error: 'expected {"now": ISO instant | null} or {"today": "YYYY-MM-DD"}' } };
  return { status: 200, body: clockState(clock) };
}

/** `body` is `undefined` when the request had none. */
export function handleControl(ctx: ControlContext, method: string, path: string, body: unknown): ControlAnswer {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case 'GET /faults':
        return { status: 200, body: ctx.faults.current() };
      case 'PUT /faults':
        return { status: 200, body: ctx.faults.configure(body ?? {}) };
      case 'POST /rotate-secret':
        ctx.tokens.rotate();
        return { status: 200, body: { rotated: true } };
      case 'GET /tokens':
        return { status: 200, body: { tokens: ctx.tokens.issued() } };
      case 'GET /clock':
        return { status: 200, body: clockState(ctx.clock) };
      case 'PUT /clock':
        return setClock(ctx.clock, body);
      case 'GET /state':
        return { status: 200, body: ctx.getStore().toDataset() };
      case 'PUT /state': {
        const store = EmulatorStore.fromDataset(parseDataset(body, 'the dataset in the request'));
        ctx.replaceStore(store);
        return { status: 200, body: store.counts() };
      }
      case 'GET /stats':
        return { status: 200, body: { ...ctx.stats.snapshot(), records: ctx.getStore().counts() } };
      case 'GET /writes':
        return { status: 200, body: ctx.writeLog.snapshot() };
      case 'POST /stats/reset':
        ctx.stats.reset();
        ctx.writeLog.reset();
        return { status: 200, body: { reset: true } };
      default:
        return { status: 404, body: { error: `no control route ${route}` } };
    }
  } catch (error) {
    if (error instanceof FaultSettingsError || error instanceof DatasetError) return { status: 400, body: { error: error.message } };
    throw error;
  }
}
