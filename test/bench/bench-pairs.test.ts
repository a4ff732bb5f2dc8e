import { describe, expect, it } from "vitest";
import { medianPair } from "../../scripts/bench/bench-pairs.js";

describe("the bench's median pair", () => {
  it("is the middle ratio of an odd number, whatever the order", () => {
    expect(medianPair([{ ratio: 1.8, n: 1 }, { ratio: 1.4, n: 2 }, { ratio: 1.6, n: 3 }]).n).toBe(3);
    expect(medianPair([{ ratio: 1.2, n: 1 }]).n).toBe(1);
  });

  it("is the higher middle one of an even number, and a pair without a ratio counts as the worst", () => {
    expect(medianPair([{ ratio: 1.4, n: 1 }, { ratio: 1.6, n: 2 }]).n).toBe(2);
    expect(medianPair([{ ratio: null, n: 1 }, { ratio: 1.6, n: 2 }, { ratio: 1.5, n: 3 }]).n).toBe(2);
  });

  it("refuses no pairs", () => {
    expect(() => medianPair([])).toThrow(/no measured pair/);
  });
});
