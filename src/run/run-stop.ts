import { isMalformedAnswer } from '../api/license-server.js';
import type { GuardRefusal } from '../plan/guards.js';
import { toFailure } from './failure.js';
import type { Failure, Outcome, ServerName } from '../outcome/run-result.js';

/** Thrown inside a run (or one target of it) to stop it with an outcome; what was read so far stays in the result. */
export class RunStop extends Error {
  constructor(
    readonly outcome: Outcome,
    readonly failures: readonly Failure[] = [],
    readonly guards: readonly GuardRefusal[] = [],
  ) {
    super(outcome);
  }
}

export function stopIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new RunStop('interrupted');
}

/**
 * The stop for errors met while waking, logging into or reading servers: a
 * server that cannot be reached or logged into is "unreachable"; a listing that
 * is not what the contract promises is refused (writing on its strength could
 * make a server worse).
 */
export function stopFor(errors: readonly { readonly error: unknown; readonly server: ServerName }[]): RunStop {
  const failures = errors.map(({ error, server }) => toFailure(error, { server }));
  const malformed = errors.filter(({ error }) => isMalformedAnswer(error));
  if (malformed.length === errors.length) {
    return new RunStop(
      'refused',
      failures,
      malformed.map(({ server }) => ({ guard: 'unreadable-listing', facts: { server } })),
    );
  }
  return new RunStop('unreachable', failures);
}
