import schedule from 'node-schedule';
import { t } from '../i18n/i18n.js';
import type { LogSink } from '../log/log-sink.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';

export interface EveryLoopInput {
  /** A cron expression, already validated. */
  readonly cron: string;
  /** One run; resolves to its exit code. It must itself honour `signal`. */
  readonly runOnce: () => Promise<number>;
  /** Run once right away, then on the schedule (`--run-at-start`, the default). */
  readonly runAtStart: boolean;
  readonly log: LogSink;
  /** Aborted on SIGINT/SIGTERM: no new run starts, the one in flight winds down. */
  readonly signal: AbortSignal;
}

/**
 * The long-running mode (`sync --every CRON`) for hosts without a scheduler.
 * Runs never overlap: a tick that comes while a run is still going (the first
 * run at start included) is skipped and logged. Resolves once stopped: 0 when
 * idle, 6 when a run was interrupted.
 */
export async function runEvery(input: EveryLoopInput): Promise<number> {
  const { log, signal } = input;
  let current: Promise<number> | null = null;
  let interrupted = false;
  const start = () => {
    current = input.runOnce().then(
      (code) => code,
      (error: unknown) => {
        log.error(t('cli:every.failed', { reason: error instanceof Error ? error.message : t('cli:error.unknown') }));
        return EXIT_CODES.failed;
      },
    );
    void current.then((code) => {
      current = null;
      if (code === EXIT_CODES.interrupted) interrupted = true;
      logNext();
    });
  };
  const job = schedule.scheduleJob(input.cron, () => {
    if (signal.aborted) return;
    if (current !== null) {
      log.warn(t('cli:every.skipped'));
      return;
    }
    start();
  });
  if (job === null) throw new Error(`node-schedule did not accept the schedule ${JSON.stringify(input.cron)}`);
  const logNext = () => {
    if (signal.aborted) return;
    const next = job.nextInvocation();
    log.info(next === null ? t('cli:every.never', { schedule: input.cron }) : t('cli:every.next', { at: next.toISOString(), schedule: input.cron }));
  };
  logNext();
  if (input.runAtStart && !signal.aborted) start();

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  job.cancel();
  const running = current as Promise<number> | null;
  if (running !== null) {
    log.info(t('cli:every.waiting'));
    if ((await running) === EXIT_CODES.interrupted) interrupted = true;
  }
  log.info(t('cli:every.stopped'));
  return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.inSync;
}
