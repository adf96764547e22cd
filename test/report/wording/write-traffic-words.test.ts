import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { writeTrafficText } from '../../../src/report/wording/write-traffic-words.js';

// The line on how hard the writes pushed the servers, with numbers in the language's way.

const TRAFFIC = { requests: 14785, perSecond: 291.43, medianInFlight: 18, maxInFlight: 24, maxLatencyMs: 410 };

afterEach(() => setLanguage('en'));

describe('writeTrafficText', () => {
  it('gives the requests, their rate, the concurrency and the slowest answer', () => {
    expect(writeTrafficText(TRAFFIC)).toBe('writes: 14,785 requests at 291.4/s; in flight at once: median 18, at most 24; slowest answer 0.41 s');
    expect(writeTrafficText({ ...TRAFFIC, requests: 1, perSecond: 1 })).toBe('writes: 1 request at 1.0/s; in flight at once: median 18, at most 24; slowest answer 0.41 s');
  });

  it('writes it in Brazilian Portuguese, decimal comma and dot for thousands', () => {
    setLanguage('pt-BR');
    expect(writeTrafficText(TRAFFIC)).toBe('gravações: 14.785 requisições a 291,4/s; simultâneas: mediana 18, no máximo 24; resposta mais lenta 0,41 s');
  });
});
