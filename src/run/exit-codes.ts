/** Process exit codes; documented in the README, relied on by schedulers. */
export const EXIT_CODES = {
  inSync: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  refused: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
