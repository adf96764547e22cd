// The real services of `sync-dbs serve`: the one place that puts together the
// servers (the HTTP client the CLI opens them with), the watchdog, the recorded run, the state database, the
// webhook, the dashboard and the cron timer (serve-services.ts says what each is).
import os from 'node:os';
import schedule from 'node-schedule';
import type { OpenServer } from '../api/license-server.js';
import type { SyncConfig } from '../config/sync-config.js';
import { startDashboard } from '../dashboard/dashboard-server.js';
import type { LogSink } from '../log/log-sink.js';
import type { SecretRedactor } from '../log/secret-redactor.js';
import { Notifier } from '../notify/notifier.js';
import { postTransition } from '../notify/transition-notice.js';
import type { RunResult } from '../outcome/run-result.js';
import type { ProgressListener } from '../progress/progress-listener.js';
import { notifySettingsOf } from '../run/notify-settings-of.js';
import { runRecordedSync } from '../run/recorded-run.js';
import { StateStore } from '../state/state-store.js';
import { HealthWatch } from '../watch/health-watch.js';
import { readListings } from './read-listings.js';
import type { ServeServices, StateView } from './serve-services.js';

export interface ServeWiringInput {
  readonly config: SyncConfig;
  readonly log: LogSink;
  readonly redactor: SecretRedactor;
  /** Opens a session on a configured server (the CLI passes the HTTP client). */
  readonly open: OpenServer;
  readonly progress?: ProgressListener;
  /** Shows a finished run's report (stdout). */
  readonly printReport: (result: RunResult) => void;
}

export function serveServices(input: ServeWiringInput): ServeServices {
  const { config, log, redactor, open } = input;
  const notify = notifySettingsOf(config);
  for (const url of new Notifier(notify, log).secretUrls()) redactor.add(url);
  const accounts = [config.primary, ...config.backups];
  const hostname = os.hostname();
  return {
    createWatch(hooks) {
      const probes = accounts.map((account) => ({ account, client: open(account) }));
      const watch = new HealthWatch({
        servers: probes.map(({ account, client }, index) => ({
          name: account.name,
          role: index === 0 ? 'primary' : 'backup',
          url: account.url,
          probe: (timeoutMs: number) => client.probeHealth(timeoutMs),
        })),
        intervalMs: config.serve.healthIntervalMs,
        timeoutMs: config.serve.healthTimeoutMs,
        downAfter: config.serve.downAfter,
        upAfter: config.serve.upAfter,
        onCheck: (server) => hooks.onCheck(server),
        onTransition: (transition) => hooks.onTransition(transition),
        log,
      });
      return {
        start: () => watch.start(),
        snapshot: () => watch.snapshot(),
        stop: async () => {
          try {
            await watch.stop();
          } finally {
            for (const { client } of probes) client.close();
          }
        },
      };
    },
    async runSync(request, signal) {
      // One backup's run is what `--backup NAME` makes of the configuration.
      const only = config.backups.filter((backup) => backup.name === request.backup);
      const runConfig = request.backup === null || only.length === 0 ? config : { ...config, backups: only };
      const outcome = await runRecordedSync({
        config: runConfig,
        log,
        ...(input.progress ? { progress: input.progress } : {}),
        redactor,
        open,
        force: false,
        signal,
      });
      if (outcome.kind === 'locked') return { kind: 'locked' };
      input.printReport(outcome.result);
      return { kind: 'ran', result: outcome.result };
    },
    readListings: (names, signal) => readListings(open, accounts.filter((account) => names.includes(account.name)), signal),
    readState: (limit) => readStateView(config, limit),
    async notifyTransition(transition) {
      const url = accounts.find((account) => account.name === transition.server)?.url ?? '';
      await postTransition(notify, { ...transition, at: new Date(transition.at), url, hostname }, log);
    },
    startDashboard: (source) =>
      startDashboard({ host: config.serve.host, port: config.serve.port, token: config.serve.dashboardToken, source, log }),
    schedule(cron, onTick) {
      const job = schedule.scheduleJob(cron, onTick);
      if (job === null) throw new Error(`node-schedule did not accept the schedule ${JSON.stringify(cron)}`);
      return {
        next: () => {
          // node-schedule hands back its own date object (a CronDate), which is no Date to the formatters.
          const next = job.nextInvocation() as { getTime(): number } | null;
          return next === null ? null : new Date(next.getTime());
        },
        cancel: () => job.cancel(),
      };
    },
  };
}

/** The runs, the last stored report and the unfinished operations, read from the state database (nothing when it does not exist yet). */
function readStateView(config: SyncConfig, limit: number): StateView {
  const store = StateStore.openIfExists(config.stateDir);
  if (store === null) return { runs: [], lastReport: null, unfinished: null };
  try {
    const report = store.lastRunReport();
    const status = store.status(new Date(), config.expectEveryMs);
    const unfinishedRun = status.interruptedRun ?? status.lastRun;
    return {
      runs: store.history(limit),
      lastReport: report === null || report.text === null ? null : { runId: report.runId, text: report.text },
      unfinished: unfinishedRun === null ? null : { runId: unfinishedRun.id, entries: status.unfinished },
    };
  } finally {
    store.close();
  }
}
