// The benchmark measures the compare and its I/O floor as pairs, one right after the other, and
// reports the pair with the median ratio: on a shared machine one pair's ratio moved by ±15 %
// from run to run (the machine's speed changes within a minute), the median of three by less.

/** One measured pair's ratio (null when its floor took no time). */
export interface RatioOf {
  ratio: number | null;
}

/**
 * The pair whose ratio is the median: the middle one of an odd number, the higher of the two
 * middle ones of an even number (never the better half's). A pair without a ratio sorts last.
 */
export function medianPair<T extends RatioOf>(pairs: readonly T[]): T {
  if (pairs.length === 0) throw new Error("no measured pair");
  const sorted = [...pairs].sort((a, b) => (a.ratio ?? Number.POSITIVE_INFINITY) - (b.ratio ?? Number.POSITIVE_INFINITY));
  return sorted[Math.floor(sorted.length / 2)] as T;
}
