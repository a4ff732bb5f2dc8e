import { inRange } from "../domain/calendar.js";
import type { DateRange } from "../domain/time-entry.js";
import type { TokiDecodeReply, TokiDecodeViolation } from "../domain/toki-decode.js";
import { draftFinding, type FindingDraft } from "./finding.js";

/**
 * One `toki_decode_error` per Kleer reply and field that Toki's serde types refuse: serde fails
 * the whole reply, so one bad field of one row fails Toki's request; naming it once per reply
 * (not once per row) keeps a list of 300 `Open` statuses one finding. Rows dated outside the
 * compared range belong to other runs; a value without a readable row date always counts.
 */
export function checkTokiDecodeReplies(userKey: number, range: DateRange, replies: readonly TokiDecodeReply[]): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const reply of replies) {
    const byField = new Map<string, TokiDecodeViolation[]>();
    for (const v of reply.violations) {
      if (v.rowDate !== null && !inRange(v.rowDate, range)) continue;
      const list = byField.get(v.field) ?? [];
      list.push(v);
      byField.set(v.field, list);
    }
    for (const [field, violations] of byField) {
      const first = violations[0]!;
      const asked = reply.requestRange;
      const date = first.rowDate ?? (asked && inRange(asked.from, range) ? asked.from : range.from);
      const rows = violations.length === 1 ? "" : ` (${violations.length} values in this reply)`;
      const scope = reply.scope === "company" ? "company-wide reply, every user's" : "";
      const days = asked ? ` for ${asked.from}..${asked.to}` : "";
      drafts.push(
        draftFinding({
          kind: "toki_decode_error",
          userKey,
          date,
          kleerId: first.rowId,
          field,
          kleerValue: first.value,
          message:
            `Toki cannot decode Kleer's reply to ${reply.endpoint}${days}: ${first.path} is ${first.value}, Toki expects ${first.expected} ` +
            `(${first.mirrors})${rows}. Toki's ${scope ? `${scope} ` : ""}${reply.tokiRequests.join(", ")} fail${reply.tokiRequests.length === 1 ? "s" : ""} with HTTP 500`,
          details: {
            endpoint: reply.endpoint,
            scope: reply.scope,
            fieldPath: first.path,
            expected: first.expected,
            mirrors: first.mirrors,
            occurrences: violations.length,
            requestFrom: asked?.from ?? null,
            requestTo: asked?.to ?? null,
            tokiRequests: reply.tokiRequests.join("; "),
          },
        }),
      );
    }
  }
  return drafts;
}
