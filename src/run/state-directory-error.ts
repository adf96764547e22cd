import { t } from '../i18n/i18n.js';

/** The state directory or its database cannot be used; the run did nothing. */
export class StateDirectoryError extends Error {
  override name = 'StateDirectoryError';

  constructor(stateDir: string, cause: unknown) {
    super(t('run:stateDir.unusable', { stateDir, reason: cause instanceof Error ? cause.message : String(cause) }));
  }
}
