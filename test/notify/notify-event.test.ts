import { describe, expect, it } from 'vitest';
import { decideNotification, type NotifyDecisionInput, type NotifyEventKind } from '../../src/notify/notify-event.js';
import { DEFAULT_NOTIFY_ON, type NotifyOn } from '../../src/notify/notify-settings.js';
import type { LockHolder, RunOutcome } from '../../src/state/run-records.js';

const HOUR = 3_600_000;
const NOW = new Date('2025-03-01T12:00:00.000Z');

const SETTINGS: Readonly<Record<string, ReadonlySet<NotifyOn>>> = {
  default: DEFAULT_NOTIFY_ON,
  none: new Set(),
  failure: new Set(['failure']),
  recovery: new Set(['recovery']),
  success: new Set(['success']),
  'failure,success': new Set(['failure', 'success']),
  all: new Set(['failure', 'recovery', 'success']),
};

function holderSince(ms: number): LockHolder {
  return { pid: 4242, hostname: 'other-host', startedAt: new Date(NOW.getTime() - ms).toISOString(), command: 'sync' };
}

function kindOf(outcome: RunOutcome | 'locked', settings: string, previousConsecutiveFailures: number, extra: Partial<NotifyDecisionInput> = {}): NotifyEventKind | null {
  const on = SETTINGS[settings];
  if (!on) throw new Error(`no settings named ${settings}`);
  return decideNotification({ outcome, previousConsecutiveFailures, on, now: NOW, expectEveryMs: HOUR, lockHolder: holderSince(2 * HOUR), ...extra })?.kind ?? null;
}

// outcome, previous failures, then the expected kind for each settings column.
const COLUMNS = ['default', 'none', 'failure', 'recovery', 'success', 'failure,success', 'all'] as const;
const TABLE: readonly [RunOutcome | 'locked', number, ...(NotifyEventKind | null)[]][] = [
  ['failed', 0, 'failure', null, 'failure', null, null, 'failure', 'failure'],
  ['failed', 3, 'failure', null, 'failure', null, null, 'failure', 'failure'],
  ['unreachable', 0, 'failure', null, 'failure', null, null, 'failure', 'failure'],
  ['unreachable', 1, 'failure', null, 'failure', null, null, 'failure', 'failure'],
  ['interrupted', 0, 'failure', null, 'failure', null, null, 'failure', 'failure'],
  ['refused', 0, 'refused', null, 'refused', null, null, 'refused', 'refused'],
  ['refused', 2, 'refused', null, 'refused', null, null, 'refused', 'refused'],
  ['locked', 0, 'lock-conflict', null, 'lock-conflict', null, null, 'lock-conflict', 'lock-conflict'],
  ['in-sync', 0, null, null, null, null, 'success', 'success', 'success'],
  ['in-sync', 1, 'recovery', null, null, 'recovery', 'success', 'success', 'recovery'],
  ['in-sync', 5, 'recovery', null, null, 'recovery', 'success', 'success', 'recovery'],
  ['changes-pending', 0, null, null, null, null, null, null, null],
  ['changes-pending', 2, null, null, null, null, null, null, null],
  ['running', 0, null, null, null, null, null, null, null],
];

describe('decideNotification', () => {
  const cases = TABLE.flatMap(([outcome, previous, ...expected]) =>
    COLUMNS.map((settings, column) => ({ outcome, previous, settings, expected: expected[column] ?? null })),
  );

  it.each(cases)('$outcome after $previous failures, on=$settings → $expected', ({ outcome, previous, settings, expected }) => {
    expect(kindOf(outcome, settings, previous)).toBe(expected);
  });

  it('the table covers every outcome under every settings column', () => {
    const outcomes: (RunOutcome | 'locked')[] = ['running', 'in-sync', 'changes-pending', 'failed', 'refused', 'unreachable', 'interrupted', 'locked'];
    expect(new Set(TABLE.map(([outcome]) => outcome))).toEqual(new Set(outcomes));
    for (const row of TABLE) expect(row).toHaveLength(2 + COLUMNS.length);
  });

  it('recovers once: the success after the recovery has no failures before it and is silent', () => {
    const runs: { outcome: RunOutcome; previous: number }[] = [
      { outcome: 'failed', previous: 0 },
      { outcome: 'unreachable', previous: 1 },
      { outcome: 'in-sync', previous: 2 },
      { outcome: 'in-sync', previous: 0 },
      { outcome: 'in-sync', previous: 0 },
    ];
    const kinds = runs.map(({ outcome, previous }) => kindOf(outcome, 'default', previous));
    expect(kinds).toEqual(['failure', 'failure', 'recovery', null, null]);
  });

  it('carries the failed outcome and the failures a recovery ends', () => {
    expect(decideNotification({ outcome: 'unreachable', previousConsecutiveFailures: 0, on: DEFAULT_NOTIFY_ON, now: NOW, expectEveryMs: HOUR })).toEqual({
      kind: 'failure',
      outcome: 'unreachable',
    });
    expect(decideNotification({ outcome: 'in-sync', previousConsecutiveFailures: 4, on: DEFAULT_NOTIFY_ON, now: NOW, expectEveryMs: HOUR })).toEqual({
      kind: 'recovery',
      previousConsecutiveFailures: 4,
    });
  });

  describe('lock conflicts', () => {
    it('are reported when the holder has held the lock for more than one interval, with how long', () => {
      const holder = holderSince(HOUR + 1);
      expect(decideNotification({ outcome: 'locked', previousConsecutiveFailures: 0, on: DEFAULT_NOTIFY_ON, now: NOW, expectEveryMs: HOUR, lockHolder: holder })).toEqual({
        kind: 'lock-conflict',
        holder,
        heldForMs: HOUR + 1,
      });
    });

    it.each([
      ['shorter than one interval', holderSince(HOUR - 1)],
      ['exactly one interval', holderSince(HOUR)],
      ['started in the future (clock skew)', holderSince(-HOUR)],
      ['with an unreadable start time', { ...holderSince(2 * HOUR), startedAt: 'not a date' }],
    ])('are not reported when held %s', (_what, holder) => {
      expect(kindOf('locked', 'all', 0, { lockHolder: holder })).toBeNull();
    });

    it('are not reported when the holder is unknown', () => {
      expect(decideNotification({ outcome: 'locked', previousConsecutiveFailures: 0, on: DEFAULT_NOTIFY_ON, now: NOW, expectEveryMs: HOUR })).toBeNull();
    });
  });
});
