/** The logging the API layer needs; winston's logger fits, tests can pass their own. */
export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: LogSink = { debug() {}, info() {}, warn() {}, error() {} };
