import { serverErrorOf, type ServerError } from '../api/license-server.js';
import { CompensationError } from '../execute/apply-operation.js';
import type { Operation } from '../plan/operation.js';
import type { Failure, ServerName } from '../outcome/run-result.js';
import { t } from '../i18n/i18n.js';

/** The report's view of an error: server, endpoint, key and a short reason, never a secret. */
export function toFailure(error: unknown, fallback: { server: ServerName; operation?: Operation }): Failure {
  const failed = serverErrorOf(error);
  if (failed !== null) return { server: failed.server, endpoint: failed.endpoint, key: failed.key, reason: attemptsNote(failed) };
  if (error instanceof CompensationError) {
    return { server: error.server, endpoint: 'POST /admin/devices/:device_id/deactivate', key: error.deviceId, reason: error.message };
  }
  const key = fallback.operation ? fallback.operation.key.replace(/^(user|license):/, '') : null;
  const reason = error instanceof Error ? t('run:failure.unexpected', { name: error.name, message: error.message }) : t('run:failure.unexpectedError');
  return { server: fallback.server, endpoint: fallback.operation?.kind ?? 'run', key, reason };
}

function attemptsNote(error: ServerError): string {
  return error.attempts > 1 ? t('run:failure.afterAttempts', { reason: error.reason, attempts: error.attempts }) : error.reason;
}
