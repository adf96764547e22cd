import { LOG_LEVELS, type LogLevel } from '../log/logger.js';

/** Options about what the run prints, read from flags only (they are about this invocation). */
export interface OutputOptions {
  readonly json: boolean;
  readonly logLevel: LogLevel;
  readonly logFile: string | null;
  readonly quiet: boolean;
}

export const OUTPUT_OPTIONS = {
  json: { type: 'boolean', description: 'print the report as one JSON document (schema in the README)' },
  'log-level': { type: 'string', choices: LOG_LEVELS, description: 'detail of the log lines on stderr', defaultDescription: 'info' },
  'log-file': { type: 'string', description: 'also append the log lines to this file' },
  quiet: { type: 'boolean', description: 'log only errors on stderr (the report still goes to stdout)' },
} as const;

export function outputOptionsOf(argv: Record<string, unknown>): OutputOptions {
  return {
    json: argv.json === true,
    logLevel: (argv['log-level'] as LogLevel | undefined) ?? 'info',
    logFile: typeof argv['log-file'] === 'string' ? argv['log-file'] : null,
    quiet: argv.quiet === true,
  };
}
