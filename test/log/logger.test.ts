import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions, type RunLogger } from '../../src/log/logger.js';
import { SecretRedactor } from '../../src/log/secret-redactor.js';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-log-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Captured {
  readonly logger: RunLogger;
  readonly redactor: SecretRedactor;
  readonly file: string;
  /** What reached the stream, once the logger is closed. */
  streamText(): string;
}

function capture(options: Partial<Omit<LoggerOptions, 'stream' | 'redactor'>> = {}): Captured {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const redactor = new SecretRedactor();
  const file = path.join(dir, 'sync.log');
  const logger = createLogger({ level: 'info', quiet: false, file, ...options, stream, redactor });
  return { logger, redactor, file, streamText: () => text };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** Level and message of each line (the timestamp dropped). */
const messages = (text: string) => lines(text).map((line) => line.replace(/^\S+ /, ''));

const emitAll = (logger: RunLogger) => {
  logger.debug('debug line');
  logger.info('info line');
  logger.warn('warn line');
  logger.error('error line');
};

describe('createLogger', () => {
  it('writes timestamped lines with the level to the stream and to the file', async () => {
    const { logger, file, streamText } = capture();

    logger.info('hello');
    logger.warn('careful');
    await logger.close();

    for (const text of [streamText(), await readFile(file, 'utf8')]) {
      const written = lines(text);
      expect(written).toHaveLength(2);
      expect(written[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2}) info {2}hello$/);
      expect(written[1]).toMatch(/^\S+(Z|[+-]\d{2}:\d{2}) warn {2}careful$/);
    }
  });

  it('redacts registered secrets, including ones added after the logger was made, in the stream and the file', async () => {
    const { logger, redactor, file, streamText } = capture({ level: 'debug' });
    redactor.add('Pw-Zq7Xk2Vr9');

    logger.info('logging in with Pw-Zq7Xk2Vr9');
    redactor.add('tok.Q1w2E3r4');
    logger.debug('token tok.Q1w2E3r4 received');
    logger.error('failed: Pw-Zq7Xk2Vr9 / tok.Q1w2E3r4');
    await logger.close();

    for (const text of [streamText(), await readFile(file, 'utf8')]) {
      expect(text).not.toContain('Pw-Zq7Xk2Vr9');
      expect(text).not.toContain('tok.Q1w2E3r4');
      expect(messages(text)).toEqual(['info  logging in with [redacted]', 'debug token [redacted] received', 'error failed: [redacted] / [redacted]']);
    }
  });

  it('level info drops debug; level warn drops info too; level debug keeps everything', async () => {
    const expected: Record<string, string[]> = {
      error: ['error error line'],
      warn: ['warn  warn line', 'error error line'],
      info: ['info  info line', 'warn  warn line', 'error error line'],
      debug: ['debug debug line', 'info  info line', 'warn  warn line', 'error error line'],
    };
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      const { logger, streamText } = capture({ level, file: null });
      emitAll(logger);
      await logger.close();
      expect(messages(streamText()), `level ${level}`).toEqual(expected[level]);
    }
  });

  it('quiet mode keeps only errors on the stream, while the file still gets the chosen level', async () => {
    const { logger, file, streamText } = capture({ level: 'debug', quiet: true });

    emitAll(logger);
    await logger.close();

    expect(messages(streamText())).toEqual(['error error line']);
    expect(messages(await readFile(file, 'utf8'))).toEqual(['debug debug line', 'info  info line', 'warn  warn line', 'error error line']);
  });

  it('without a file writes only to the stream', async () => {
    const { logger, file, streamText } = capture({ file: null });

    logger.info('only here');
    await logger.close();

    expect(messages(streamText())).toEqual(['info  only here']);
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('appends to an existing log file', async () => {
    const first = capture();
    first.logger.info('first run');
    await first.logger.close();
    const second = capture();
    second.logger.info('second run');
    await second.logger.close();

    expect(messages(await readFile(second.file, 'utf8'))).toEqual(['info  first run', 'info  second run']);
  });

  it('has written every line to the file once close() resolves', async () => {
    const { logger, file } = capture();

    for (let n = 0; n < 500; n++) logger.info(`line ${n} ${'x'.repeat(100)}`);
    await logger.close();

    expect(lines(await readFile(file, 'utf8'))).toHaveLength(500);
  });

  it('adds a daily-rotated JSON log once asked, named by the UTC day, redacted, complete when close() resolves', async () => {
    const { logger, redactor } = capture({ file: null });
    const logs = path.join(dir, 'logs');
    logger.info('before the state directory is known');
    logger.addRotatedFile({ dir: logs, retentionDays: 3 });
    logger.addRotatedFile({ dir: logs, retentionDays: 3 });
    redactor.add('T0k3n-S3cr3t');
    for (let index = 0; index < 500; index++) logger.info(`line ${index} with T0k3n-S3cr3t`);
    logger.debug('below the level');
    await logger.close();

    const files = (await readdir(logs)).filter((name) => !name.startsWith('.'));
    expect(files).toEqual([`sync-dbs-${new Date().toISOString().slice(0, 10)}.log`]);
    const entries = lines(await readFile(path.join(logs, files[0] as string), 'utf8')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(500);
    expect(entries[0]).toEqual({ level: 'info', message: 'line 0 with [redacted]', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string });
    expect(entries.at(-1)?.message).toBe('line 499 with [redacted]');
  });

  it('creates the log file 0600 and the daily logs folder 0700 with 0600 files, and tightens loose ones left by earlier versions', async () => {
    const logs = path.join(dir, 'logs');
    const loose = path.join(dir, 'loose.log');
    await mkdir(logs, { mode: 0o755 });
    await writeFile(path.join(logs, 'sync-dbs-2020-01-01.log'), '{}\n', { mode: 0o644 });
    await writeFile(loose, 'old line\n', { mode: 0o644 });
    await chmod(logs, 0o755);
    await chmod(loose, 0o644);

    for (const file of [path.join(dir, 'new.log'), loose]) {
      const { logger } = capture({ file });
      logger.addRotatedFile({ dir: logs, retentionDays: 3000 });
      logger.info('a line');
      await logger.close();
      expect((await stat(file)).mode & 0o777, file).toBe(0o600);
    }

    expect((await stat(logs)).mode & 0o777).toBe(0o700);
    const files = await readdir(logs);
    expect(files).toEqual(expect.arrayContaining(['.log-audit.json', 'sync-dbs-2020-01-01.log', `sync-dbs-${new Date().toISOString().slice(0, 10)}.log`]));
    for (const name of files) expect((await stat(path.join(logs, name))).mode & 0o777, name).toBe(0o600);
  });

  it('creates a missing daily logs folder 0700 whatever the umask', async () => {
    const logs = path.join(dir, 'state', 'logs');
    const previous = process.umask(0o022);
    try {
      const { logger } = capture({ file: null });
      logger.addRotatedFile({ dir: logs, retentionDays: 3 });
      logger.info('a line');
      await logger.close();
    } finally {
      process.umask(previous);
    }
    expect((await stat(logs)).mode & 0o777).toBe(0o700);
    for (const name of await readdir(logs)) expect((await stat(path.join(logs, name))).mode & 0o777, name).toBe(0o600);
  });
});
