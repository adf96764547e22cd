import type { Snapshot } from '../snapshot/records.js';
import type { RunContext } from './run-context.js';
import { RunStop } from './run-stop.js';
import type { Outcome } from '../outcome/run-result.js';
import { runStep, stepNotStarted, stepStopped, type StepResult } from './run-step.js';
import { connect, readListing } from './server-steps.js';
import type { ServerSession } from './servers.js';
import { listingOf, type ServerListing, type Stage, type Step } from './step.js';

export interface StagesResult {
  /** One per step that ran, in stage order, then step order. */
  readonly steps: readonly StepResult[];
  /** What the stages read once for their steps (the source's listing). */
  readonly listed: readonly ServerListing[];
  /** What stopped the run before the steps of a stage went their own ways; the steps of that stage and the next ones did not run. */
  readonly stop: RunStop | null;
}

/** Runs the stages one after the other, the steps of each at once. */
export async function runStages(context: RunContext, stages: readonly Stage[]): Promise<StagesResult> {
  const connected = new Set<string>();
  const results = new Map<Step, StepResult>();
  let steps: readonly StepResult[] = [];
  let listed: readonly ServerListing[] = [];
  for (const stage of stages) {
    try {
      const ran = await runStage(context, stage, connected, results);
      steps = [...steps, ...ran.steps];
      listed = [...listed, ...ran.listed];
    } catch (error) {
      if (!(error instanceof RunStop)) throw error;
      return { steps, listed, stop: error };
    }
  }
  return { steps, listed, stop: null };
}

/**
 * Every server of the stage wakes and logs in at once. Those its steps need
 * together (the source, and the targets of steps that read both sides) stop
 * the run when one fails; a target that goes alone stops only its step. The
 * source is then read once for the steps that plan from a shared listing.
 */
async function runStage(
  context: RunContext,
  all: Stage,
  connected: Set<string>,
  results: Map<Step, StepResult>,
): Promise<{ steps: StepResult[]; listed: ServerListing[] }> {
  const { config, log, signal } = context;
  const held = new Map(all.flatMap((step) => {
    const outcome = heldBy(context, step, results);
    return outcome === null ? [] : [[step, outcome] as const];
  }));
  const stage = all.filter((step) => !held.has(step));
  const fresh = (session: ServerSession) => !connected.has(session.account.name);
  const alone = unique(stage.filter((step) => step.strategy.sides === 'target').map((step) => step.target)).filter(fresh);
  const together = unique([...stage.map((step) => step.source), ...stage.filter((step) => step.strategy.sides === 'both').map((step) => step.target)]).filter(
    (session) => fresh(session) && !alone.includes(session),
  );
  const aloneReady = new Map(
    alone.map((session) => [
      session.account.name,
      connect([session], config.wakeTimeoutMs, context, signal).then(
        () => {
          connected.add(session.account.name);
          return null;
        },
        (error: unknown) => stopOf(error),
      ),
    ]),
  );
  try {
    if (together.length > 0) await connect(together, config.wakeTimeoutMs, context, signal);
  } catch (error) {
    await Promise.all(aloneReady.values());
    throw error;
  }
  for (const session of together) connected.add(session.account.name);

  const shared = new Map<string, Snapshot>();
  // The Read section reports each server's first listing: one kept from an earlier stage was reported there.
  const read: ServerListing[] = [];
  for (const source of unique(stage.filter((step) => step.strategy.sides === 'target').map((step) => step.source))) {
    const name = source.account.name;
    let snapshot = context.listings.of(name);
    if (snapshot === undefined) {
      snapshot = await readListing(source.server, log, signal);
      context.listings.keep(name, snapshot);
      read.push(listingOf(name, snapshot));
    }
    shared.set(name, snapshot);
  }
  const stageContext: RunContext = { ...context, deletedEarlier: deletedBy(results) };
  const steps = await Promise.all(
    all.map(async (step: Step) => {
      const outcome = held.get(step);
      const result: StepResult =
        outcome !== undefined
          ? { target: stepStopped(step, outcome), listed: [] }
          : await (aloneReady.get(step.target.account.name) ?? Promise.resolve(null)).then((stop) =>
              stop !== null
                ? stepNotStarted(step, stop, log)
                : runStep(stageContext, step, step.strategy.sides === 'target' ? (shared.get(step.source.account.name) ?? null) : null),
            );
      results.set(step, result);
      return result;
    }),
  );
  return { steps, listed: read };
}

/**
 * The outcome that keeps a step from running: its earlier step's, when that
 * one did not end well (a backup whose work could not be gathered into the
 * primary is not written over). `plan` writes nothing, so pending changes there go on.
 */
function heldBy(context: RunContext, step: Step, results: ReadonlyMap<Step, StepResult>): Outcome | null {
  if (step.after === undefined) return null;
  const outcome = results.get(step.after)?.target.outcome ?? 'interrupted';
  if (outcome === 'in-sync' || (context.command === 'plan' && outcome === 'changes-pending')) return null;
  return outcome;
}

/** Licenses the steps that ran deleted (or may have: no answer came back), by server. */
function deletedBy(results: ReadonlyMap<Step, StepResult>): Map<string, number> {
  const deleted = new Map<string, number>();
  for (const { target } of results.values()) {
    for (const { operation, status } of target.applied) {
      if (operation.kind !== 'delete-license' || (status !== 'done' && status !== 'unknown')) continue;
      deleted.set(operation.server, (deleted.get(operation.server) ?? 0) + 1);
    }
  }
  return deleted;
}

function stopOf(error: unknown): RunStop {
  if (error instanceof RunStop) return error;
  throw error;
}

function unique(sessions: readonly ServerSession[]): ServerSession[] {
  return [...new Set(sessions)];
}
