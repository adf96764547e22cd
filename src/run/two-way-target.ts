import { shrunkSinceBaseGuard, shrunkenSideGuard, type GuardRefusal } from '../plan/guards.js';
import type { ConflictItem } from '../plan/plan-types.js';
import { baseFromSnapshots, carryBaseEntries, keysNotReconciled, type PairBase } from '../plan/two-way/pair-base.js';
import { planTwoWay, type TwoWayOptions } from '../plan/two-way/plan-two-way.js';
import type { Snapshot } from '../snapshot/records.js';
import type { BaseLookup, PairKey } from '../state/pair-base-store.js';
import { toFailure } from './failure.js';
import { recordBase } from './record-base.js';
import { applyIntoDraft, emptyDraft, type RunContext, type TargetDraft } from './run-context.js';
import type { BaseUsed } from '../outcome/run-result.js';
import { RunStop } from './run-stop.js';
import { readListing } from './server-steps.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServerSession } from './servers.js';

export type PeerSide = ServerSession;

/**
 * Two-way: merge the primary and the peer against the base the pair agreed on
 * at its last successful run (or, with --resync, as a union where the primary
 * wins), write what each side lacks, verify both, and record the new base.
 * Both servers are already connected.
 */
export async function reconcilePeer(context: RunContext, primary: PeerSide, peer: PeerSide, resync: boolean): Promise<TargetDraft> {
  const draft = emptyDraft();
  try {
    draft.outcome = await steps(context, primary, peer, resync, draft);
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    draft.outcome = error.outcome;
    draft.guards.push(...error.guards);
    draft.failures.push(...error.failures);
    for (const guard of error.guards) context.log.error(`${pairLabel(peer.account.name)}: refused (${guard.guard}): ${guard.message}`);
  }
  return draft;
}

async function steps(context: RunContext, primarySide: PeerSide, peerSide: PeerSide, resync: boolean, draft: TargetDraft): Promise<TargetDraft['outcome']> {
  const { config, log, signal } = context;
  const peerName = peerSide.account.name;
  const pair: PairKey = { primaryUrl: primarySide.account.url, peerUrl: peerSide.account.url };

  const base = resync ? null : baseOrStop(context, pair, peerName, draft);
  // One server after the other: two large listings in memory at once would double the peak.
  const primary = await readListing(primarySide.server, log, signal);
  context.listed.set(primarySide.account.name, { users: primary.users.size, licenses: primary.licenses.size, rejected: primary.rejected });
  const peer = await readListing(peerSide.server, log, signal);
  context.listed.set(peerName, { users: peer.users.size, licenses: peer.licenses.size, rejected: peer.rejected });

  const options: TwoWayOptions = { peer: peerName, conflict: config.conflict, newUsers: config.newUsers, delete: config.delete, maxDelete: config.maxDelete };
  const planned = planTwoWay(primary, peer, base, options, context.today);
  draft.plan = planned;
  for (const conflict of planned.conflicts) log.warn(`${pairLabel(peerName)}: conflict on license ${conflict.key} (${conflict.kind}): ${conflict.detail}; resolved: ${conflict.resolution}`);

  const shrinkRefusals: GuardRefusal[] = [
    ...shrunkenSideGuard(
      [
        { server: 'primary', counts: { users: primary.users.size, licenses: primary.licenses.size } },
        { server: peerName, counts: { users: peer.users.size, licenses: peer.licenses.size } },
      ],
      config.minPrimaryRatio,
    ),
    ...(base === null || draft.base === null
      ? []
      : shrunkSinceBaseGuard(
          [
            { server: 'primary', licenses: primary.licenses.size, baseLicenses: base.primary.licenses.size },
            { server: peerName, licenses: peer.licenses.size, baseLicenses: base.peer.licenses.size },
          ],
          draft.base.recordedAt,
          config.maxShrink,
        )),
  ];
  if (context.force) {
    for (const refusal of shrinkRefusals) log.warn(`${pairLabel(peerName)}: --force: going on although ${refusal.message}`);
    draft.forcedGuards.push(...shrinkRefusals);
  } else if (shrinkRefusals.length > 0) {
    throw new RunStop('refused', [], shrinkRefusals);
  }
  log.info(`${pairLabel(peerName)}: plan: ${planned.operations.length} operations (${planned.conflicts.length} conflicts)`);
  if (context.command === 'plan') return planned.operations.length === 0 ? 'in-sync' : 'changes-pending';

  // Keys this run could not reconcile (unreadable, suspended) keep their old base entries.
  const nextBase = (primaryNow: Snapshot, peerNow: Snapshot) => () => {
    const next = baseFromSnapshots(primaryNow, peerNow);
    const carried = keysNotReconciled(planned);
    return carried.size === 0 ? next : carryBaseEntries(next, base, carried);
  };
  if (planned.operations.length === 0) {
    draft.verified = { inSync: true, relisted: false, remaining: [] };
    recordBase(context, pair, nextBase(primary, peer), 'two-way', draft);
    return 'in-sync';
  }
  if (!(await applyIntoDraft(context, planned.operations, [primarySide.server, peerSide.server], draft, pairLabel(peerName)))) return 'interrupted';
  const after = await relistBoth(context, primarySide, peerSide, draft);
  if (after === 'interrupted' || after === 'failed') return after;
  const outcome = verify(context, after, options, planned.conflicts, draft, peerName);
  if (outcome === 'in-sync') recordBase(context, pair, nextBase(after.primary, after.peer), 'two-way', draft);
  return outcome;
}

/** Lists both sides again after writing. */
async function relistBoth(
  context: RunContext,
  primarySide: PeerSide,
  peerSide: PeerSide,
  draft: TargetDraft,
): Promise<{ primary: Snapshot; peer: Snapshot } | 'interrupted' | 'failed'> {
  try {
    const primary = await readListingOnly(primarySide);
    const peer = await readListingOnly(peerSide);
    return { primary, peer };
  } catch (error) {
    if (context.signal?.aborted === true) return 'interrupted';
    const side = error instanceof ReadError ? error.server : peerSide.account.name;
    draft.failures.push(toFailure(error instanceof ReadError ? error.cause : error, { server: side }));
    draft.verified = { inSync: false, relisted: false, remaining: [] };
    return 'failed';
  }
}

/**
 * Both sides must now agree on everything (merged as a --resync would) but the
 * conflicts this run left alone: under --conflict none every conflict, where
 * only the block was written.
 */
function verify(
  context: RunContext,
  after: { readonly primary: Snapshot; readonly peer: Snapshot },
  options: TwoWayOptions,
  conflicts: readonly ConflictItem[],
  draft: TargetDraft,
  peerName: string,
): TargetDraft['outcome'] {
  const leaveAlone = new Set(conflicts.filter((conflict) => options.conflict === 'none' || conflict.resolution === 'left').map((conflict) => conflict.key));
  const remaining = planTwoWay(after.primary, after.peer, null, { ...options, conflict: 'primary', leaveAlone }, context.today).operations;
  if (remaining.length > 0) context.log.warn(`${pairLabel(peerName)}: verification: the two sides still differ by ${remaining.length} operations`);
  draft.verified = { inSync: remaining.length === 0, relisted: true, remaining };
  return draft.failures.length > 0 || remaining.length > 0 ? 'failed' : 'in-sync';
}

/** How a two-way run's log lines name the pair, as one-way lines name their backup. */
function pairLabel(peer: string): string {
  return `primary ⇄ ${peer}`;
}

class ReadError extends Error {
  constructor(
    readonly server: string,
    override readonly cause: unknown,
  ) {
    super(`could not re-list ${server}`);
  }
}

async function readListingOnly(side: PeerSide): Promise<Snapshot> {
  try {
    return await readSnapshot(side.server);
  } catch (error) {
    throw new ReadError(side.account.name, error);
  }
}

/** The pair's base, or a refusal that says to --resync. */
function baseOrStop(context: RunContext, pair: PairKey, peerName: string, draft: TargetDraft): PairBase {
  const lookup: BaseLookup = context.bases === null ? { kind: 'none' } : context.bases.load(pair);
  const refuse = (message: string): never => {
    throw new RunStop('refused', [], [{ guard: 'two-way-base', message }]);
  };
  switch (lookup.kind) {
    case 'found': {
      const used: BaseUsed = { recordedAt: lookup.meta.recordedAt, runId: lookup.meta.runId, mode: lookup.meta.mode };
      draft.base = used;
      return lookup.base;
    }
    case 'none':
      return refuse(
        `there is no base for primary ↔ ${peerName} yet (no successful sync of this pair recorded in this state directory); ` +
          'the first two-way run of a pair needs --resync (a union of both sides where the primary wins conflicts)',
      );
    case 'other-servers':
      return refuse(
        `the base kept for ${peerName} (${pair.peerUrl}) was recorded with another primary (${lookup.recordedWith.primaryUrl}, ${lookup.recordedWith.recordedAt}); ` +
          'run with --resync to start again from the union of both sides',
      );
    case 'unreadable':
      return refuse(`the base of primary ↔ ${peerName} cannot be used: ${lookup.reason}; run with --resync to start again from the union of both sides`);
  }
}
