import type { SyncMode } from '../config/sync-config.js';
import type { BaseUsed, ServerName } from '../outcome/run-result.js';
import type { GuardRefusal } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import type { Plan } from '../plan/plan-types.js';
import type { PairBase } from '../plan/two-way/pair-base.js';
import type { RejectedRecord, Snapshot } from '../snapshot/records.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { RunContext } from './run-context.js';
import type { ServerSession } from './servers.js';

// A run is a list of stages; a stage, steps run at once; a step, one strategy
// applied by runStep to the primary (its source) and one backup (its target).
// A one-way run is one stage of one-way steps, one per backup. A two-way run
// (the round trip) is a stage per backup that gathers its work into the
// primary, in the configured order, then one stage that brings every backup in
// step with the result.

export interface Step {
  readonly strategy: Strategy;
  /** The primary. */
  readonly source: ServerSession;
  /** The backup: the server the step's result is about. */
  readonly target: ServerSession;
  /** A step of an earlier stage that must have succeeded for this one to run (the same backup's gathering step). */
  readonly after?: Step;
}

/** The steps run at once; a stage starts when the one before has ended. */
export type Stage = readonly Step[];

/** Both listings a step plans from, or verifies against. */
export interface Sides {
  readonly source: Snapshot;
  readonly target: Snapshot;
}

/** Refusals a strategy's guards found: `--force` overrides the first kind only. */
export interface GuardFindings {
  readonly forcible: readonly GuardRefusal[];
  readonly always: readonly GuardRefusal[];
}

/** What a step does that another kind of step does differently; runStep does the rest. */
export interface Strategy {
  /** Recorded with the base: the kind of run that made it. */
  readonly mode: SyncMode;
  /**
   * `target`: the step lists, writes to and lists again its target only, and
   * plans from the source's listing that its stage reads once for every step;
   * the target wakes and logs in on its own, and a failure there stops only
   * this step. `both`: the step lists, writes to and lists again both servers,
   * one after the other (two large listings at once would double the peak);
   * they wake and log in together, and a failure there stops the run.
   */
  readonly sides: 'target' | 'both';
  /** The servers the step writes to (and lists again to verify). */
  readonly writes: 'source' | 'target' | 'both';
  /** Whether a successful step records the pair's next base (the last step of a backup does). */
  readonly recordsBase: boolean;
  /** How the step's log lines name it. */
  label(step: Step): string;
  /** Before anything is read: the base the step merges against, or a RunStop when it cannot go on without one. */
  prepare(step: Step, base: PairBaseAccess): BaseUsed | null;
  /** The plan; may log what only this strategy knows about (two-way conflicts). */
  plan(context: RunContext, step: Step, sides: Sides, base: PairBaseAccess): Plan;
  /** The plan's size for the log line, e.g. `3 operations`. */
  planSummary(plan: Plan): string;
  guards(context: RunContext, step: Step, sides: Sides, plan: Plan, base: PairBaseAccess): GuardFindings;
  /** Verification: what is still needed once the servers written to have been listed again. */
  remaining(context: RunContext, step: Step, after: Sides, plan: Plan, base: PairBaseAccess): readonly Operation[];
  /** The verification's log line after the label, e.g. `verification: still needs 2 operations`. */
  remainingSummary(count: number): string;
  /** The base whose entries are kept for keys this run could not reconcile. */
  previousBase(base: PairBaseAccess): PairBase | null;
}

/** A server's listing, as the report's Read section counts it. */
export interface ServerListing {
  readonly server: ServerName;
  readonly users: number;
  readonly licenses: number;
  readonly rejected: readonly RejectedRecord[];
}

export function listingOf(server: ServerName, snapshot: Snapshot): ServerListing {
  return { server, users: snapshot.users.size, licenses: snapshot.licenses.size, rejected: snapshot.rejected };
}

export function countsOf(snapshot: Snapshot): { readonly users: number; readonly licenses: number } {
  return { users: snapshot.users.size, licenses: snapshot.licenses.size };
}
