import { t } from '../i18n/i18n.js';
import type { LogSink } from '../log/log-sink.js';

/** Conventional exit codes of a process killed by these signals. */
const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `work` with SIGINT/SIGTERM turned into an abort: the first signal asks
 * the run to finish what is in flight and stop; a second one exits at once
 * (the state database's journal lets the next run report what was left).
 */
export async function withStopSignals<T>(log: LogSink, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) {
      log.error(t('cli:signal.again', { signal: name }));
      process.exit(SIGNAL_EXIT[name]);
    }
    log.warn(t('cli:signal.stopping', { signal: name }));
    controller.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
