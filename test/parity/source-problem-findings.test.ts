import { describe, expect, it } from "vitest";
import type { TokiDecodeReply, TokiDecodeViolation } from "../../src/domain/toki-decode.js";
import { checkHistoryRows, checkUnattributedHistoryRows } from "../../src/parity/history-row-check.js";
import { DEFAULT_PARITY_RULES, exceedsTolerance } from "../../src/parity/parity-rules.js";
import { checkTokiDecodeReplies } from "../../src/parity/toki-decode-check.js";

// Source problems that must reach the report as findings rather than vanish: Kleer replies Toki
// cannot decode (each fails a Toki request with HTTP 500) and timer-history rows that cannot be read.
const RANGE = { from: "2026-05-11", to: "2026-05-17" };
const violation = (o: Partial<TokiDecodeViolation> = {}): TokiDecodeViolation => ({
  path: "event-readables[0].status.type", field: "event-readables[].status.type", expected: "OPEN, APPROVED, CERTIFIED", value: '"Open"',
  mirrors: "kleer/src/types.rs:164-170", rowDate: "2026-05-12", rowId: "7001", ...o,
});
const reply = (o: Partial<TokiDecodeReply> = {}): TokiDecodeReply => ({
  endpoint: "GET /company/{companyId}/event", scope: "user", requestRange: { from: "2026-05-01", to: "2026-05-31" },
  tokiRequests: ["GET /time-tracking/time-entries"], violations: [violation()], ...o,
});

describe("toki_decode_error", () => {
  it("one finding per reply and field, with the count, the request's days and the Toki request that fails", () => {
    const [finding, ...rest] = checkTokiDecodeReplies(3, RANGE, [reply({ violations: [violation(), violation({ path: "event-readables[4].status.type", rowDate: "2026-05-13", rowId: "7004" })] })]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: "toki_decode_error", userKey: 3, date: "2026-05-12", kleerId: "7001", field: "event-readables[].status.type", kleerValue: '"Open"' });
    expect(finding?.message).toBe(
      "Toki cannot decode Kleer's reply to GET /company/{companyId}/event for 2026-05-01..2026-05-31: event-readables[0].status.type is \"Open\", Toki expects OPEN, APPROVED, CERTIFIED (kleer/src/types.rs:164-170) (2 values in this reply). Toki's GET /time-tracking/time-entries fails with HTTP 500",
    );
    expect(finding?.details).toEqual({
      endpoint: "GET /company/{companyId}/event", scope: "user", fieldPath: "event-readables[0].status.type", expected: "OPEN, APPROVED, CERTIFIED", mirrors: "kleer/src/types.rs:164-170",
      occurrences: 2, requestFrom: "2026-05-01", requestTo: "2026-05-31", tokiRequests: "GET /time-tracking/time-entries",
    });
  });

  it("a company-wide reply without row dates: dated the range start, every user's requests named", () => {
    const [finding] = checkTokiDecodeReplies(3, RANGE, [
      reply({ scope: "company", requestRange: null, tokiRequests: ["GET /time-tracking/projects", "GET /time-tracking/activities"], violations: [violation({ rowDate: null, rowId: null })] }),
    ]);
    expect(finding).toMatchObject({ date: "2026-05-11", kleerId: null });
    expect(finding?.message).toBe(
      "Toki cannot decode Kleer's reply to GET /company/{companyId}/event: event-readables[0].status.type is \"Open\", Toki expects OPEN, APPROVED, CERTIFIED (kleer/src/types.rs:164-170). Toki's company-wide reply, every user's GET /time-tracking/projects, GET /time-tracking/activities fail with HTTP 500",
    );
    expect(finding?.details).toMatchObject({ requestFrom: null, requestTo: null, occurrences: 1, tokiRequests: "GET /time-tracking/projects; GET /time-tracking/activities" });
  });

  it("rows dated outside the range belong to other runs; a reply asked from inside the range is dated its first day", () => {
    expect(checkTokiDecodeReplies(3, RANGE, [reply({ violations: [violation({ rowDate: "2026-05-03" })] })])).toEqual([]);
    const [finding] = checkTokiDecodeReplies(3, RANGE, [reply({ requestRange: { from: "2026-05-13", to: "2026-05-20" }, violations: [violation({ rowDate: null })] })]);
    expect(finding?.date).toBe("2026-05-13");
    const [outside] = checkTokiDecodeReplies(3, RANGE, [reply({ violations: [violation({ rowDate: null })] })]);
    expect(outside?.date).toBe("2026-05-11");
    const two = checkTokiDecodeReplies(3, RANGE, [reply({ violations: [violation(), violation({ field: "event-readables[].hours", path: "event-readables[0].hours" })] })]);
    expect(two.map((f) => f.field)).toEqual(["event-readables[].status.type", "event-readables[].hours"]);
  });
});

describe("history_row_invalid", () => {
  const problems = [
    { rowId: "18", line: 19, tokiUserId: 1, reason: "start_time is not a timestamp" },
    { rowId: "9", tokiUserId: 1, reason: "registration_id is empty" },
    { rowId: "17", line: 18, tokiUserId: 1, reason: "end_time is before start_time" },
  ];

  it("one finding per unreadable row, in line order, saying what is lost", () => {
    const drafts = checkHistoryRows(1, problems);
    expect(drafts.map((d) => [d.legacyValue, d.message, d.details])).toEqual([
      ["9", "timer history row 9 cannot be read: registration_id is empty; it is neither checked as a link nor relinked", { rowId: "9", line: null, reason: "registration_id is empty" }],
      ["17", "timer history row 17 (line 18) cannot be read: end_time is before start_time; it is neither checked as a link nor relinked", { rowId: "17", line: 18, reason: "end_time is before start_time" }],
      ["18", "timer history row 18 (line 19) cannot be read: start_time is not a timestamp; it is neither checked as a link nor relinked", { rowId: "18", line: 19, reason: "start_time is not a timestamp" }],
    ]);
    expect(drafts.every((d) => d.kind === "history_row_invalid" && d.field === "history_row" && d.date === null && d.userKey === 1)).toBe(true);
  });

  it("rows of no user keep their user when it reads, get the kind's severity and the rules' suppressions", () => {
    const rules = { ...DEFAULT_PARITY_RULES, suppressions: [{ kind: "history_row_invalid" as const, userKey: 4, reason: "known bad export" }] };
    const out = checkUnattributedHistoryRows([{ rowId: "2", line: 3, tokiUserId: 4, reason: "x" }, { rowId: "1", line: 2, reason: "y" }], rules);
    expect(out.map((f) => [f.legacyValue, f.userKey, f.severity, f.suppressed, f.suppressionReason])).toEqual([
      ["1", null, DEFAULT_PARITY_RULES.severities.history_row_invalid, false, null],
      ["2", 4, DEFAULT_PARITY_RULES.severities.history_row_invalid, true, "known bad export"],
    ]);
  });
});

describe("exceedsTolerance", () => {
  it("a difference equal to the tolerance is within it (float noise included); anything more is beyond", () => {
    expect(exceedsTolerance(2, 2.25, 0.25)).toBe(false);
    expect(exceedsTolerance(0.1 + 0.2, 0.6, 0.3)).toBe(false);
    expect(exceedsTolerance(2.25, 2, 0.25)).toBe(false);
    expect(exceedsTolerance(2, 2.2501, 0.25)).toBe(true);
    expect(exceedsTolerance(2.2501, 2, 0.25)).toBe(true);
    expect(exceedsTolerance(1, 1, 0)).toBe(false);
  });
});
