/**
 * Thrown by loadSyncConfig with every problem found, so that one run shows
 * the user everything to fix. Problems never contain a secret.
 */
import { t } from '../i18n/i18n.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super([t('config:invalid'), ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.problems = Object.freeze([...problems]);
  }
}
