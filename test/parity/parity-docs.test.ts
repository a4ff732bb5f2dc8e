import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SEVERITIES, FINDING_KINDS } from "../../src/parity/finding-kinds.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";

const doc = readFileSync(new URL("../../docs/parity.md", import.meta.url), "utf8");

describe("docs/parity.md", () => {
  it("lists every finding kind with its default severity", () => {
    for (const kind of FINDING_KINDS) expect(doc).toContain(`| \`${kind}\` | ${DEFAULT_SEVERITIES[kind]} |`);
  });

  it("shows a rules file example that validates, with a suppression", () => {
    const start = doc.indexOf("```json\n", doc.indexOf("## Rules file"));
    const end = doc.indexOf("```", start + 8);
    const rules = parseParityRules(JSON.parse(doc.slice(start + 8, end)));
    expect(rules.suppressions[0]).toMatchObject({ kind: "hours_mismatch", userKey: 12 });
    expect(rules.statusCorrespondence.month).toEqual(["approved", "certified"]);
  });
});
