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

describe("--shard i/n", () => {
  it("takes the first and the last shard of a count, and a count of one", () => {
    expect(parseShard("1/3")).toEqual({ index: 1, count: 3 });
    expect(parseShard("3/3")).toEqual({ index: 3, count: 3 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard("4/3")).toBeUndefined();
    expect(parseShard("0/3")).toBeUndefined();
    expect(parseShard("0/0")).toBeUndefined();
  });

  it("reads numbers of several digits and spaces around the value", () => {
    expect(parseShard("12/30")).toEqual({ index: 12, count: 30 });
    expect(parseShard("1/12")).toEqual({ index: 1, count: 12 });
    expect(parseShard(" 2/4 ")).toEqual({ index: 2, count: 4 });
  });

  it("refuses anything before or after i/n", () => {
    for (const text of ["x1/2", "1/2x", "-1/2", "1/2/3", "1 / 2", "1/", "/2", "1.0/2"]) expect(parseShard(text), text).toBeUndefined();
  });

  it("puts every user in the run without a shard", () => {
    expect(isInShard(5, undefined)).toBe(true);
    expect(isInShard(5, { index: shardIndexOf(5, 7), count: 7 })).toBe(true);
    expect(isInShard(5, { index: (shardIndexOf(5, 7) % 7) + 1, count: 7 })).toBe(false);
  });
});
