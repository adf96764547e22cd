import type { Writable } from 'node:stream';
import winston from 'winston';
import type { LogSink } from '../api/log-sink.js';
import type { SecretRedactor } from './secret-redactor.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Only errors reach the stream; a log file still gets `level`. */
  readonly quiet: boolean;
  readonly stream: Writable;
  /** Appends the same lines to this file (for scheduled runs whose stderr nobody sees). */
  readonly file: string | null;
  readonly redactor: SecretRedactor;
}

export interface RunLogger extends LogSink {
  /** Resolves once every line has been handed to its destination. */
  close(): Promise<void>;
}

/** Human lines on stderr (stdout is kept for the report), secrets redacted. */
export function createLogger(options: LoggerOptions): RunLogger {
  const redact = winston.format((info) => {
    info.message = options.redactor.redact(String(info.message));
    return info;
  });
  const line = winston.format.printf((info) => `${String(info.timestamp)} ${info.level.padEnd(5)} ${String(info.message)}`);
  const format = winston.format.combine(redact(), winston.format.timestamp(), line);
  const transports: winston.transport[] = [
    new winston.transports.Stream({ stream: options.stream, level: options.quiet ? 'error' : options.level, format }),
  ];
  if (options.file !== null) transports.push(new winston.transports.File({ filename: options.file, level: options.level, format }));
  const logger = winston.createLogger({ levels: { error: 0, warn: 1, info: 2, debug: 3 }, level: options.level, transports });

  return {
    debug: (message) => logger.debug(message),
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
    close: () =>
      new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      }),
  };
}
