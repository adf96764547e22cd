import { unaddressableReason } from '../domain/addressable-key.js';
import { t } from '../i18n/i18n.js';
import { ApiError } from './api-error.js';
import type { AnswerContext } from './http-answer.js';

/**
 * A device_id as one percent-encoded URL path segment. Refused here, before
 * any request, as a final error (src/domain/addressable-key.ts says why each
 * cannot reach its license): a `/` (the server decodes `%2F` before routing,
 * so the call is a 404 that would read as "license absent", or a redirect),
 * the dot segments `.` and `..` (URL parsing removes them), a lone surrogate
 * (encodeURIComponent throws).
 */
export function pathSegment(deviceId: string, context: AnswerContext): string {
  const refuse = (reason: string) => new ApiError({ ...context, kind: 'rejected', status: null, reason });
  switch (unaddressableReason(deviceId)) {
    case 'slash':
      throw refuse(t('api:path.slash', { deviceId: JSON.stringify(deviceId) }));
    case 'dot-segment':
      throw refuse(t('api:path.dotSegment', { deviceId: JSON.stringify(deviceId) }));
    case 'lone-surrogate':
      throw refuse(t('api:path.loneSurrogate'));
    case 'empty':
      throw refuse(t('api:path.empty'));
    case null:
      return encodeURIComponent(deviceId);
  }
}
