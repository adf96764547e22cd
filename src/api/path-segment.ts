import { unaddressableReason } from '../domain/addressable-key.js';
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
      throw refuse(`device_id ${JSON.stringify(deviceId)} cannot be sent in a URL path (the server decodes %2F before routing, so no path reaches it)`);
    case 'dot-segment':
      throw refuse(`device_id ${JSON.stringify(deviceId)} cannot be sent in a URL path (dot segment)`);
    case 'lone-surrogate':
      throw refuse('device_id is not well-formed Unicode (a lone surrogate); it cannot be sent in a URL path');
    case 'empty':
      throw refuse('device_id is empty; it cannot be sent in a URL path');
    case null:
      return encodeURIComponent(deviceId);
  }
}
