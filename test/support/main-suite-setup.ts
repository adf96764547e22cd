import { keepClearOf, untilUtcMidnight } from './clock-boundaries.js';

// Before each file of the main suite: no file runs across midnight UTC (its slowest file takes about a minute on a loaded machine).
await keepClearOf(untilUtcMidnight(new Date()), 180_000);
