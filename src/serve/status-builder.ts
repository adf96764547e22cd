import {
  STATUS_FORMAT,
  type DashboardStatus,
  type DecisionAgreement,
  type RunStatus,
  type RunTrigger,
  type ServerStatus,
} from '../dashboard/dashboard-status.js';
import type { JournalEntry } from '../state/run-records.js';
import type { TrackedServer } from '../watch/health-tracker.js';
import type { StateView } from './serve-services.js';

/** The runs the status lists at most. */
export const STATUS_RUNS = 200;

/** What serve learnt of one server from its runs and listings. */
export interface ServerKnowledge {
  readonly lastSync: ServerStatus['lastSync'];
  readonly records: ServerStatus['records'];
  readonly agreement: DecisionAgreement | null;
}

export interface StatusInput {
  readonly now: Date;
  readonly language: string;
  readonly watched: readonly TrackedServer[];
  readonly knowledge: ReadonlyMap<string, ServerKnowledge>;
  readonly running: { readonly trigger: RunTrigger; readonly startedAt: Date } | null;
  readonly nextScheduledAt: Date | null;
  readonly settings: DashboardStatus['settings'];
  readonly state: StateView;
  /** The triggers of the runs this process started, by run id. */
  readonly triggers: ReadonlyMap<number, RunTrigger>;
  /** This process's last recorded run, its report rendered in `language`. */
  readonly ownReport: { readonly runId: number; readonly startedAt: string; readonly text: string } | null;
  /** Words one unfinished operation. */
  readonly unfinishedLine: (entry: JournalEntry) => string;
}

/** The status the dashboard shows and GET /api/status returns. Pure. */
export function buildDashboardStatus(input: StatusInput): DashboardStatus {
  const iso = (date: Date | null) => (date === null ? null : date.toISOString());
  const primary = input.watched.find((server) => server.role === 'primary');
  const runs = input.state.runs.slice(0, STATUS_RUNS).map((run): RunStatus => ({
    id: run.id,
    command: run.command,
    startedAt: run.startedAt,
    finishedAt: run.endedAt,
    exitCode: run.exitCode,
    outcome: run.outcome,
    trigger: input.triggers.get(run.id) ?? null,
  }));
  return {
    format: STATUS_FORMAT,
    generatedAt: input.now.toISOString(),
    language: input.language,
    mode: primary?.state === 'down' || primary?.state === 'asleep' ? 'failover' : 'primary',
    servers: input.watched.map((server): ServerStatus => {
      const known = input.knowledge.get(server.name);
      return {
        name: server.name,
        role: server.role,
        url: server.url,
        state: server.state,
        consecutiveFailures: server.consecutiveFailures,
        consecutiveSuccesses: server.consecutiveSuccesses,
        latencyMs: server.latencyMs,
        lastCheckAt: server.lastCheckAt,
        lastChangeAt: server.lastChangeAt,
        lastFailure: server.lastFailure === null ? null : { kind: server.lastFailure.kind, detail: server.lastFailure.detail },
        samples: server.samples,
        lastSync: known?.lastSync ?? null,
        records: known?.records ?? null,
        agreement: server.role === 'backup' ? (known?.agreement ?? null) : null,
      };
    }),
    running: input.running === null ? null : { trigger: input.running.trigger, startedAt: input.running.startedAt.toISOString() },
    nextScheduledAt: iso(input.nextScheduledAt),
    settings: input.settings,
    runs,
    lastReport: lastReportOf(input),
    unfinished:
      input.state.unfinished === null || input.state.unfinished.entries.length === 0
        ? null
        : { runId: input.state.unfinished.runId, operations: input.state.unfinished.entries.map(input.unfinishedLine) },
  };
}

/** This process's last report in the current language, unless a later run (a one-shot one) stored its own. */
function lastReportOf(input: StatusInput): DashboardStatus['lastReport'] {
  const stored = input.state.lastReport;
  const own = input.ownReport;
  if (own !== null && (stored === null || own.runId >= stored.runId)) return own;
  if (stored === null) return null;
  const run = input.state.runs.find((candidate) => candidate.id === stored.runId);
  return { runId: stored.runId, startedAt: run?.startedAt ?? input.now.toISOString(), text: stored.text };
}
