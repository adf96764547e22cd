import { t } from '../../i18n/i18n.js';
import type { WriteTraffic } from '../../outcome/run-result.js';

/** `writes: 14,785 requests at 291.4/s; in flight at once: median 18, at most 24; slowest answer 0.41 s`. */
export function writeTrafficText(writes: WriteTraffic): string {
  return t('wording:traffic', {
    count: writes.requests,
    perSecond: writes.perSecond,
    median: writes.medianInFlight,
    max: writes.maxInFlight,
    slowest: writes.maxLatencyMs / 1000,
  });
}
