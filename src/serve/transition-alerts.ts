import type { LogSink } from '../log/log-sink.js';
import { t } from '../i18n/i18n.js';
import type { Transition } from '../watch/health-tracker.js';

/**
 * Posts each down/back transition once: a transition of the same kind again
 * for a server (no change in between) is not posted twice, nor is a first
 * settling as up (from `unknown`: nothing came back).
 */
export class TransitionAlerts {
  private readonly lastPosted = new Map<string, Transition['kind']>();

  constructor(
    private readonly post: (transition: Transition) => Promise<void>,
    private readonly log: LogSink,
  ) {}

  /** Resolves once posted (or not); never rejects. */
  async heard(transition: Transition): Promise<void> {
    if (this.lastPosted.get(transition.server) === transition.kind) return;
    this.lastPosted.set(transition.server, transition.kind);
    try {
      await this.post(transition);
    } catch (error) {
      this.log.warn(t('serve:alert.failed', { server: transition.server, reason: error instanceof Error ? error.message : String(error) }));
    }
  }
}
