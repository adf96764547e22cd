/**
 * Thrown by loadSyncConfig with every problem found, so that one run shows
 * the user everything to fix. Problems never contain a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(['invalid configuration:', ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.problems = Object.freeze([...problems]);
  }
}
