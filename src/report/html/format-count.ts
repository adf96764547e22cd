const COUNT = new Intl.NumberFormat('en-US');

/** `12,345`: the same on every machine, whatever its locale. */
export function formatCount(count: number): string {
  return COUNT.format(count);
}
