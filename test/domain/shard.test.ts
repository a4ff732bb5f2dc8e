import { describe, expect, it } from "vitest";
import { isInShard, parseShard, shardIndexOf } from "../../src/domain/shard.js";

describe("shards", () => {
  it("puts every user in exactly one shard, stably", () => {
    for (let id = 1; id <= 500; id++) {
      const owners = [1, 2, 3].filter((index) => isInShard(id, { index, count: 3 }));
      expect(owners).toHaveLength(1);
      expect(shardIndexOf(id, 3)).toBe(owners[0]);
    }
  });

  it("spreads users over shards", () => {
    const counts = [0, 0, 0, 0];
    for (let id = 1; id <= 400; id++) counts[shardIndexOf(id, 4) - 1]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });

  it("parses i/n and rejects nonsense", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard("5/4")).toBeUndefined();
    expect(parseShard("0/4")).toBeUndefined();
    expect(parseShard("x")).toBeUndefined();
  });
});
