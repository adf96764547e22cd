import type { ServerName } from '../config/sync-config.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import type { LimitChange, LimitChangeCause } from './concurrency-limit.js';

const CAUSES: Readonly<Record<LimitChangeCause, MessageKey>> = {
  'steady-latency': 'api:limit.cause.steadyLatency',
  'rising-latency': 'api:limit.cause.risingLatency',
  timeout: 'api:limit.cause.timeout',
  'server-error': 'api:limit.cause.serverError',
  'rate-limited': 'api:limit.cause.rateLimited',
  'no-answer': 'api:limit.cause.noAnswer',
};

/** `backup: write concurrency 4 -> 5 (latency steady: 52 ms, best 50 ms)`: a line of the debug log. */
export function limitChangeText(server: ServerName, kind: 'read' | 'write', change: LimitChange): string {
  const values = { server, from: change.from, to: change.to, cause: t(CAUSES[change.cause]), latency: Math.round(change.latencyMs) };
  if (change.bestMs === null) return t(kind === 'read' ? 'api:limit.change.read' : 'api:limit.change.write', values);
  return t(kind === 'read' ? 'api:limit.changeWithBest.read' : 'api:limit.changeWithBest.write', { ...values, best: Math.round(change.bestMs) });
}
