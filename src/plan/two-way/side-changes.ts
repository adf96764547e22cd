import type { LicenseStatus } from '../../domain/decision.js';
import { LICENSE_CONTENT_FIELDS, type LicenseContentField, type LicenseRecord } from '../../snapshot/records.js';
import type { HeldAs, SideChangeFacts } from '../reasons.js';
import type { BaseLicense } from './pair-base.js';

// What one side did to one license since the base, in the groups the merge tracks:
// content (owner_name, cpf, email, address, license_type), owner (created_by),
// state (open or held) and dates (only an upsert moves them: a renewal or a re-creation).

/** `open` when active; `held` when blocked or pending: both deny, and the merge never tells them apart. */
export type LicenseState = 'open' | 'held';

export function stateOf(license: { readonly status: LicenseStatus }): LicenseState {
  return license.status === 'active' ? 'open' : 'held';
}

export type ChangeKind = 'unchanged' | 'created' | 'deleted' | 'edited';

export interface SideChange {
  readonly kind: ChangeKind;
  /** Content fields that differ from the base (edits only). */
  readonly content: readonly LicenseContentField[];
  /** The owner in the base, when an edit changed it; null otherwise. */
  readonly ownerBefore: string | null;
  /** `blocked`: blocked now and not in the base, or pending now and open in the base (a block made). `opened`: held in the base, open now. */
  readonly state: 'blocked' | 'opened' | null;
  /** The dates moved (renewed or re-created); true for a creation. */
  readonly dates: boolean;
}

const UNCHANGED: SideChange = { kind: 'unchanged', content: [], ownerBefore: null, state: null, dates: false };

/** The change of one side for one license: its record now against its own base record (undefined: absent). */
export function sideChange(now: LicenseRecord | undefined, base: BaseLicense | undefined): SideChange {
  if (now === undefined) return base === undefined ? UNCHANGED : { ...UNCHANGED, kind: 'deleted' };
  if (base === undefined) return { kind: 'created', content: [], ownerBefore: null, state: stateOf(now) === 'held' ? 'blocked' : null, dates: true };
  const content = LICENSE_CONTENT_FIELDS.filter((field) => now[field] !== base[field]);
  const ownerBefore = now.created_by !== base.created_by ? base.created_by : null;
  const state = stateChange(base.status, now.status);
  const dates = now.start_date !== base.start_date || now.end_date !== base.end_date;
  if (content.length === 0 && ownerBefore === null && state === null && !dates) return UNCHANGED;
  return { kind: 'edited', content, ownerBefore, state, dates };
}

/**
 * Blocking a pending license is a block made too (the reseller stopped a clone
 * the other side may be about to activate); pending and blocked otherwise count
 * as one held state.
 */
function stateChange(before: LicenseStatus, after: LicenseStatus): SideChange['state'] {
  if (before === after) return null;
  if (after === 'blocked') return 'blocked';
  if (after === 'active') return 'opened';
  return before === 'active' ? 'blocked' : null;
}

/** The change of a side in a run without a base (--resync): whatever it has counts as created there. */
export function resyncChange(now: LicenseRecord | undefined): SideChange {
  return sideChange(now, undefined);
}

export function changed(change: SideChange): boolean {
  return change.kind !== 'unchanged';
}

/** The side holds the license now and did not in its base: the block always wins. */
export function madeBlock(change: SideChange): boolean {
  return change.state === 'blocked';
}

/** An edit of content, owner or dates (a renewal): anything but the state. */
export function editedBesidesState(change: SideChange): boolean {
  return change.content.length > 0 || change.ownerBefore !== null || change.dates;
}

/** What a side did, as facts for the report (`side`: its name; `now`: its record now). */
export function changeFacts(change: SideChange, side: string, now: LicenseRecord | undefined): SideChangeFacts {
  switch (change.kind) {
    case 'unchanged':
      return { code: 'unchanged', side };
    case 'deleted':
      return { code: 'deleted', side };
    case 'created':
      return { code: 'created', side, held: change.state === 'blocked' ? heldAs(now) : null };
    case 'edited':
      return {
        code: 'edited',
        side,
        content: change.content,
        owner: change.ownerBefore === null ? null : { before: change.ownerBefore, after: now?.created_by ?? null },
        held: change.state === 'blocked' ? heldAs(now) : null,
        opened: change.state === 'opened',
        renewed: change.dates,
      };
  }
}

function heldAs(now: LicenseRecord | undefined): HeldAs {
  return now?.status === 'pending' ? 'pending' : 'blocked';
}
