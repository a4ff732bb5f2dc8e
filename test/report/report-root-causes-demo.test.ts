import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/domain/ports.js";
import { exportReport } from "../../src/report/report-export.js";
import { runGate } from "../../src/report/report-gate.js";
import type { FindingRecord } from "../../src/report/report-records.js";
import { openReportStore } from "../../src/report/report-store.js";
import { rehearseDemo } from "./demo-rehearsal.js";

interface JsonCause {
  key: string;
  pattern: string;
  title: string;
  count: number;
  counts: { blocking: number; warning: number; info: number };
  firstDate: string | null;
  lastDate: string | null;
  hours: number | null;
  hoursMeaning: string | null;
  userKeys: number[];
  findingIds: number[];
  explainedIds: number[];
  consequenceIds: number[];
}

/** The demo run's root causes are presentation only: the gate and every export still carry each blocking finding. */
describe("root causes on the demo report", () => {
  let dir: string;
  let reportFile: string;
  let findings: FindingRecord[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "toki-root-causes-"));
    reportFile = join(dir, "demo.sqlite");
    await rehearseDemo({ reportFile });
    const store = openReportStore(reportFile, { clock: systemClock, mustExist: true });
    try {
      findings = store.readFindings(store.getRun().runId);
    } finally {
      store.db.close();
    }
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const blockingIds = () => findings.filter((f) => f.severity === "blocking" && !f.suppressed).map((f) => f.id).sort((a, b) => a - b);

  it("JSON: rootCauses is additive, names each finding at most once, and with the ungrouped findings covers every blocking one the gate counts", async () => {
    const json = JSON.parse((await exportReport({ reportFile, format: "json" })).text) as { findings: Array<{ id: number; severity: string; suppressed: boolean }>; rootCauses: JsonCause[]; totals: { blocking: number } };
    expect(json.findings.map((f) => f.id).sort((a, b) => a - b)).toEqual(findings.map((f) => f.id).sort((a, b) => a - b));
    const grouped = json.rootCauses.flatMap((c) => [...c.findingIds, ...c.explainedIds, ...c.consequenceIds]);
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const c of json.rootCauses) expect(c.count).toBe(c.findingIds.length + c.explainedIds.length + c.consequenceIds.length);
    const groupedSet = new Set(grouped);
    const severityOf = new Map(findings.map((f) => [f.id, f]));
    const blockingInCauses = json.rootCauses.reduce((n, c) => n + c.counts.blocking, 0);
    const blockingAlone = blockingIds().filter((id) => !groupedSet.has(id)).length;
    expect(blockingInCauses).toBe(grouped.filter((id) => severityOf.get(id)?.severity === "blocking" && !severityOf.get(id)?.suppressed).length);
    expect(blockingInCauses + blockingAlone).toBe(blockingIds().length);
    expect(json.totals.blocking).toBe(blockingIds().length);
    const gate = runGate({ reportFile });
    expect(gate.passed).toBe(false);
    expect(gate.reason).toContain(`${blockingIds().length} blocking finding`);

    // The planted user without a Kleer schedule is one cause: its weeks, their flex consequences and the drift.
    const schedule = json.rootCauses.find((c) => c.key === "period:3:timeinfo_scheduled_mismatch");
    expect(schedule).toMatchObject({ pattern: "no_kleer_schedule", userKeys: [3], firstDate: "2026-09-28", lastDate: "2026-11-22", hours: -320, hoursMeaning: "kleer_minus_milltime" });
    expect(schedule!.findingIds).toHaveLength(8);
    expect(schedule!.explainedIds.map((id) => severityOf.get(id)?.kind)).toEqual(["flex_drift"]);
    const unmapped = json.rootCauses.find((c) => c.key.startsWith("unmapped_project:"));
    expect(unmapped?.title).toContain('"Tidrapportering Toki" has no Kleer project in the mapping');
    expect(unmapped).toMatchObject({ count: 2, counts: { blocking: 2, warning: 0, info: 0 }, hours: 0.5, hoursMeaning: "legacy_entries" });
  });

  it("top causes: the JSON, the Markdown and the HTML overview state the same three causes in words, the +320 h user first", async () => {
    const json = JSON.parse((await exportReport({ reportFile, format: "json" })).text) as { rootCauses: JsonCause[]; topCauses: Array<{ key: string; severity: string; text: string; causeIndex: number | null }> };
    expect(json.topCauses).toHaveLength(3);
    expect(json.topCauses[0]).toMatchObject({ key: "period:3:timeinfo_scheduled_mismatch", severity: "warning" });
    expect(json.topCauses[0]!.text).toMatch(/^Maria Ström <maria\.strom@example\.se> · Toki 3: No Kleer schedule: .*the whole range \(2026-09-28 – 2026-11-22\).*flex drift \+320 h\.$/);
    for (const c of json.topCauses) if (c.causeIndex !== null) expect(json.rootCauses[c.causeIndex - 1]!.key).toBe(c.key);
    const md = (await exportReport({ reportFile, format: "md" })).text;
    const section = /### Top causes\n\n([\s\S]*?)\n\n/.exec(md)![1]!.split("\n");
    expect(section).toEqual(json.topCauses.map((c, i) => `${i + 1}. **${c.severity}** ${c.text}`));
    const html = (await exportReport({ reportFile, format: "html" })).text;
    const items = [.../<ol class="top-causes">([\s\S]*?)<\/ol>/.exec(html)![1]!.matchAll(/<li data-cause="([^"]+)"><strong>(\w+)<\/strong> ([^<]*)/g)];
    const unescape = (t: string) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    expect(items.map((m) => ({ key: m[1], severity: m[2], text: unescape(m[3]!).trim() }))).toEqual(json.topCauses.map(({ key, severity, text }) => ({ key, severity, text })));
  });

  it("HTML: every finding is a row (or a consequence under its root) of the users' details exactly once, blocking ones included", async () => {
    const html = (await exportReport({ reportFile, format: "html" })).text;
    const details = /<section id="user-details"[\s\S]*?<\/section>/.exec(html)![0] + (/<section id="run-findings"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "");
    const ids = [...details.matchAll(/data-finding="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids.sort((a, b) => a - b)).toEqual(findings.map((f) => f.id).sort((a, b) => a - b));
    const causes = /<section id="root-causes"[\s\S]*?<\/section>/.exec(html)![0];
    expect(causes).toContain('data-cause="period:3:timeinfo_scheduled_mismatch" data-count="18"');
    expect(/<section id="verdict"[\s\S]*?<\/section>/.exec(html)![0]).toContain(`${blockingIds().length} blocking`);
  });

  it("Markdown: a Root causes table with count, span and hours, and the verdict still counts every blocking finding", async () => {
    const md = (await exportReport({ reportFile, format: "md" })).text;
    expect(md).toContain("### Root causes");
    expect(md).toMatch(/\| warning \| No Kleer schedule: Kleer schedules 0 h in 8 weeks that Milltime schedules \| `timeinfo_scheduled_mismatch` \| Maria Ström &lt;maria\.strom@example\.se&gt; · Toki 3 \| 18 \(10 warning, 8 info\) \| 2026-09-28 – 2026-11-22 \| -320 h \(Kleer − Milltime\) \|/);
    expect(md).toContain(`${blockingIds().length} blocking`);
  });
});
