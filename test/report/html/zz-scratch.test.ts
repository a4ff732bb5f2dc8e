import { it } from "vitest";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
it("x", async () => {
  await writeHtmlReport({ reportFile: "/tmp/hr/e.sqlite", outFile: "/tmp/hr/report.html" });
});
