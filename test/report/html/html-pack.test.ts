import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildHtmlReportModel } from "../../../src/report/html/html-report-model.js";
import { renderHtmlReport } from "../../../src/report/html/html-report-render.js";
import { buildFinding, buildSampleInput } from "./html-report-fixture.js";

const PACK = /<div class="packed" data-pack="([A-Za-z0-9+/=]+)"><p class="table-note" role="note">Packed ([^:]+): [^<]*<\/p><\/div>/g;

const PACKED_BODY = /(<tbody[^>]*?) data-pack="([A-Za-z0-9+/=]+)"><tr><td colspan="\d+" class="table-note">Packed rows: [^<]*<\/td><\/tr><\/tbody>/g;

const inflate = (data: string) => gunzipSync(Buffer.from(data, "base64")).toString("utf8");

function unpackAll(html: string): string {
  return html.replace(PACK, (_, data: string) => inflate(data)).replace(PACKED_BODY, (_, open: string, data: string) => `${open}>${inflate(data)}</tbody>`);
}

describe("packed parts of a large page", () => {
  const model = buildHtmlReportModel(buildSampleInput());
  const plain = renderHtmlReport(model);

  it("keeps a page within the budget plain: no packed part, works without the script", () => {
    expect(plain).not.toContain("data-pack=");
  });

  it("packs every user's charts, period table and findings above the budget, losing nothing: unpacked, the page is the plain page", () => {
    const packed = renderHtmlReport(model, { maxInlineDetailBytes: 0 });
    const whats = [...packed.matchAll(PACK)].map((m) => m[2]);
    expect(whats.filter((w) => w === "charts")).toHaveLength(model.users.length);
    expect(whats.filter((w) => w === "period table")).toHaveLength(model.users.filter((u) => u.periods.length > 0).length);
    expect(whats.filter((w) => w === "findings")).toHaveLength(model.users.length);
    expect(packed.length).toBeLessThan(plain.length);
    expect(unpackAll(packed)).toBe(plain);
  });

  it("packs the period rows the heatmap links to inside the section whose id prefixes theirs (the script unpacks that section first)", () => {
    const packed = renderHtmlReport(model, { maxInlineDetailBytes: 0 });
    const outside = packed.replace(PACK, "");
    const hrefs = [.../<table class="heatmap"[\s\S]*?<\/table>/.exec(outside)![0].matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(outside).not.toContain(`<tr id="${href}">`);
      const section = /^(user-\d+)-p/.exec(href)![1]!;
      const body = new RegExp(`<details class="user" id="${section}">[\\s\\S]*?</details>(?=<details class="user"|</div></section>)`).exec(packed)![0];
      expect(unpackAll(body)).toContain(`<tr id="${href}">`);
    }
  });

  it("packs the hidden pages of the top-level tables, each its own body of the same class, losing nothing", () => {
    const plainPaged = renderHtmlReport(model, { rowsPerPage: 1 });
    const packed = renderHtmlReport(model, { rowsPerPage: 1, maxInlineDetailBytes: 0 });
    const bodies = [...packed.matchAll(PACKED_BODY)];
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b[1]).toBe(`<tbody class="more"`);
    expect(unpackAll(packed)).toBe(plainPaged);
  });

  it("redacts a packed part before packing it (the finished page's redaction cannot read base64)", () => {
    const input = buildSampleInput();
    input.findings = [...input.findings, buildFinding({ kind: "note_mismatch", severity: "warning", userKey: 101, message: "note carried sk-live-0123456789abcdef", field: "note", legacyValue: "a", kleerValue: "b" })];
    const m = buildHtmlReportModel(input);
    const redact = (t: string) => t.split("sk-live-0123456789abcdef").join("[redacted]");
    const packed = renderHtmlReport(m, { maxInlineDetailBytes: 0, redact });
    const unpacked = unpackAll(packed);
    expect(unpacked).not.toContain("sk-live-0123456789abcdef");
    expect(unpacked).toContain("note carried [redacted]");
    // Without the redactor the secret would sit inside a pack.
    expect(unpackAll(renderHtmlReport(m, { maxInlineDetailBytes: 0 }))).toContain("sk-live-0123456789abcdef");
  });
});
