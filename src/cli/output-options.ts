import { t } from '../i18n/i18n.js';
import { LOG_LEVELS, type LogLevel } from '../log/logger.js';

/** Options about what the run prints, read from flags only (they are about this invocation). */
export interface OutputOptions {
  readonly json: boolean;
  readonly logLevel: LogLevel;
  readonly logFile: string | null;
  readonly quiet: boolean;
  /** Examples under each kind of drift in the text report. */
  readonly verbose: boolean;
  /** False with --no-progress. */
  readonly progress: boolean;
}

export const OUTPUT_OPTIONS = {
  json: { type: 'boolean', description: 'print the report as one JSON document (schema in the README)' },
  'log-level': { type: 'string', choices: LOG_LEVELS, description: 'detail of the log lines on stderr', defaultDescription: 'info' },
  'log-file': { type: 'string', description: 'also append the log lines to this file' },
  quiet: { type: 'boolean', description: 'log only errors on stderr (the report still goes to stdout)' },
  verbose: { type: 'boolean', description: 'show examples under each kind of drift in the report (--json always has them)' },
  'no-progress': {
    type: 'boolean',
    // Looked up when yargs reads it, once the language is chosen.
    get description() {
      return t('progress:option.noProgress');
    },
  },
  // What --no-progress sets (yargs negates a boolean): declared for the parser, hidden from the help.
  progress: { type: 'boolean', hidden: true },
} as const;

export function outputOptionsOf(argv: Record<string, unknown>): OutputOptions {
  return {
    json: argv.json === true,
    logLevel: (argv['log-level'] as LogLevel | undefined) ?? 'info',
    logFile: typeof argv['log-file'] === 'string' ? argv['log-file'] : null,
    quiet: argv.quiet === true,
    verbose: argv.verbose === true,
    progress: argv.progress !== false,
  };
}
