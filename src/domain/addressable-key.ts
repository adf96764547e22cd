/**
 * Why a license's device_id cannot name it in a URL path, the way the block,
 * activate and delete calls must (`/admin/devices/<device_id>/...`), though the
 * upsert (key in the body) can create it:
 *
 * - `slash`: the server's router (Werkzeug) decodes `%2F` before matching, and
 *   a `<device_id>` segment holds no `/`: the call is a 404, or a 308 redirect
 *   to another license's path when the `/` leads or trails (merged slashes).
 * - `dot-segment`: URL parsing (ours, WHATWG) removes `.` and `..` path
 *   segments, even spelled `%2E%2E`: the call would reach another endpoint.
 * - `lone-surrogate`: not well-formed Unicode; it cannot be percent-encoded.
 * - `empty`: no segment at all.
 */
export type UnaddressableReason = 'slash' | 'dot-segment' | 'lone-surrogate' | 'empty';

/** Lone surrogates: with the `u` flag, the class matches only surrogates that are not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Null when the server can be asked to block, activate or delete the license `deviceId` by its path; else why not. */
export function unaddressableReason(deviceId: string): UnaddressableReason | null {
  if (deviceId === '') return 'empty';
  if (deviceId.includes('/')) return 'slash';
  if (deviceId === '.' || deviceId === '..') return 'dot-segment';
  if (LONE_SURROGATE.test(deviceId)) return 'lone-surrogate';
  return null;
}
