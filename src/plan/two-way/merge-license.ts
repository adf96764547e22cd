import type { CalendarDate } from '../../domain/calendar-date.js';
import { licenseDecision } from '../../domain/decision.js';
import { LICENSE_CONTENT_FIELDS, type LicenseRecord } from '../../snapshot/records.js';
import { contentDifferences } from '../license-comparison.js';
import { licenseKey, type OperationDraft } from '../operation.js';
import { planLicenseWrites, unwritableDrift, type LicenseMatchRules } from '../plan.js';
import type { ConflictItem, ConflictKind, ConflictResolution, DriftItem } from '../plan-types.js';
import { merged, twoWaySides, type CauseClause, type ConflictOutcome, type PolicyNote, type RestoreWhy, type SideChangeFacts } from '../reasons.js';
import { projectLicense } from './projection.js';
import { safetyNet } from './safety-net.js';
import { changed, changeFacts, editedBesidesState, madeBlock, stateOf, type SideChange } from './side-changes.js';
import { otherSide, SIDES, sideName, type BySide, type Side } from './sides.js';

// The three-way merge of one license: each side's record now against its own
// base decides who changed it; a change on one side only is copied to the other
// with the one-way rules; a change on both is a conflict settled by the policy,
// except that a block always wins.

/** A write before it is given its server. */
export interface SideDraft {
  readonly side: Side;
  readonly draft: OperationDraft;
}

export interface KeyPlan {
  readonly writes: readonly SideDraft[];
  readonly drift: readonly DriftItem[];
  readonly conflict: ConflictItem | null;
  readonly pending: PendingDeletion | null;
}

/**
 * What the merge wants for one license. A deletion waits for the plan to count
 * all of them: it propagates only with --delete and within --max-delete, and
 * the license is restored on the side that deleted it otherwise.
 */
export type KeyOutcome =
  | { readonly kind: 'plan'; readonly plan: KeyPlan }
  | { readonly kind: 'deletion'; readonly deletedOn: Side; readonly propagate: KeyPlan; readonly restore: (why: RestoreWhy) => KeyPlan };

/** A deletion not carried out by this run, kept pending: `deletedOn` names the side that deleted it. */
export interface PendingDeletion {
  readonly deletedOn: string;
  readonly why: RestoreWhy;
}

export interface MergeContext {
  readonly today: CalendarDate;
  /** The peer's name, for the facts of reasons. */
  readonly peer: string;
  readonly conflict: 'primary' | 'peer' | 'none';
  /**
   * Field and block conflicts are settled for the primary's version whatever
   * `conflict` says: earlier steps of the run already decided them there (a
   * round trip's spreading step). A peer's deletion still follows `conflict`.
   */
  readonly settledFor?: 'primary';
  /**
   * No base (the first run of the pair, or --resync): who changed what is
   * unknown, so the primary's version wins everywhere and a license only the
   * peer lists is denied there (deleted with --delete), never copied to the primary.
   */
  readonly resync: boolean;
  /**
   * The peer lost most of its licenses since the base (a free-tier database
   * reset): what it lacks is restored, and none of its "deletions" propagate.
   */
  readonly peerReset: boolean;
}

export interface KeyInput {
  readonly deviceId: string;
  readonly now: BySide<LicenseRecord | undefined>;
  readonly change: BySide<SideChange>;
  /** The peer deleted it before an earlier run that restored it (no --delete then): the deletion is still pending. */
  readonly pendingPeerDeletion: boolean;
}

export function mergeLicense(input: KeyInput, context: MergeContext): KeyOutcome {
  const merge = new LicenseMerge(input, context);
  if (context.resync) return merge.primaryWins();
  const changedSides = SIDES.filter((side) => changed(input.change[side]));
  const [only] = changedSides;
  if (changedSides.length === 0) return merge.neitherChanged();
  if (changedSides.length === 1 && only !== undefined) return merge.oneChanged(only);
  return merge.bothChanged();
}

/** Blocking rule while the wanted record denies: a block made holds every open copy; other denials only stop a copy that allows. */
function holdRule(strict: boolean): NonNullable<LicenseMatchRules['mustBlock']> {
  return (wanted, current, today) =>
    strict && stateOf(wanted) === 'held' ? current.status === 'active' : licenseDecision(current, today) === 'allow';
}

class LicenseMerge {
  constructor(
    private readonly input: KeyInput,
    private readonly context: MergeContext,
  ) {}

  private name(side: Side): string {
    return sideName(side, this.context.peer);
  }

  private describe(side: Side): SideChangeFacts {
    if (this.context.resync) return { code: this.input.now[side] === undefined ? 'resync-absent' : 'resync-present', side: this.name(side) };
    return changeFacts(this.input.change[side], this.name(side), this.input.now[side]);
  }

  private describeBoth(): CauseClause[] {
    return [
      { code: 'side-change', change: this.describe('primary') },
      { code: 'side-change', change: this.describe('peer') },
    ];
  }

  /** The clause of a conflict that `winner` wins by the policy (its version restored on `restoredOn`, when given). */
  private won(winner: Side, restoredOn: Side | null = null): CauseClause {
    return { code: 'conflict-won', winner: this.name(winner), policy: this.policyNote(), restoredOn: restoredOn === null ? null : this.name(restoredOn) };
  }

  private builder(): KeyPlanBuilder {
    return new KeyPlanBuilder(this.input, this.context);
  }

  /**
   * Rule 1: neither side changed it. Differences were left on purpose; only the
   * answer to clients is kept aligned. A deletion still pending (the peer's,
   * restored by an earlier run; or the primary's, whose copy on the peer is
   * held) is carried out with --delete.
   */
  neitherChanged(): KeyOutcome {
    const { primary, peer } = this.input.now;
    const unchanged: CauseClause[] = [{ code: 'unchanged-on-both' }];
    if (primary !== undefined && peer !== undefined && this.input.pendingPeerDeletion) {
      return this.deletion('peer', [{ code: 'deletion-pending', deletedOn: this.name('peer') }], null);
    }
    if (primary === undefined && peer !== undefined) return this.deletion('primary', [{ code: 'deletion-pending', deletedOn: 'primary' }], null);
    const out = this.builder();
    if (primary !== undefined && peer !== undefined) {
      const differs = trackedDifferences(primary, peer, this.context.peer);
      if (differs !== null) out.drift.push({ kind: 'two-way-differs', key: this.input.deviceId, differs });
    } else if (primary !== undefined) {
      out.drift.push({ kind: 'two-way-differs', key: this.input.deviceId, differs: { code: 'one-side-only', on: 'primary' } });
    }
    return planned(out.finish(unchanged, true));
  }

  /**
   * No base: the primary's version is copied with the one-way rules; a license
   * only the peer lists is denied there, as the primary denies it.
   */
  primaryWins(): KeyOutcome {
    const { primary, peer } = this.input.now;
    const cause: CauseClause[] = [
      { code: 'side-change', change: this.describe('primary') },
      { code: 'side-change', change: this.describe('peer') },
    ];
    if (primary === undefined) {
      if (peer === undefined) return planned(this.builder().finish(cause, false));
      return this.deletion('primary', cause, null);
    }
    const out = this.builder();
    out.match(primary, 'peer', 'primary', cause, {});
    return planned(out.finish(cause, false));
  }

  /** Rule 2: one side changed it; the other gets its version, or its deletion. */
  oneChanged(source: Side): KeyOutcome {
    const target = otherSide(source);
    const wanted = this.input.now[source];
    const cause: CauseClause[] = [{ code: 'side-change', change: this.describe(source) }];
    if (wanted === undefined) {
      if (this.input.now[target] === undefined) return planned(this.builder().finish(cause, false));
      return this.deletion(source, cause, null);
    }
    // A license only the peer lists that the primary had at the base, or that the peer
    // kept from an earlier deletion by the primary: the primary's deletion stands.
    if (source === 'peer' && this.input.now.primary === undefined && this.input.change.peer.kind !== 'created') {
      return this.deletion('primary', [...cause, { code: 'deletion-pending', deletedOn: 'primary' }], null);
    }
    const out = this.builder();
    out.match(wanted, target, source, cause, this.copyRules(source));
    return planned(out.finish(cause, false));
  }

  /** Rule 3: both changed it. */
  bothChanged(): KeyOutcome {
    const { primary, peer } = this.input.now;
    if (primary === undefined && peer === undefined) return planned(this.builder().finish([{ code: 'deleted-on-both' }], false));
    if (primary !== undefined && peer !== undefined && sameTracked(primary, peer)) {
      return planned(this.builder().finish([...this.describeBoth(), { code: 'equal-on-both' }], true));
    }
    if (primary === undefined || peer === undefined) return this.deletedVsEdited(primary === undefined ? 'primary' : 'peer');
    const kind = this.conflictKind();
    // A license created held counts as a block made.
    if (SIDES.some((side) => madeBlock(this.input.change[side]))) return this.blockWins(kind);
    return this.fieldMerge(primary, peer, kind);
  }

  /**
   * Both sides edited an open license: each field comes from the side that
   * changed it; only a field both changed, to different values, is a conflict,
   * settled by the policy (under `none` the license is left as it is).
   */
  private fieldMerge(primary: LicenseRecord, peer: LicenseRecord, kind: ConflictKind): KeyOutcome {
    const { change } = this.input;
    const policy = this.policy();
    const conflicting = TRACKED_FIELDS.filter(
      (field) => fieldChanged(change.primary, field) && fieldChanged(change.peer, field) && primary[field] !== peer[field],
    );
    if (conflicting.length > 0 && policy === 'none') {
      const out = this.builder();
      out.conflict = this.conflictItem(kind, 'left', { code: 'left' });
      return planned(out.finish([{ code: 'conflict-left' }], true));
    }
    const winner = policy === 'none' ? 'primary' : policy;
    const wanted: Record<string, unknown> = { ...primary };
    const fromOf = (field: TrackedField): Side =>
      conflicting.includes(field) ? winner : fieldChanged(change.peer, field) && !fieldChanged(change.primary, field) ? 'peer' : 'primary';
    for (const field of TRACKED_FIELDS) wanted[field] = this.present(fromOf(field))[field];
    const opened = change.primary.state === 'opened' || change.peer.state === 'opened';
    wanted.status = opened ? 'active' : primary.status;
    const renewed = change.primary.dates || change.peer.dates;
    // An upsert dates a license by its type: with types that differ, the dates go with the type kept.
    if (renewed && primary.license_type !== peer.license_type) {
      const typed = this.present(fromOf('license_type'));
      wanted.start_date = typed.start_date;
      wanted.end_date = typed.end_date;
    } else if (renewed) wanted.end_date = laterEnd(primary, peer);
    const merged = wanted as unknown as LicenseRecord;
    const cause: CauseClause[] = [...this.describeBoth(), ...(conflicting.length > 0 ? [this.won(winner)] : [{ code: 'fields-merged' } as const])];
    const out = this.builder();
    const rules: LicenseMatchRules = { mustBlock: holdRule(false), renewed };
    out.match(merged, 'primary', 'peer', cause, rules);
    out.match(merged, 'peer', 'primary', cause, rules);
    if (conflicting.length > 0) out.conflict = this.conflictItem(kind, winner, { code: 'won', winner: this.name(winner), policy: this.policyNote() });
    return planned(out.finish([], false));
  }

  private policy(): 'primary' | 'peer' | 'none' {
    return this.context.settledFor ?? this.context.conflict;
  }

  private policyNote(): PolicyNote {
    return this.context.resync ? 'resync' : this.context.conflict;
  }

  private heldOn(side: Side): boolean {
    const license = this.input.now[side];
    return license !== undefined && stateOf(license) === 'held';
  }

  private present(side: Side): LicenseRecord {
    const license = this.input.now[side];
    if (license === undefined) throw new Error(`no license ${this.input.deviceId} on ${side}`);
    return license;
  }

  /** How a side's version is copied: a block made holds every copy. */
  private copyRules(source: Side): LicenseMatchRules {
    const change = this.input.change[source];
    return { mustBlock: holdRule(madeBlock(change)), renewed: change.dates };
  }

  /** The kind of a conflict between two present copies (one side deleting it is {@link deletedVsEdited}). */
  private conflictKind(): ConflictKind {
    const { change } = this.input;
    if (change.primary.kind === 'created' && change.peer.kind === 'created') return 'created-on-both';
    const [blockedOnPrimary, blockedOnPeer] = [madeBlock(change.primary), madeBlock(change.peer)];
    if ((blockedOnPrimary && change.peer.state === 'opened') || (blockedOnPeer && change.primary.state === 'opened')) return 'block-vs-unblock';
    if ((blockedOnPrimary && !blockedOnPeer && editedBesidesState(change.peer)) || (blockedOnPeer && !blockedOnPrimary && editedBesidesState(change.primary))) {
      return 'block-vs-edit';
    }
    return 'both-edited';
  }

  private conflictItem(kind: ConflictKind, resolution: ConflictResolution, outcome: ConflictOutcome): ConflictItem {
    return { kind, key: this.input.deviceId, resolution, changes: { primary: this.describe('primary'), peer: this.describe('peer') }, outcome };
  }

  /**
   * A block made on either side: the merged state is held,
   * so every open copy is blocked. Under `primary` or `peer` the owner comes from that side's version
   * (its content cannot be copied onto a held license: an upsert would re-open it); under `none`
   * nothing but the block is written.
   */
  private blockWins(kind: ConflictKind): KeyOutcome {
    const policy = this.policy();
    const heldSide = SIDES.find((side) => this.heldOn(side) && side === policy) ?? (SIDES.find((side) => this.heldOn(side)) as Side);
    const held = this.present(heldSide);
    const out = this.builder();
    const cause: CauseClause[] = [...this.describeBoth(), { code: 'block-wins' }];
    for (const side of SIDES) {
      const license = this.present(side);
      const key = licenseKey(license.device_id);
      const mustBlock = stateOf(license) === 'open';
      if (mustBlock) {
        out.add(side, {
          kind: 'block',
          key,
          deviceId: license.device_id,
          reason: merged(cause, { code: 'held-elsewhere', heldStatus: held.status, heldOn: this.name(heldSide), openOn: this.name(side) }),
        });
      }
      if (policy === 'none' || side === policy) continue;
      const winner = this.present(policy);
      if (winner.created_by !== license.created_by) {
        out.add(side, {
          kind: 'update-created-by',
          key,
          deviceId: license.device_id,
          createdBy: winner.created_by,
          reason: merged(cause, {
            code: 'owner-from-winner',
            owner: license.created_by,
            on: this.name(side),
            winnerOwner: winner.created_by,
            winner: this.name(policy),
            policy: this.policyNote(),
          }),
        });
      }
      const content = contentDifferences(winner, license);
      if (content.length > 0) {
        out.drift.push({
          kind: 'license-content-while-denied',
          key: license.device_id,
          fields: content,
          because: { code: 'held', winner: this.name(policy), policy: this.policyNote() },
        });
      }
    }
    const from = policy === 'none' ? null : { winner: this.name(policy), policy: this.policyNote() };
    out.conflict = this.conflictItem(kind, 'block', { code: 'block-wins', from });
    return planned(out.finish(cause, true));
  }

  /**
   * One side deleted the license, the other changed it. A deletion on the
   * primary always stands (the primary is never given back a license its own
   * administrator deleted); one on the peer is settled by the policy.
   */
  private deletedVsEdited(deletedOn: Side): KeyOutcome {
    const keptOn = otherSide(deletedOn);
    if (deletedOn === 'primary') return this.deletion('primary', [...this.describeBoth(), { code: 'primary-deletion-stands' }], 'deleted-vs-edited');
    const policy = this.context.conflict;
    if (policy === 'none') {
      const out = this.builder();
      out.conflict = this.conflictItem('deleted-vs-edited', 'left', { code: 'left' });
      return planned(out.finish([], false));
    }
    if (policy === keptOn || this.context.peerReset) {
      const out = this.builder();
      out.match(this.present(keptOn), deletedOn, keptOn, [...this.describeBoth(), this.won(keptOn, deletedOn)], {});
      out.conflict = this.conflictItem('deleted-vs-edited', keptOn, { code: 'won-restored', winner: this.name(keptOn), policy: this.policyNote(), restoredOn: this.name(deletedOn) });
      return planned(out.finish([], false));
    }
    return this.deletion(deletedOn, [...this.describeBoth(), this.won(deletedOn)], 'deleted-vs-edited');
  }

  /**
   * The license is gone from `deletedOn` (or, for a pending deletion, still on
   * both sides) and kept elsewhere. Propagated (--delete, within --max-delete):
   * deleted wherever it still is. Otherwise a peer's deletion is undone (the
   * license restored on the peer) and a primary's is held: the peer's copy is
   * blocked, so a client gets the primary's answer; either stays pending for a
   * later run with --delete. A peer that lost most of its licenses (a reset)
   * deletes nothing: what it lacks is simply restored.
   */
  private deletion(deletedOn: Side, cause: readonly CauseClause[], conflict: ConflictKind | null): KeyOutcome {
    const keptOn = otherSide(deletedOn);
    const kept = this.present(keptOn);
    if (deletedOn === 'peer' && this.context.peerReset && this.input.now.peer === undefined) {
      const out = this.builder();
      out.match(kept, 'peer', 'primary', [...cause, { code: 'restored', why: { code: 'peer-reset' } }], {});
      return planned(out.finish([], false));
    }
    const propagate = this.builder();
    for (const side of SIDES) {
      if (this.input.now[side] === undefined) continue;
      propagate.add(side, {
        kind: 'delete-license',
        key: licenseKey(kept.device_id),
        deviceId: kept.device_id,
        reason: merged(cause, { code: 'deleted-too', on: this.name(side) }),
      });
    }
    const [winner, policy] = [this.name(deletedOn), this.policyNote()];
    if (conflict !== null) propagate.conflict = this.conflictItem(conflict, deletedOn, { code: 'won-deleted-too', winner, policy, deletedOn: this.name(keptOn) });
    const restore = (why: RestoreWhy): KeyPlan => {
      const out = this.builder();
      out.pending = { deletedOn: this.name(deletedOn), why };
      if (deletedOn === 'primary') {
        if (licenseDecision(kept, this.context.today) === 'allow') {
          out.add('peer', {
            kind: 'block',
            key: licenseKey(kept.device_id),
            deviceId: kept.device_id,
            reason: merged(cause, { code: 'deleted-on-primary', peer: this.name('peer'), why }),
          });
        }
        if (conflict !== null) out.conflict = this.conflictItem(conflict, 'primary', { code: 'won-held', winner: 'primary', heldOn: this.name('peer'), why });
        return out.finish([], false);
      }
      if (this.input.now.peer === undefined) out.match(kept, 'peer', 'primary', [...cause, { code: 'restored', why }], {});
      if (conflict !== null) out.conflict = this.conflictItem(conflict, keptOn, { code: 'won-but-restored', winner, policy, restoredOn: this.name(deletedOn), why });
      return out.finish([], false);
    };
    return { kind: 'deletion', deletedOn, propagate: propagate.finish([], false), restore };
  }
}

function planned(plan: KeyPlan): KeyOutcome {
  return { kind: 'plan', plan };
}

/** The fields a field-by-field merge takes from one side or the other. */
const TRACKED_FIELDS = [...LICENSE_CONTENT_FIELDS, 'created_by'] as const;
type TrackedField = (typeof TRACKED_FIELDS)[number];

/** Whether the side changed the field since its base (a creation changed every field). */
function fieldChanged(change: SideChange, field: TrackedField): boolean {
  if (change.kind === 'created') return true;
  return field === 'created_by' ? change.ownerBefore !== null : change.content.includes(field);
}

/** The later of both ends (null, no end, is the latest). */
function laterEnd(primary: LicenseRecord, peer: LicenseRecord): LicenseRecord['end_date'] {
  if (primary.end_date === null || peer.end_date === null) return null;
  return primary.end_date > peer.end_date ? primary.end_date : peer.end_date;
}

function sameTracked(primary: LicenseRecord, peer: LicenseRecord): boolean {
  return contentDifferences(primary, peer).length === 0 && primary.created_by === peer.created_by && stateOf(primary) === stateOf(peer);
}

/** The tracked groups that differ between the sides; null when none does. */
function trackedDifferences(primary: LicenseRecord, peer: LicenseRecord, peerName: string): Extract<DriftItem, { kind: 'two-way-differs' }>['differs'] | null {
  const content = contentDifferences(primary, peer);
  const owner = primary.created_by !== peer.created_by ? { primary: primary.created_by, peer: peer.created_by } : null;
  const status = stateOf(primary) !== stateOf(peer) ? { primary: primary.status, peer: peer.status } : null;
  if (content.length === 0 && owner === null && status === null) return null;
  return { code: 'tracked', peer: peerName, content, owner, status };
}


/** Collects the writes and drift of one license, then adds the safety net on what they leave. */
class KeyPlanBuilder {
  readonly writes: SideDraft[] = [];
  readonly drift: DriftItem[] = [];
  conflict: ConflictItem | null = null;
  pending: PendingDeletion | null = null;

  constructor(
    private readonly input: KeyInput,
    private readonly context: MergeContext,
  ) {}

  add(side: Side, draft: OperationDraft): void {
    this.writes.push({ side, draft });
  }

  /** The writes on `side` that make it match `wanted` (the version of `source`), with the one-way rules. */
  match(wanted: LicenseRecord, side: Side, source: Side, cause: readonly CauseClause[], rules: LicenseMatchRules): void {
    const sides = twoWaySides(sideName(source, this.context.peer), sideName(side, this.context.peer));
    const result = planLicenseWrites(wanted, this.input.now[side], this.context.today, sides, rules);
    for (const draft of result.operations) this.add(side, { ...draft, reason: merged(cause, draft.reason) } as OperationDraft);
    this.drift.push(...result.drift);
  }

  private projected(side: Side): LicenseRecord | undefined {
    const drafts = this.writes.filter((write) => write.side === side).map((write) => write.draft);
    return projectLicense(this.input.now[side], drafts, this.context.today);
  }

  /**
   * The plan of this license. The safety net runs on what the writes leave (it
   * adds nothing after a full merge); `unwritable` reports the dates and other
   * fields no call writes, when the merge compared no records itself.
   */
  finish(context: readonly CauseClause[], unwritable: boolean): KeyPlan {
    const [primary, peer] = [this.projected('primary'), this.projected('peer')];
    if (primary !== undefined && peer !== undefined) {
      const why: readonly CauseClause[] = context.length > 0 ? context : [{ code: 'merge-left-as-is' }];
      for (const draft of safetyNet(primary, peer, this.context.today, this.context.peer, why)) this.add('peer', draft);
      const { primary: before, peer: beforePeer } = this.input.now;
      const upserted = this.writes.some((write) => write.draft.kind === 'update-license' || write.draft.kind === 'create-license');
      if (unwritable && !upserted && before !== undefined && beforePeer !== undefined) {
        this.drift.push(...unwritableDrift(before, beforePeer, twoWaySides('primary', this.context.peer)));
      }
    }
    return { writes: this.writes, drift: this.drift, conflict: this.conflict, pending: this.pending };
  }
}
