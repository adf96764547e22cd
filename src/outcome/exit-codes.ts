/** Process exit codes; documented in the README, relied on by schedulers. */
export const EXIT_CODES = {
  inSync: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  refused: 4,
  /** Another run holds the state directory's lock; this one did nothing. */
  locked: 5,
  /** SIGINT or SIGTERM: in-flight operations finished, the rest were not sent. */
  interrupted: 6,
  /** `status` only: no successful run within twice --expect-every (or none at all). */
  stale: 7,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
