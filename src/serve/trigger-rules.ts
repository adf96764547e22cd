import type { Transition, TrackedServer } from '../watch/health-tracker.js';
import type { SyncRequest } from './serve-services.js';

/**
 * The sync a transition calls for: the primary back starts the full
 * reconciling run; a backup back (while the primary is up) a run of that
 * backup alone. A first settling (from `unknown`) is no return: the run at
 * start or the schedule covers it.
 */
export function syncRequestFor(transition: Transition, watched: readonly TrackedServer[]): SyncRequest | null {
  if (transition.kind !== 'back') return null;
  if (transition.role === 'primary') return { trigger: 'primary-back', backup: null };
  const primary = watched.find((server) => server.role === 'primary');
  if (primary?.state !== 'up') return null;
  return { trigger: 'backup-back', backup: transition.server };
}
