// Counting a long list by one of its fields while keeping only its first few
// items: how drift and skipped records are reported.

export interface Aggregate<G, T> {
  readonly group: G;
  readonly count: number;
  /** The first items of the group, in list order. */
  readonly first: readonly T[];
}

/** One entry per group that occurs, in `order`; groups missing from `order` are left out. */
export function aggregate<G, T>(items: readonly T[], groupOf: (item: T) => G, order: readonly G[], keep: number): Aggregate<G, T>[] {
  const groups = new Map<G, { count: number; first: T[] }>();
  for (const item of items) {
    const group = groupOf(item);
    let entry = groups.get(group);
    if (entry === undefined) {
      entry = { count: 0, first: [] };
      groups.set(group, entry);
    }
    entry.count += 1;
    if (entry.first.length < keep) entry.first.push(item);
  }
  return order.flatMap((group) => {
    const entry = groups.get(group);
    return entry === undefined ? [] : [{ group, count: entry.count, first: entry.first }];
  });
}
