import { t } from '../i18n/i18n.js';
import { sendErrorText } from './failure-texts.js';
import type { HealthProbe } from './health-probe.js';
import type { HttpAnswer } from './http-answer.js';
import { NoAnswerError, type HttpTransport } from './http-transport.js';
import { healthAnswer } from './response-schemas.js';

// One `GET /health` as the watchdog sees it (health-probe.ts says what each
// failure kind means). The kind is read from codes and statuses; the detail is
// worded by the same catalog texts as every other failed request, in the
// process's language. It never quotes the answer's body, which could repeat
// anything.

/** Sends one `GET /health` through `transport`, gives up after `timeoutMs`, and never rejects. */
export async function probeHealth(transport: HttpTransport, timeoutMs: number): Promise<HealthProbe> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const answer = await transport.send({ method: 'GET', path: '/health', token: null, timeoutMs });
    const latencyMs = elapsed();
    return readHealthAnswer(answer, latencyMs);
  } catch (error) {
    // An answer too large, like any error without a code, is an error.
    return failed(elapsed(), failureOfCode(error instanceof NoAnswerError ? error.code : 'ERROR'), sendErrorText(error, timeoutMs));
  }
}

/** A proxy's answer while a free-tier server wakes up. */
const SLEEPING_STATUSES: readonly number[] = [502, 503, 504];

export function readHealthAnswer(answer: HttpAnswer, latencyMs: number): HealthProbe {
  const { status } = answer;
  if (SLEEPING_STATUSES.includes(status)) return failed(latencyMs, 'asleep', t('api:answer.status', { status }));
  // A 4xx page is the host saying the address is wrong, HTML or not: waiting cannot fix it.
  if (isHtml(answer) && !(status >= 400 && status < 500)) return failed(latencyMs, 'asleep', t('api:answer.statusHtmlPage', { status }));
  if (status !== 200) return failed(latencyMs, 'error', t('api:answer.status', { status }));
  if (!healthAnswer.safeParse(parseJson(answer.body)).success) return failed(latencyMs, 'error', t('api:answer.notHealthy', { status }));
  return { ok: true, latencyMs };
}

/** Nothing listens there: connection refused or reset, no such host. */
const DOWN_CODES: readonly string[] = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** A timeout may be a server waking up; a refused or reset connection is a server down; anything else (TLS, not HTTP) an error. */
function failureOfCode(code: string): 'asleep' | 'down' | 'error' {
  if (code === 'TIMEOUT') return 'asleep';
  return DOWN_CODES.includes(code) ? 'down' : 'error';
}

function failed(latencyMs: number, failure: 'asleep' | 'down' | 'error', detail: string): HealthProbe {
  return { ok: false, latencyMs, failure, detail };
}

function isHtml(answer: HttpAnswer): boolean {
  return answer.contentType.includes('html') || /^\s*</.test(answer.body.slice(0, 64));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
