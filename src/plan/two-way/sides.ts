// The two servers of a two-way run: the primary and one peer (a configured backup).

export const SIDES = ['primary', 'peer'] as const;
export type Side = (typeof SIDES)[number];

/** One value per side. */
export interface BySide<T> {
  readonly primary: T;
  readonly peer: T;
}

export function otherSide(side: Side): Side {
  return side === 'primary' ? 'peer' : 'primary';
}

/** A side's name in reasons and in operations' `server`: `primary`, or the peer's configured name. */
export function sideName(side: Side, peer: string): string {
  return side === 'primary' ? 'primary' : peer;
}
