import type { SlotFigures } from '../api/license-server.js';
import type { WriteTraffic } from '../outcome/run-result.js';

/** A server's write figures as the run's result keeps them. */
export function writeTraffic(figures: SlotFigures | null): WriteTraffic | null {
  if (figures === null || figures.requests === 0) return null;
  return {
    requests: figures.requests,
    medianInFlight: figures.medianInFlight,
    maxInFlight: figures.maxInFlight,
    perSecond: figures.spanMs > 0 ? (figures.requests * 1000) / figures.spanMs : 0,
    maxLatencyMs: Math.round(figures.maxLatencyMs),
  };
}
