import { keepClearOf, untilUtcMidnight } from '../../support/clock-boundaries.js';

// Before each file of the reliability suite: no file runs across midnight UTC (its files run one at a time, each for up to a few minutes).
await keepClearOf(untilUtcMidnight(new Date()), 300_000);
