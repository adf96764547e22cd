import { describe, expect, it } from 'vitest';
import { durationUnit, niceAxis } from '../../../src/report/html/chart-axis.js';

describe('niceAxis', () => {
  it('rounds the top up to a 1, 2 or 5 step', () => {
    expect(niceAxis(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceAxis(100)).toEqual({ top: 100, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceAxis(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
  });

  it('keeps decimal ticks clean', () => {
    expect(niceAxis(0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('never steps below minStep, so counts stay whole', () => {
    expect(niceAxis(3, 5, 1)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
  });

  it('gives a 0 … 1 axis when everything is zero', () => {
    expect(niceAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceAxis(Number.NaN)).toEqual({ top: 1, ticks: [0, 1] });
  });
});

describe('durationUnit', () => {
  it('picks the unit that makes the longest run a small number', () => {
    expect(durationUnit(800).label).toBe('ms');
    expect(durationUnit(45_000).label).toBe('s');
    expect(durationUnit(30 * 60_000).label).toBe('min');
    expect(durationUnit(5 * 3_600_000).label).toBe('h');
  });
});
