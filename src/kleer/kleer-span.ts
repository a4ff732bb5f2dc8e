import type { LimitFunction } from "p-limit";
import { daysIn, halveRange, splitBySpan } from "../domain/date-span.js";
import type { DateRange } from "../domain/time-entry.js";
import { KleerSpanRefusedError } from "./kleer-errors.js";

/** Longest span one per-user Kleer read asks for unless configured otherwise (calendar months). */
export const KLEER_DEFAULT_MAX_SPAN_MONTHS = 12;

/** The per-user endpoints whose spans are limited separately (Kleer may bound each differently). */
export type KleerSpanEndpoint = "events" | "statuses" | "schedule" | "payroll-events";

/**
 * Span lengths Kleer has refused, per endpoint. Shared by the adapters of one run, so after the
 * first refusal the other users start with spans Kleer accepts instead of paying the same splits.
 */
export interface KleerSpanLimits {
  /** Longest span (days) still worth asking for, or undefined while nothing was refused. */
  maxDays(endpoint: KleerSpanEndpoint): number | undefined;
  /** Notes that a span of `days` was refused. */
  refused(endpoint: KleerSpanEndpoint, days: number): void;
}

export function createKleerSpanLimits(): KleerSpanLimits {
  const limits = new Map<KleerSpanEndpoint, number>();
  return {
    maxDays: (endpoint) => limits.get(endpoint),
    refused(endpoint, days) {
      // The larger half of the refused span is what the split asks for next.
      const next = Math.max(1, Math.ceil(days / 2));
      const current = limits.get(endpoint);
      if (current === undefined || next < current) limits.set(endpoint, next);
    },
  };
}

export interface KleerSpanReaderOptions {
  /** Bounds the requests of one adapter in flight. */
  limit: LimitFunction;
  maxSpanMonths: number;
  /** @default limits private to this reader */
  limits?: KleerSpanLimits | undefined;
}

export interface KleerSpanReader {
  /**
   * Reads `range` in spans of at most the configured months (and the learnt limit) and returns
   * the rows of every span in date order. A span Kleer refuses (`KleerSpanRefusedError`) is read
   * again as its two halves, each day in exactly one; a refused single day is not split, its
   * error propagates (the user's source error — never an empty result).
   */
  read<T>(endpoint: KleerSpanEndpoint, range: DateRange, fetch: (span: DateRange) => Promise<T[]>): Promise<T[]>;
}

export function createKleerSpanReader(options: KleerSpanReaderOptions): KleerSpanReader {
  const limits = options.limits ?? createKleerSpanLimits();
  const { limit } = options;

  async function readSplitting<T>(endpoint: KleerSpanEndpoint, span: DateRange, fetch: (span: DateRange) => Promise<T[]>): Promise<T[]> {
    try {
      return await limit(() => fetch(span));
    } catch (error) {
      if (!(error instanceof KleerSpanRefusedError)) throw error;
      const halves = halveRange(span);
      // The client only raises a span refusal for two days or more; a single day keeps its cause.
      if (!halves) throw error.cause;
      limits.refused(endpoint, daysIn(span));
      // One half after the other: a Kleer that refuses every span fails after one path down, not a whole tree.
      const first = await readSplitting(endpoint, halves[0], fetch);
      const second = await readSplitting(endpoint, halves[1], fetch);
      return [...first, ...second];
    }
  }

  return {
    async read(endpoint, range, fetch) {
      const chunks = splitBySpan(range, options.maxSpanMonths, limits.maxDays(endpoint));
      const parts = await Promise.all(chunks.map((chunk) => readSplitting(endpoint, chunk, fetch)));
      return parts.flat();
    },
  };
}
