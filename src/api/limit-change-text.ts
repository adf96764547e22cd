import type { LimitChange, LimitChangeCause } from './concurrency-limit.js';

const CAUSES: Readonly<Record<LimitChangeCause, string>> = {
  'steady-latency': 'latency steady',
  'rising-latency': 'latency rising',
  timeout: 'a request timed out',
  'server-error': 'a 5xx answer',
  'rate-limited': 'a 429 answer',
  'no-answer': 'a connection refused or reset',
};

/** `write concurrency 4 -> 5 (latency steady: 52 ms, best 50 ms)`: a line of the debug log. */
export function limitChangeText(kind: 'read' | 'write', change: LimitChange): string {
  const best = change.bestMs === null ? '' : `, best ${Math.round(change.bestMs)} ms`;
  return `${kind} concurrency ${change.from} -> ${change.to} (${CAUSES[change.cause]}: ${Math.round(change.latencyMs)} ms${best})`;
}
