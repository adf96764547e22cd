import { describe, expect, it } from 'vitest';
import { keepClearOf, untilLocalTopOfTheHour, untilUtcMidnight } from '../support/clock-boundaries.js';

describe('tests kept clear of the clock\'s boundaries', () => {
  it('count the time left to midnight UTC', () => {
    expect(untilUtcMidnight(new Date('2026-12-04T23:59:00.000Z'))).toBe(60_000);
    expect(untilUtcMidnight(new Date('2026-12-05T00:00:00.000Z'))).toBe(86_400_000);
  });

  it('count the time left to the top of the local hour', () => {
    expect(untilLocalTopOfTheHour(new Date(2026, 11, 4, 18, 59, 40, 250))).toBe(19_750);
    expect(untilLocalTopOfTheHour(new Date(2026, 11, 4, 19, 0, 0, 0))).toBe(3_600_000);
  });

  it('go on at once when the boundary is further than the margin', async () => {
    const started = Date.now();
    await keepClearOf(180_001, 180_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wait until just past the boundary when it is within the margin', async () => {
    const started = Date.now();
    await keepClearOf(500, 180_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
  });
});
