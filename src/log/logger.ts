import { localIsoTime } from '../i18n/local-time.js';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { LogSink } from './log-sink.js';
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
  /** A daily-rotated JSON log (one object per line) in this folder, kept `retentionDays` days. */
  readonly rotated?: RotatedLogOptions | null;
  readonly redactor: SecretRedactor;
}

/** `sync-dbs-2026-11-22.log`: one file per UTC day. */
export const ROTATED_LOG_PREFIX = 'sync-dbs-';

export interface RotatedLogOptions {
  readonly dir: string;
  readonly retentionDays: number;
}

export interface RunLogger extends LogSink {
  /** From now on, also write a daily-rotated JSON log (once the state directory is known). */
  addRotatedFile(options: RotatedLogOptions): void;
  /** Resolves once every line has been handed to its destination. */
  close(): Promise<void>;
}

const PRIVATE_FILE = 0o600;
const PRIVATE_FOLDER = 0o700;

/**
 * Creates the log file 0600 if it is missing and tightens it if it exists
 * (the folder is the operator's choice). Best effort: winston reports a file
 * it cannot open.
 */
function privateFile(file: string): void {
  try {
    closeSync(openSync(file, 'a', PRIVATE_FILE));
    chmodSync(file, PRIVATE_FILE);
  } catch {
    // Missing folder or no permission: the transport will say so.
  }
}

/** The daily logs' folder 0700 and every file in it 0600, loose modes of earlier versions included. */
function privateFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER });
    chmodSync(dir, PRIVATE_FOLDER);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isFile()) chmodSync(path.join(dir, entry.name), PRIVATE_FILE);
  } catch {
    // The transport reports a folder it cannot write to.
  }
}

/** Human lines on stderr (stdout is kept for the report), secrets redacted. */
export function createLogger(options: LoggerOptions): RunLogger {
  const redact = winston.format((info) => {
    info.message = options.redactor.redact(String(info.message));
    return info;
  });
  const line = winston.format.printf((info) => `${String(info.timestamp)} ${info.level.padEnd(5)} ${String(info.message)}`);
  const format = winston.format.combine(redact(), winston.format.timestamp({ format: () => localIsoTime(new Date()) }), line);
  const transports: winston.transport[] = [
    new winston.transports.Stream({ stream: options.stream, level: options.quiet ? 'error' : options.level, format }),
  ];
  if (options.file !== null) {
    privateFile(options.file);
    transports.push(new winston.transports.File({ filename: options.file, level: options.level, format, options: { flags: 'a', mode: PRIVATE_FILE } }));
  }
  const logger = winston.createLogger({ levels: { error: 0, warn: 1, info: 2, debug: 3 }, level: options.level, transports });
  let rotated: { transport: DailyRotateFile; closed: Promise<void>; dir: string } | null = null;
  const addRotatedFile = (rotatedOptions: RotatedLogOptions) => {
    if (rotated !== null) return;
    privateFolder(rotatedOptions.dir);
    const transport = new DailyRotateFile({
      dirname: rotatedOptions.dir,
      filename: `${ROTATED_LOG_PREFIX}%DATE%.log`,
      datePattern: 'YYYY-MM-DD',
      utc: true,
      maxFiles: `${rotatedOptions.retentionDays}d`,
      auditFile: path.join(rotatedOptions.dir, '.log-audit.json'),
      options: { flags: 'a', mode: PRIVATE_FILE },
      level: options.level,
      format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    });
    // The rotation library writes its audit file with default modes: tighten whatever it created.
    transport.on('new', () => privateFolder(rotatedOptions.dir));
    // Listen from the start: winston may close the transport itself when the logger ends.
    const closed = new Promise<void>((resolve) => transport.once('finish', () => resolve()));
    rotated = { transport, closed, dir: rotatedOptions.dir };
    logger.add(transport);
  };
  if (options.rotated) addRotatedFile(options.rotated);

  return {
    addRotatedFile,
    debug: (message) => logger.debug(message),
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
    close: async () => {
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      });
      const open = rotated as { transport: DailyRotateFile; closed: Promise<void>; dir: string } | null;
      if (open !== null) {
        open.transport.close?.();
        await open.closed;
        privateFolder(open.dir);
      }
    },
  };
}
