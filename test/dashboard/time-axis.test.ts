import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tickAnchor, timeAxis, timeToX } from '../../src/dashboard/time-axis.js';

const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});

describe('the time axis', () => {
  it('puts ticks on round local hours over three hours', () => {
    const axis = timeAxis(Date.parse('2026-03-10T12:01:00Z'), Date.parse('2026-03-10T15:00:00Z'), 'en', 4);
    expect(axis.ticks.map((tick) => tick.label)).toEqual(['10:00', '11:00', '12:00']);
  });

  it('puts ticks on local midnights over days, labelled with the day the language\'s way', () => {
    const axis = timeAxis(Date.parse('2026-03-08T14:00:00Z'), Date.parse('2026-03-12T14:00:00Z'), 'pt-BR', 5);
    expect(axis.ticks.map((tick) => tick.label)).toEqual(['09/03', '10/03', '11/03', '12/03']);
    expect(new Date(axis.ticks[0]?.at ?? 0).toISOString()).toBe('2026-03-09T03:00:00.000Z');
  });

  it('widens a single moment to a minute and places times proportionally', () => {
    const at = Date.parse('2026-03-10T12:00:00Z');
    const axis = timeAxis(at, at, 'en');
    expect(axis.end - axis.start).toBe(60_000);
    expect(timeToX(axis, at + 30_000, 0, 100)).toBe(50);
  });

  it('keeps labels at either end inside the plot', () => {
    expect(tickAnchor(99, 0, 100)).toBe('end');
    expect(tickAnchor(1, 0, 100)).toBe('start');
    expect(tickAnchor(50, 0, 100)).toBe('middle');
  });
});
