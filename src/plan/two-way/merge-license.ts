import type { CalendarDate } from '../../domain/calendar-date.js';
import { licenseDecision } from '../../domain/decision.js';
import type { LicenseRecord } from '../../snapshot/records.js';
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
}

/**
 * What the merge wants for one license. A deletion waits for the plan to count
 * all of them: it propagates only with --delete and within --max-delete, and
 * the license is restored on the side that deleted it otherwise.
 */
export type KeyOutcome =
  | { readonly kind: 'plan'; readonly plan: KeyPlan }
  | { readonly kind: 'deletion'; readonly deletedOn: Side; readonly propagate: KeyPlan; readonly restore: (why: RestoreWhy) => KeyPlan };

export interface MergeContext {
  readonly today: CalendarDate;
  /** The peer's name, for the facts of reasons. */
  readonly peer: string;
  readonly conflict: 'primary' | 'peer' | 'none';
  /** No base (--resync): every record counts as created; the primary wins conflicts, a held state wins, nothing is deleted. */
  readonly resync: boolean;
}

export interface KeyInput {
  readonly deviceId: string;
  readonly now: BySide<LicenseRecord | undefined>;
  readonly change: BySide<SideChange>;
}

export function mergeLicense(input: KeyInput, context: MergeContext): KeyOutcome {
  const merge = new LicenseMerge(input, context);
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

  /** Rule 1: neither side changed it. Differences were left on purpose; only the answer to clients is kept aligned. */
  neitherChanged(): KeyOutcome {
    const { primary, peer } = this.input.now;
    const out = this.builder();
    if (primary !== undefined && peer !== undefined) {
      const differs = trackedDifferences(primary, peer, this.context.peer);
      if (differs !== null) out.drift.push({ kind: 'two-way-differs', key: this.input.deviceId, differs });
    } else if (primary !== undefined || peer !== undefined) {
      const on = primary !== undefined ? 'primary' : this.context.peer;
      out.drift.push({ kind: 'two-way-differs', key: this.input.deviceId, differs: { code: 'one-side-only', on } });
    }
    return planned(out.finish([{ code: 'unchanged-on-both' }], true));
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
    // A license created held counts as a block made; a resync, which has no base, only sees what is held.
    const held = this.context.resync ? SIDES.some((side) => this.heldOn(side)) : SIDES.some((side) => madeBlock(this.input.change[side]));
    if (held) return this.blockWins(kind);
    const policy = this.policy();
    if (policy === 'none') {
      const out = this.builder();
      out.conflict = this.conflictItem(kind, 'left', { code: 'left' });
      return planned(out.finish([{ code: 'conflict-left' }], true));
    }
    const loser = otherSide(policy);
    const out = this.builder();
    out.match(this.present(policy), loser, policy, [...this.describeBoth(), this.won(policy)], this.copyRules(policy));
    out.conflict = this.conflictItem(kind, policy, { code: 'won', winner: this.name(policy), policy: this.policyNote() });
    return planned(out.finish([], false));
  }

  private policy(): 'primary' | 'peer' | 'none' {
    return this.context.resync ? 'primary' : this.context.conflict;
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

  /** How a side's version is copied: a block made holds every copy (except in a resync, where only a copy that allows is stopped). */
  private copyRules(source: Side): LicenseMatchRules {
    const change = this.input.change[source];
    const strict = !this.context.resync && madeBlock(change);
    return { mustBlock: holdRule(strict), renewed: change.dates && !this.context.resync };
  }

  /** The kind of a conflict between two present copies (one side deleting it is {@link deletedVsEdited}). */
  private conflictKind(): ConflictKind {
    const { change } = this.input;
    if (this.context.resync || (change.primary.kind === 'created' && change.peer.kind === 'created')) return 'created-on-both';
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
   * A block made on either side (in a resync: a copy held on either side): the merged state is held,
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
      // In a resync a copy that is open but expired already refuses clients: it is left as it is.
      const mustBlock = stateOf(license) === 'open' && (!this.context.resync || licenseDecision(license, this.context.today) === 'allow');
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

  /** One side deleted the license, the other changed it. */
  private deletedVsEdited(deletedOn: Side): KeyOutcome {
    const keptOn = otherSide(deletedOn);
    const policy = this.policy();
    if (policy === 'none') {
      const out = this.builder();
      out.conflict = this.conflictItem('deleted-vs-edited', 'left', { code: 'left' });
      return planned(out.finish([], false));
    }
    if (policy === keptOn) {
      const out = this.builder();
      out.match(this.present(keptOn), deletedOn, keptOn, [...this.describeBoth(), this.won(keptOn, deletedOn)], {});
      out.conflict = this.conflictItem('deleted-vs-edited', keptOn, { code: 'won-restored', winner: this.name(keptOn), policy: this.policyNote(), restoredOn: this.name(deletedOn) });
      return planned(out.finish([], false));
    }
    return this.deletion(deletedOn, [...this.describeBoth(), this.won(deletedOn)], 'deleted-vs-edited');
  }

  /** The license was deleted on `deletedOn` and is still on the other side: delete it there too, or restore it. */
  private deletion(deletedOn: Side, cause: readonly CauseClause[], conflict: ConflictKind | null): KeyOutcome {
    const keptOn = otherSide(deletedOn);
    const kept = this.present(keptOn);
    const propagate = this.builder();
    propagate.add(keptOn, {
      kind: 'delete-license',
      key: licenseKey(kept.device_id),
      deviceId: kept.device_id,
      reason: merged(cause, { code: 'deleted-too', on: this.name(keptOn) }),
    });
    const [winner, policy] = [this.name(deletedOn), this.policyNote()];
    if (conflict !== null) propagate.conflict = this.conflictItem(conflict, deletedOn, { code: 'won-deleted-too', winner, policy, deletedOn: this.name(keptOn) });
    const restore = (why: RestoreWhy): KeyPlan => {
      const out = this.builder();
      out.match(kept, deletedOn, keptOn, [...cause, { code: 'restored', why }], {});
      if (conflict !== null) out.conflict = this.conflictItem(conflict, keptOn, { code: 'won-but-restored', winner, policy, restoredOn: this.name(deletedOn), why });
      return out.finish([], false);
    };
    return { kind: 'deletion', deletedOn, propagate: propagate.finish([], false), restore };
  }
}

function planned(plan: KeyPlan): KeyOutcome {
  return { kind: 'plan', plan };
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
    return { writes: this.writes, drift: this.drift, conflict: this.conflict };
  }
}
