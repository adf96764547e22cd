import type { WriteTraffic } from '../../outcome/run-result.js';

/** `writes: 14,785 requests at 291.4/s; in flight at once: median 18, at most 24; slowest answer 0.41 s`. */
export function writeTrafficText(writes: WriteTraffic): string {
  const requests = `${writes.requests.toLocaleString('en')} ${writes.requests === 1 ? 'request' : 'requests'}`;
  return (
    `writes: ${requests} at ${writes.perSecond.toFixed(1)}/s; ` +
    `in flight at once: median ${writes.medianInFlight}, at most ${writes.maxInFlight}; ` +
    `slowest answer ${(writes.maxLatencyMs / 1000).toFixed(2)} s`
  );
}
