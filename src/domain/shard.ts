/** A shard `index` of `count` (1-based), as given by `--shard i/n`. */
export interface Shard {
  index: number;
  count: number;
}

/** FNV-1a over the decimal Toki user id: stable across runs, machines and Node versions. */
export function shardIndexOf(tokiUserId: number, count: number): number {
  let hash = 0x811c9dc5;
  for (const ch of String(tokiUserId)) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % count) + 1;
}

export function isInShard(tokiUserId: number, shard: Shard | undefined): boolean {
  return shard === undefined || shardIndexOf(tokiUserId, shard.count) === shard.index;
}

/** Parses `i/n` (1 ≤ i ≤ n). Returns undefined for anything else. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  // count ≥ 1 follows from 1 ≤ index ≤ count.
  return index >= 1 && index <= count ? { index, count } : undefined;
}
