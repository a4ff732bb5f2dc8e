import { z } from "zod";

/** Fault injection for an emulator; every rate is a probability per request, all off by default. */
export const faultOptionsSchema = z.object({
  latencyMs: z.number().int().min(0).default(0).describe("Delay added before every response."),
  errorRate: z.number().min(0).max(1).default(0).describe("Share of requests answered 502/503/504."),
  rateLimitRate: z.number().min(0).max(1).default(0).describe("Share of requests answered 429 with Retry-After."),
  retryAfterSeconds: z.number().min(0).default(1).describe("Retry-After value sent with an injected 429."),
  dropRate: z.number().min(0).max(1).default(0).describe("Share of requests whose connection is destroyed before any reply."),
  dropAfterWriteRate: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe("Share of write requests that are carried out but whose reply is lost (connection destroyed)."),
  emptyReplyRate: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe("Share of successful GET replies sent as a well-formed `{}` instead (a list reply without its list key)."),
  emptyReplyPath: z
    .string()
    .default("")
    .describe("Only GET requests whose path contains this text get the `{}` reply (empty: every GET)."),
  seed: z.number().int().default(1).describe("Seed of the fault dice, so a fault run is reproducible."),
});
export type FaultOptions = z.infer<typeof faultOptionsSchema>;
export type FaultOptionsInput = z.input<typeof faultOptionsSchema>;

/** What the server should do with one request before (or instead of) handling it. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "error"; status: 502 | 503 | 504 }
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "drop" }
  | { kind: "drop-after-write" }
  | { kind: "empty-reply" };

/** Small deterministic PRNG (mulberry32): the same seed gives the same fault sequence. */
export function createDice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);

export function createFaultPlan(input: FaultOptionsInput = {}): {
  options: FaultOptions;
  decide(method: string, path?: string): FaultDecision;
} {
  const options = faultOptionsSchema.parse(input);
  const roll = createDice(options.seed);
  return {
    options,
    decide(method, path = "") {
      if (options.dropRate > 0 && roll() < options.dropRate) return { kind: "drop" };
      if (options.rateLimitRate > 0 && roll() < options.rateLimitRate)
        return { kind: "rate-limit", retryAfterSeconds: options.retryAfterSeconds };
      if (options.errorRate > 0 && roll() < options.errorRate) {
        const statuses = [502, 503, 504] as const;
        return { kind: "error", status: statuses[Math.floor(roll() * 3)] ?? 503 };
      }
      if (WRITE_METHODS.has(method.toUpperCase()) && options.dropAfterWriteRate > 0 && roll() < options.dropAfterWriteRate)
        return { kind: "drop-after-write" };
      if (method.toUpperCase() === "GET" && options.emptyReplyRate > 0 && path.includes(options.emptyReplyPath) && roll() < options.emptyReplyRate)
        return { kind: "empty-reply" };
      return { kind: "none" };
    },
  };
}
