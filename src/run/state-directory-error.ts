/** The state directory or its database cannot be used; the run did nothing. */
export class StateDirectoryError extends Error {
  override name = 'StateDirectoryError';

  constructor(stateDir: string, cause: unknown) {
    super(`cannot use the state directory ${stateDir}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
