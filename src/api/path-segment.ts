import { isWellFormed } from '../snapshot/record-key.js';
import { ApiError } from './api-error.js';
import type { AnswerContext } from './http-answer.js';

/**
 * A device_id as one percent-encoded URL path segment. URL parsing removes the
 * dot segments `.` and `..` (axios' WHATWG URL, even spelled `%2E%2E`), which
 * would send the call to another endpoint, and encodeURIComponent throws on a
 * lone surrogate: both are refused here, before any request, as a final error.
 */
export function pathSegment(deviceId: string, context: AnswerContext): string {
  const refuse = (reason: string) => new ApiError({ ...context, kind: 'rejected', status: null, reason });
  if (deviceId === '.' || deviceId === '..') throw refuse(`device_id ${JSON.stringify(deviceId)} cannot be sent in a URL path (dot segment)`);
  if (!isWellFormed(deviceId)) throw refuse('device_id is not well-formed Unicode (a lone surrogate); it cannot be sent in a URL path');
  return encodeURIComponent(deviceId);
}
