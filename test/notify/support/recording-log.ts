import type { LogSink } from '../../../src/log/log-sink.js';

export interface RecordingLog extends LogSink {
  /** Every line, prefixed with its level: `warn Could not send…`. */
  readonly lines: string[];
  readonly warnings: () => string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  return {
    lines,
    warnings: () => lines.filter((line) => line.startsWith('warn ')),
    debug: (message) => lines.push(`debug ${message}`),
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}
